"""The DVC pipeline end to end on a copy of this repository with a tiny corpus: the stages run through
`dvc repro`, and `dvc exp run -S` re-runs only what a changed param touches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.features.reader import FeatureStore
from tests.dvc_project import make_project, sh


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("project"))


def test_dvc_repro_runs_every_stage_and_trains_one_model_per_config(project):
    result = sh(project, "dvc", "repro")
    assert "download: 30 in, 30 out, 0 skipped" in result.stderr + result.stdout
    raw = json.loads((project / "data" / "raw" / "manifest.json").read_text())
    assert raw["recordings"] == {"in": 30, "out": 30, "skipped": 0}
    features = json.loads((project / "data" / "features" / "manifest.json").read_text())
    assert features["clips"] == {"in": 30, "out": 30, "skipped": 0}
    store = FeatureStore(project / "data" / "features")
    assert store.metadata["n_mels"] == 64 and store.array(1).shape[0] == 64
    for config in ("massive", "hard_speaker", "hard_noisy"):
        summary = json.loads((project / "results" / config / "train" / "metrics.json").read_text())
        assert summary["epochs"] == 2 and 1 <= summary["best_epoch"] <= 2
        assert (project / "models" / config / "model.pt").stat().st_size > 10_000
    for config in ("massive", "hard_speaker", "hard_noisy"):
        evaluated = json.loads((project / "results" / config / "evaluate" / "metrics.json").read_text())
        details = json.loads((project / "results" / config / "evaluate" / "details.json").read_text())
        assert evaluated["clips"] == 10 and 0.0 <= evaluated["accuracy"] <= details["top5_accuracy"] <= 1.0
    summary = sh(project, "italic-cnn", "summarize").stdout.splitlines()
    assert [line.split(" | ")[0] for line in summary[2:]] == ["| massive", "| hard_speaker", "| hard_noisy"]
    assert "up to date" in sh(project, "dvc", "status").stdout
    again = sh(project, "dvc", "repro")
    assert "Data and pipelines are up to date." in again.stdout + again.stderr


def test_running_every_stage_again_leaves_dvc_lock_unchanged(project):
    """Nothing that differs between identical runs (throughput, timestamps) is inside an output."""
    first = (project / "dvc.lock").read_text()
    sh(project, "dvc", "repro", "--force")
    assert (project / "dvc.lock").read_text() == first


def test_exp_run_with_another_n_mels_refeaturizes_and_leaves_download_alone(project):
    sh(project, "git", "add", "-A")
    sh(project, "git", "commit", "-qm", "first run")
    result = sh(project, "dvc", "exp", "run", "-S", "features.n_mels=40")
    output = result.stdout + result.stderr
    assert "Stage 'download' didn't change, skipping" in output
    assert "Running stage 'featurize'" in output
    assert "Running stage 'train@massive'" in output  # new features, so every model is retrained
    store = FeatureStore(project / "data" / "features")
    assert store.metadata["n_mels"] == 40
    assert store.array(5).shape[0] == 40
    shown = json.loads(sh(project, "dvc", "exp", "show", "--json").stdout)
    baseline = next(entry for entry in shown if entry["rev"] != "workspace")
    experiments = [rev for exp in baseline["experiments"] for rev in exp["revs"]]
    n_mels = [rev["data"]["params"]["params.yaml"]["data"]["features"]["n_mels"] for rev in experiments]
    assert n_mels == [40]
    assert baseline["data"]["params"]["params.yaml"]["data"]["features"]["n_mels"] == 64


def test_exp_run_lr_then_show_metrics_diff_and_plots_diff(project):
    sh(project, "git", "checkout", "--", "params.yaml", "dvc.lock")
    sh(project, "dvc", "checkout", "--force")
    result = sh(project, "dvc", "exp", "run", "-S", "train.lr=1e-2", "-n", "faster")
    output = result.stdout + result.stderr
    assert "Stage 'featurize' didn't change, skipping" in output
    assert "Running stage 'train@hard_noisy'" in output
    shown = json.loads(sh(project, "dvc", "exp", "show", "--json").stdout)
    baseline = next(entry for entry in shown if entry["rev"] != "workspace")
    names = [exp["name"] for exp in baseline["experiments"]]
    assert "faster" in names
    faster = next(exp for exp in baseline["experiments"] if exp["name"] == "faster")["revs"][0]["data"]
    assert faster["params"]["params.yaml"]["data"]["train"]["lr"] == 0.01
    assert "accuracy" in faster["metrics"]["results/massive/evaluate/metrics.json"]["data"]
    assert "accuracy" in baseline["data"]["metrics"]["results/massive/evaluate/metrics.json"]["data"]

    diff = sh(project, "dvc", "metrics", "diff", "--md", "--all").stdout
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in diff.splitlines() if line.startswith("|")]
    assert rows[0][:2] == ["Path", "Metric"]
    assert ["results/massive/evaluate/metrics.json", "accuracy"] in [row[:2] for row in rows]
    plots = json.loads(sh(project, "dvc", "plots", "diff", "--json").stdout)
    assert "massive confusion" in plots["data"] and "massive loss" in plots["data"]
    assert "Data and pipelines are up to date." in sh(project, "dvc", "repro").stdout
    # the summary table follows whatever run is checked out: the baseline, then the experiment
    massive = "results/massive/evaluate/metrics.json"
    sh(project, "git", "checkout", "--", "params.yaml", "dvc.lock")
    sh(project, "dvc", "checkout", "--force")
    table = json.loads(sh(project, "italic-cnn", "summarize", "--format", "json").stdout)
    base_scores, faster_scores = baseline["data"]["metrics"][massive]["data"], faster["metrics"][massive]["data"]
    assert base_scores["cer"] != faster_scores["cer"]  # two different models, told apart by their CER
    assert (table["massive"]["accuracy"], table["massive"]["cer"]) == (base_scores["accuracy"], base_scores["cer"])
    sh(project, "dvc", "exp", "apply", "faster")
    table = json.loads(sh(project, "italic-cnn", "summarize", "--format", "json").stdout)
    assert (table["massive"]["accuracy"], table["massive"]["cer"]) == (faster_scores["accuracy"], faster_scores["cer"])


def test_a_dvc_exp_run_set_typo_fails_the_run_with_the_right_name(project):
    refused = sh(project, "dvc", "exp", "run", "-S", "train.lrr=1e-3", check=False)
    assert refused.returncode != 0 and "Could not override 'train.lrr'" in refused.stderr  # DVC's own check
    # `+key=value` makes DVC add the key; then the stage itself must refuse it instead of training the default
    result = sh(project, "dvc", "exp", "run", "-S", "+train.lrr=1e-3", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "unknown key train.lrr (did you mean train.lr?)" in output
    assert "Traceback" not in output
