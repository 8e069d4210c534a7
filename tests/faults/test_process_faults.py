"""Killed processes and a full disk. `kill -9` of `featurize` or `train` at random points under
`dvc repro`, then `dvc repro` again: the outputs equal an uninterrupted run's (deterministic CPU) and no
partial output ever looked complete to DVC. A disk that fills up while shards are written leaves the
previous outputs as they were."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml

from pipeline.features.reader import FeatureStore
from tests.dvc_project import make_project, sh
from tests.faults.helpers import leftovers, one_line_error

PROJECT = {
    "clips": 150,
    "intents": 5,  # coprime with the 3 splits: every split holds every intent
    "data": {"configs": ["massive"]},
    "features": {"shard_rows": 40},
    "train": {"epochs": 40, "batch_size": 8, "max_seconds": 1.0, "patience": 0},
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    repo = make_project(tmp_path_factory.mktemp("uninterrupted"), **PROJECT)
    sh(repo, "dvc", "repro")
    return repo


def start(repo: Path, *args: str) -> subprocess.Popen:
    """`dvc repro ...` in its own process group, so one SIGKILL takes it and the stage it runs."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.Popen(["dvc", "repro", *args], cwd=repo, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


def kill_when(process: subprocess.Popen, ready, delay: float, timeout: float = 240) -> None:
    """SIGKILL the whole process group `delay` seconds after `ready()` first holds."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, "the stage ended before the kill point"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def lock_has(repo: Path, stage: str) -> bool:
    """Whether DVC recorded `stage` as run (its outputs are then the ones it hashed)."""
    lock = repo / "dvc.lock"
    return lock.is_file() and stage in (yaml.safe_load(lock.read_text()) or {}).get("stages", {})


def same_features(a: Path, b: Path) -> None:
    one, two = FeatureStore(a), FeatureStore(b)
    assert one.metadata == two.metadata and one.ids.tolist() == two.ids.tolist()
    for rid in one.ids.tolist():
        assert np.array_equal(one.array(rid), two.array(rid))


def same_model(a: Path, b: Path) -> None:
    one, two = (torch.load(p / "models" / "massive" / "model.pt", weights_only=True) for p in (a, b))
    assert one["best"] == two["best"]
    assert all(torch.equal(one["state_dict"][k], two["state_dict"][k]) for k in one["state_dict"])
    metrics = [json.loads((p / "results" / "massive" / "evaluate" / "metrics.json").read_text()) for p in (a, b)]
    assert metrics[0] == metrics[1]


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_9_during_featurize_then_dvc_repro_equals_an_uninterrupted_run(tmp_path, reference, seed):
    repo = make_project(tmp_path / "project", **PROJECT)
    sh(repo, "dvc", "repro", "download")
    process = start(repo, "featurize")
    writing = lambda: any((repo / "data").glob(".features.tmp-*"))  # noqa: E731
    kill_when(process, writing, random.Random(seed).uniform(0.0, 0.25))  # featurize takes ~0.5 s
    if not lock_has(repo, "featurize"):  # killed before DVC recorded it: never looks complete
        assert "featurize" in sh(repo, "dvc", "status").stdout
        features = repo / "data" / "features"
        assert not features.exists() or (features / "manifest.json").is_file()  # whole or absent
    sh(repo, "dvc", "repro")
    assert leftovers(repo / "data") == []
    same_features(reference / "data" / "features", repo / "data" / "features")
    same_model(reference, repo)
    assert "up to date" in sh(repo, "dvc", "status").stdout


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_9_during_train_then_dvc_repro_resumes_to_the_same_model(tmp_path, reference, seed):
    repo = make_project(tmp_path / "project", **PROJECT)
    sh(repo, "dvc", "repro", "featurize")
    process = start(repo, "train@massive")
    resume = repo / ".italic-cnn" / "resume"
    epochs_done = random.Random(seed).randint(1, 20)

    def after_epochs() -> bool:
        states = list(resume.glob("*.pt")) if resume.is_dir() else []
        try:
            return bool(states) and torch.load(states[0], weights_only=True)["epoch"] >= epochs_done
        except Exception:  # caught mid-rename
            return False

    kill_when(process, after_epochs, random.Random(seed).uniform(0.0, 0.05))
    assert any(resume.glob("*.pt")), "killed after the run had finished"
    assert not lock_has(repo, "train@massive")
    assert "train@massive" in sh(repo, "dvc", "status").stdout  # a best-so-far model.pt is not a result
    result = sh(repo, "dvc", "repro")
    assert "resumed after epoch" in result.stderr + result.stdout
    same_model(reference, repo)
    assert not any(resume.glob("*.pt"))  # a finished run leaves no resume state


def test_a_full_disk_while_writing_shards_leaves_the_previous_features(cli, tmp_path, reference, monkeypatch):
    from pipeline import parquet_shards

    raw, out = reference / "data" / "raw", tmp_path / "features"
    assert cli("featurize", "--params", reference / "params.yaml", "--raw", raw, "--out", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    add = parquet_shards.ShardedParquetWriter.add
    rows = {"n": 0}

    def add_until_full(self, row):
        rows["n"] += 1
        if rows["n"] > 100:  # two shards of 40 written, the third half way
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.folder / "features-00002.parquet"))
        add(self, row)

    monkeypatch.setattr(parquet_shards.ShardedParquetWriter, "add", add_until_full)
    line = one_line_error(cli("featurize", "--params", reference / "params.yaml", "--raw", raw, "--out", out))
    assert line.endswith(
        "features-00002.parquet: No space left on device; free space or fix permissions, then re-run "
        "(outputs left as they were)"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert leftovers(tmp_path) == []
