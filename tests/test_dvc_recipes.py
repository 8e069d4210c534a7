"""Per-config recipes through the real `dvc`: one `dvc repro` trains each config with its own recipe,
an experiment on one config's recipe re-runs that config alone, and `dvc exp show` as the README
prints it fits a 120-column terminal."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
import torch

from tests.conftest import ROOT
from tests.dvc_project import make_project, sh

RECIPES = {
    "massive": {"lr": 1e-2},
    "hard_speaker": {"channels": [8, 8, 8]},
    "hard_noisy": {"frontend": "log+pcen", "noise_prob": 0.5, "val_noise_snr_db": 5.0},
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    repo = make_project(tmp_path_factory.mktemp("recipes"), **RECIPES)
    sh(repo, "dvc", "repro")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-qm", "first run")
    return repo


def checkpoint(repo: Path, config: str) -> dict:
    return torch.load(repo / "models" / config / "model.pt", map_location="cpu", weights_only=False)


def stages_run(output: str) -> set[str]:
    return set(re.findall(r"Running stage '([^']+)'", output))


def test_one_dvc_repro_trains_each_config_with_its_own_recipe(project):
    massive, speaker, noisy = (checkpoint(project, c) for c in ("massive", "hard_speaker", "hard_noisy"))
    assert (massive["train"]["lr"], speaker["train"]["lr"], noisy["train"]["lr"]) == (1e-2, 3e-3, 3e-3)
    assert [list(c["model"]["channels"]) for c in (massive, speaker, noisy)] == [[8, 16], [8, 8, 8], [8, 16]]
    assert (noisy["model"]["frontend"], massive["model"]["frontend"]) == ("log+pcen", "log")
    assert (noisy["train"]["val_noise_snr_db"], speaker["train"]["val_noise_snr_db"]) == (5.0, None)


@pytest.fixture(scope="module")
def experiments(project) -> dict[str, str]:
    """Two experiments, each on one config's recipe: their `dvc exp run` output by name."""
    outputs = {}
    for name, setting in (("massive-lr", "++massive.lr=2e-2"), ("noisy-mix", "hard_noisy.noise_prob=0.25")):
        result = sh(project, "dvc", "exp", "run", "-S", setting, "-n", name)
        outputs[name] = result.stdout + result.stderr
    return outputs


def test_an_experiment_on_one_recipe_reruns_that_config_alone(project, experiments):
    assert stages_run(experiments["massive-lr"]) == {"check_params", "train@massive", "evaluate@massive"}
    assert stages_run(experiments["noisy-mix"]) == {"check_params", "train@hard_noisy", "evaluate@hard_noisy"}
    assert checkpoint(project, "hard_noisy")["train"]["noise_prob"] == 0.25


def readme_exp_show() -> list[str]:
    """The `dvc exp show` command the README prints for comparing experiments."""
    lines = [line.strip() for line in (ROOT / "README.md").read_text().splitlines()]
    return shlex.split(next(line for line in lines if line.startswith("dvc exp show --")))


def test_dvc_exp_show_as_the_readme_prints_it_fits_120_columns(project, experiments):
    env_columns = {"COLUMNS": "120", "LINES": "60"}
    command = readme_exp_show()
    old = {key: os.environ.get(key) for key in env_columns}
    os.environ.update(env_columns)
    try:
        shown = sh(project, *command, "--no-pager").stdout
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key)
            else:
                os.environ[key] = value
    lines = shown.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 120, shown
    assert "…" not in shown, shown  # no column cut to an ellipsis
    header = lines[1].split()
    assert header[:4] == ["Experiment", "massive", "hard_speaker", "hard_noisy"], shown
    # the params the two experiments changed, and nothing else
    assert header[4:] == ["massive.lr", "hard_noisy.noise_prob"], shown
    assert "[massive-lr]" in shown and "[noisy-mix]" in shown
    assert len(re.findall(r"\d\.\d{3} ±\d\.\d{3}", shown)) >= 9, shown  # 3 configs x 3 runs at least
    for label in ("F1", "CER", "val"):
        assert len(re.findall(rf"\b{label}\s+[0-9.]+", shown)) >= 9, shown
