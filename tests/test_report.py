"""`italic-cnn report` between two real commits of a tiny project whose runs differ: the markdown's
rows and deltas come from the two revisions' metrics files, and the PNGs are real pictures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.report.compare import MetricRow
from pipeline.report.markdown import metric_cell
from tests.dvc_project import make_project, set_params, sh

METRICS = (("accuracy", "accuracy"), ("macro_f1", "macro-F1"))


def read_metrics(repo: Path, config: str) -> dict:
    return json.loads((repo / "results" / config / "evaluate" / "metrics.json").read_text())


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, dict, dict]:
    """Commit 1: massive only, train.lr 3e-3. Commit 2: train.lr 3e-2 and hard_speaker added."""
    # the transcript reader reads these tone clips' transcripts perfectly in both runs (accuracy 1.0):
    # without it the two learning rates give two different sets of scores for the report to compare
    repo = make_project(
        tmp_path_factory.mktemp("report"), clips=48, intents=4, data={"configs": ["massive"]},
        train={"epochs": 3, "reader": False},
    )  # fmt: skip
    sh(repo, "dvc", "repro")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-qm", "base run")
    base = {"massive": read_metrics(repo, "massive")}
    set_params(repo, data={"configs": ["massive", "hard_speaker"]}, train={"lr": 3e-2})
    sh(repo, "dvc", "repro")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-qm", "head run")
    head = {config: read_metrics(repo, config) for config in ("massive", "hard_speaker")}
    assert any(base["massive"][key] != head["massive"][key] for key, _ in METRICS)  # the runs differ
    return repo, base, head


def table_rows(markdown: str, heading: str) -> list[list[str]]:
    """The body rows of the table under `### heading`."""
    section = markdown.split(f"### {heading}\n", 1)[1].strip("\n").split("\n\n", 1)[0]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in section.splitlines()[2:]]


def with_interval(metrics: dict, key: str) -> str:
    ci = metrics.get(f"{key}_ci")
    return f"{metrics[key]:.3f} ({ci['low']:.3f}–{ci['high']:.3f})" if ci else f"{metrics[key]:.3f}"


def test_report_rows_and_deltas_match_both_revisions_metrics(two_runs):
    repo, base, head = two_runs
    result = sh(repo, "italic-cnn", "report", "--base", "HEAD~1", "--head", "HEAD", "--out", "pr/report.md")
    assert re.search(r"report: HEAD \([0-9a-f]{7}\) against HEAD~1 \([0-9a-f]{7}\); 2 params changed; 4 test metrics",
                     result.stderr)  # fmt: skip
    markdown = (repo / "pr" / "report.md").read_text()

    params = {row[0]: row[1:] for row in table_rows(markdown, "Params")}
    assert params["`train.lr`"] == ["`0.003`", "`0.03`"]
    assert params["`data.configs`"] == ["`['massive']`", "`['massive', 'hard_speaker']`"]  # as DVC prints lists

    rows = table_rows(markdown, "Test metrics")
    assert [row[:2] for row in rows] == [[c, title] for c in ("massive", "hard_speaker") for _, title in METRICS]
    for config, title, old, new, change in rows:
        key = next(k for k, t in METRICS if t == title)
        now = head[config][key]
        assert new == with_interval(head[config], key)
        if config == "hard_speaker":  # not in the base run: new, not an error
            assert (old, change) == ("—", "new")
        else:
            before = base[config][key]
            assert old == with_interval(base[config], key)
            assert change == metric_cell(MetricRow(config, key, before, now))
            assert change.startswith(f"{now - before:+.3f}")


def test_report_pngs_are_real_images_of_the_expected_size(two_runs):
    import matplotlib.image

    repo, _, _ = two_runs
    sh(repo, "italic-cnn", "report", "--base", "HEAD~1", "--head", "HEAD", "--out", "pr/report.md")
    markdown = (repo / "pr" / "report.md").read_text()
    expected = {  # (height, width): curves 18 x 4.2 in at 100 dpi (3 panels); confusions 13 in square each at 80 dpi
        "report-massive-curves.png": (420, 1800),
        "report-massive-confusion.png": (1040, 2080),  # base and head side by side
        "report-hard_speaker-curves.png": (420, 1800),
        "report-hard_speaker-confusion.png": (1040, 1040),  # head only: the base never ran it
    }
    for name, size in expected.items():
        assert f"]({name})" in markdown
        image = matplotlib.image.imread(repo / "pr" / name)
        assert image.shape[:2] == size
        assert len(set(map(tuple, image.reshape(-1, image.shape[2])[::97].round(2).tolist()))) > 20  # not blank


def test_report_of_an_unchanged_workspace_says_so(two_runs):
    repo, _, head = two_runs
    sh(repo, "dvc", "checkout", "--force")
    url = "https://example.org/pr-7/"
    sh(repo, "italic-cnn", "report", "--base", "HEAD", "--out", "same.md", "--image-url", url)
    markdown = (repo / "same.md").read_text()
    assert f"![massive curves]({url}same-massive-curves.png)" in markdown
    assert (repo / "same-massive-curves.png").stat().st_size > 10_000
    assert "## italic-cnn: `workspace` against `" in markdown and "No params changed." in markdown
    rows = table_rows(markdown, "Test metrics")
    assert len(rows) == 2 * len(METRICS) and all(row[4] == "+0.000 =" for row in rows)
    assert rows[0][3] == with_interval(head["massive"], "accuracy")


def test_report_with_an_unknown_base_is_one_line(two_runs):
    repo, _, _ = two_runs
    result = sh(repo, "italic-cnn", "report", "--base", "no-such-branch", check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("error: 'no-such-branch' is not a git revision of ")
    assert "--base origin/main" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def two_commits(tmp_path_factory) -> Path:
    """A tiny project with two commits and no results: base, then head with another train.lr."""
    repo = make_project(
        tmp_path_factory.mktemp("pr"), clips=48, intents=4, data={"configs": ["massive"]}, train={"epochs": 3}
    )
    set_params(repo, data={"path": str(repo / "data" / "tiny")})  # both worktrees read the one corpus
    sh(repo, "git", "commit", "-qam", "base")
    set_params(repo, train={"lr": 3e-2})
    sh(repo, "git", "commit", "-qam", "head: another learning rate")
    return repo


def test_pr_report_script_runs_both_revisions_in_worktrees_and_tests_the_difference(two_commits):
    from pipeline.evaluate.intervals import compare_paired

    repo = two_commits
    (repo / "scratch.txt").write_text("a dirty tree is never checked out over")
    result = sh(repo, "bash", "ci/pr-report.sh", "HEAD~1", "HEAD", "out")
    assert "paired accuracy on 1 configs" in result.stderr
    assert (repo / "scratch.txt").exists() and sh(repo, "git", "worktree", "list").stdout.count("\n") == 1
    markdown = (repo / "out" / "report.md").read_text()
    base = json.loads((repo / "out" / "base" / "results" / "massive" / "evaluate" / "metrics.json").read_text())
    head = json.loads((repo / "out" / "head" / "results" / "massive" / "evaluate" / "metrics.json").read_text())
    params = {row[0]: row[1:] for row in table_rows(markdown, "Params")}
    assert params == {"`train.lr`": ["`0.003`", "`0.03`"]}
    rows = table_rows(markdown, "Test metrics")
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("massive", with_interval(base, key), with_interval(head, key)) for key, _ in METRICS
    ]

    def correct(side: str) -> dict[int, bool]:
        table = pq.read_table(repo / "out" / side / "results" / "massive" / "evaluate" / "predictions.parquet")
        return {r["id"]: r["true"] == r["predicted"] for r in table.to_pylist()}

    old, new = correct("base"), correct("head")
    assert sorted(old) == sorted(new)
    expected = compare_paired([old[i] for i in sorted(old)], [new[i] for i in sorted(new)], seed=0)
    [paired] = table_rows(markdown, "Accuracy on the same test clips")
    low, high = expected.interval
    assert paired == [
        "massive", str(expected.clips), f"{expected.base_accuracy:.3f}", f"{expected.head_accuracy:.3f}",
        f"{expected.difference:+.3f} ({low:+.3f} to {high:+.3f})", f"{expected.mcnemar_p:.3g}",
        f"{expected.only_base_right} / {expected.only_head_right}",
        "better" if low > 0 else "worse" if high < 0 else "no significant change",
    ]  # fmt: skip
    assert expected.base_accuracy == pytest.approx(base["accuracy"])
    assert expected.head_accuracy == pytest.approx(head["accuracy"])


def test_pr_report_of_one_commit_against_itself_finds_no_significant_change(two_commits):
    repo = two_commits
    sh(repo, "bash", "ci/pr-report.sh", "HEAD", "HEAD", "same")
    markdown = (repo / "same" / "report.md").read_text()
    assert "No params changed." in markdown
    [paired] = table_rows(markdown, "Accuracy on the same test clips")
    assert paired[4] == "+0.000 (+0.000 to +0.000)" and paired[-1] == "no significant change"
    assert all(row[4] == "+0.000 =" for row in table_rows(markdown, "Test metrics"))


def test_pr_report_with_an_unknown_revision_is_one_line(two_commits):
    result = sh(two_commits, "bash", "ci/pr-report.sh", "no-such-branch", "HEAD", "x", check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("error: 'no-such-branch' is not a git revision of ")
    assert len(result.stderr.strip().splitlines()) == 1
