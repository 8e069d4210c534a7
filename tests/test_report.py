"""`italic-cnn report` between two real commits of a tiny project whose runs differ: the markdown's
rows and deltas come from the two revisions' metrics files, and the PNGs are real pictures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.report.compare import MetricRow
from pipeline.report.markdown import metric_cell
from tests.dvc_project import make_project, set_params, sh

METRICS = (("accuracy", "accuracy"), ("macro_f1", "macro-F1"), ("top5_accuracy", "top-5"))


def read_metrics(repo: Path, config: str) -> dict:
    return json.loads((repo / "results" / config / "evaluate" / "metrics.json").read_text())


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, dict, dict]:
    """Commit 1: massive only, train.lr 3e-3. Commit 2: train.lr 3e-2 and hard_speaker added."""
    repo = make_project(
        tmp_path_factory.mktemp("report"), clips=48, intents=4, data={"configs": ["massive"]}, train={"epochs": 3}
    )
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


def test_report_rows_and_deltas_match_both_revisions_metrics(two_runs):
    repo, base, head = two_runs
    result = sh(repo, "italic-cnn", "report", "--base", "HEAD~1", "--head", "HEAD", "--out", "pr/report.md")
    assert re.search(r"report: HEAD \([0-9a-f]{7}\) against HEAD~1 \([0-9a-f]{7}\); 2 params changed; 6 test metrics",
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
        assert new == f"{now:.3f}"
        if config == "hard_speaker":  # not in the base run: new, not an error
            assert (old, change) == ("—", "new")
        else:
            before = base[config][key]
            assert old == f"{before:.3f}"
            assert change == metric_cell(MetricRow(config, key, before, now))
            assert change.startswith(f"{now - before:+.3f}")


def test_report_pngs_are_real_images_of_the_expected_size(two_runs):
    import matplotlib.image

    repo, _, _ = two_runs
    sh(repo, "italic-cnn", "report", "--base", "HEAD~1", "--head", "HEAD", "--out", "pr/report.md")
    markdown = (repo / "pr" / "report.md").read_text()
    expected = {  # (height, width): curves 12 x 4.2 in at 100 dpi; confusions 13 in square each at 80 dpi
        "report-massive-curves.png": (420, 1200),
        "report-massive-confusion.png": (1040, 2080),  # base and head side by side
        "report-hard_speaker-curves.png": (420, 1200),
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
    assert len(rows) == 6 and all(row[4] == "+0.000 =" for row in rows)
    assert rows[0][3] == f"{head['massive']['accuracy']:.3f}"


def test_report_with_an_unknown_base_is_one_line(two_runs):
    repo, _, _ = two_runs
    result = sh(repo, "italic-cnn", "report", "--base", "no-such-branch", check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("error: 'no-such-branch' is not a git revision of ")
    assert "--base origin/main" in result.stderr and len(result.stderr.strip().splitlines()) == 1
