"""Data-parallel training (torchrun + DDP, gloo on CPU) on a small synthetic corpus with a tiny model: the same
optimizer steps as one process with the same global batch, the same validation metrics on every rank,
one checkpoint, and an accuracy close to the single-process run's."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import torch
import torch.multiprocessing as mp

from pipeline.features.reader import FeatureStore
from pipeline.features.stage import run_featurize
from pipeline.inference.clips import load_split
from pipeline.inference.scoring import score_split
from pipeline.labels import INTENTS
from pipeline.models import build_model
from pipeline.params import load_params, parse_params
from pipeline.splits import split_ids
from pipeline.train import distributed
from pipeline.train.stage import run_train
from tests.corpus import dump_params
from tests.dvc_project import sh

TINY = {
    "model": {"channels": [32, 64], "dropout": 0.0},
    "train": {"epochs": 5, "batch_size": 32, "threads": 1, "patience": 0},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, synth_raw) -> Path:
    """The session's synthetic corpus featurized (log-mels), and a tiny params.yaml."""
    root = tmp_path_factory.mktemp("ddp")
    (root / "raw").symlink_to(synth_raw)
    run_featurize(parse_params({}).features, 0.0, root / "raw", root / "features")
    write_params(root / "params.yaml", nproc=1)
    return root


def write_params(path: Path, **train) -> Path:
    raw = {"model": TINY["model"], "train": TINY["train"] | train}
    return dump_params(path, raw)


def train_cli(root: Path, name: str, params: Path):
    return sh(root, "italic-cnn", "train", "--config", "massive", "--params", str(params), "--features", "features",
              "--raw", "raw", "--models", f"{name}/models", "--results", f"{name}/results", check=False)  # fmt: skip


@pytest.fixture(scope="module")
def single(corpus) -> dict:
    result = train_cli(corpus, "single", corpus / "params.yaml")
    assert result.returncode == 0, result.stderr
    return json.loads((corpus / "single" / "results" / "massive" / "train" / "metrics.json").read_text())


def test_two_processes_take_the_same_steps_and_land_close_to_one_process(corpus, single):
    result = train_cli(corpus, "ddp", write_params(corpus / "ddp.yaml", nproc=2))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("massive epoch 1/5:") == 1  # only rank 0 speaks
    assert "best epoch" in result.stderr.splitlines()[-1]
    ddp = json.loads((corpus / "ddp" / "results" / "massive" / "train" / "metrics.json").read_text())
    splits = pq.read_table(corpus / "raw" / "splits.parquet").to_pylist()
    steps = sum(r["config"] == "massive" and r["split"] == "train" for r in splits) // 32
    assert single["optimizer_steps"] == ddp["optimizer_steps"] == 5 * steps
    assert sorted(p.name for p in (corpus / "ddp" / "models").rglob("*") if p.is_file()) == ["model.pt"]
    checkpoint = torch.load(corpus / "ddp" / "models" / "massive" / "model.pt", weights_only=True)
    assert checkpoint["world_size"] == 2 and checkpoint["best"]["epoch"] == ddp["best_epoch"]
    # same inputs and global batches; only BatchNorm statistics (per rank) and dropout masks differ, so
    # the curves agree epoch by epoch (the best epochs themselves may differ by one on a near-flat curve)
    for name, tolerance in (("train/loss", 0.02), ("val/loss", 0.05)):
        ours, theirs = curve(corpus / "ddp", name), curve(corpus / "single", name)
        assert len(ours) == len(theirs) == 5
        assert all(abs(a - b) <= tolerance * b for a, b in zip(ours, theirs, strict=True)), (name, ours, theirs)
    ours, theirs = curve(corpus / "ddp", "val/accuracy"), curve(corpus / "single", "val/accuracy")
    assert all(abs(a - b) <= 0.03 for a, b in zip(ours, theirs, strict=True))


def test_two_processes_under_bf16_autocast_land_close_to_one_float32_process(corpus, single):
    """DDP (gloo) with the forward in bf16: gradients are float32 and averaged as in float32, so the
    curves stay within bf16's rounding of the float32 single-process run's."""
    result = train_cli(corpus, "ddp16", write_params(corpus / "ddp16.yaml", nproc=2, precision="bf16"))
    assert result.returncode == 0, result.stderr
    assert "(bf16)" in result.stderr.splitlines()[-1]
    checkpoint = torch.load(corpus / "ddp16" / "models" / "massive" / "model.pt", weights_only=True)
    assert checkpoint["world_size"] == 2 and checkpoint["precision"] == "bf16"
    for name, tolerance in (("train/loss", 0.04), ("val/loss", 0.08)):
        ours, theirs = curve(corpus / "ddp16", name), curve(corpus / "single", name)
        assert all(abs(a - b) <= tolerance * b for a, b in zip(ours, theirs, strict=True)), (name, ours, theirs)
    assert curve(corpus / "ddp16", "train/loss")[-1] < curve(corpus / "ddp16", "train/loss")[0]


def test_torchrun_with_one_process_trains_through_ddp_and_matches_the_plain_run(corpus, single):
    """One process under torchrun joins a process group (gloo here, NCCL on a GPU) and trains through
    DDP; averaging one rank's gradients changes nothing, so its curves are the plain run's."""
    result = sh(corpus, sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "1",
                "-m", "pipeline", "train", "--config", "massive", "--params", "params.yaml", "--features", "features",
                "--raw", "raw", "--models", "one/models", "--results", "one/results", check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    checkpoint = torch.load(corpus / "one" / "models" / "massive" / "model.pt", weights_only=True)
    assert checkpoint["world_size"] == 1
    for name in ("train/loss", "train/ctc_loss", "val/loss", "val/accuracy", "val/cer"):
        ours, theirs = curve(corpus / "one", name), curve(corpus / "single", name)
        assert len(ours) == len(theirs) == 5
        assert ours == pytest.approx(theirs, rel=1e-5, abs=1e-7), name


def test_one_launched_process_is_a_distributed_world_and_a_plain_one_is_not(monkeypatch):
    for key in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(key, raising=False)
    assert not distributed.from_environment().enabled
    monkeypatch.setenv("RANK", "0")
    monkeypatch.setenv("WORLD_SIZE", "1")
    assert distributed.from_environment().enabled


def curve(run: Path, name: str) -> list[float]:
    tsv = run / "results" / "massive" / "train" / "plots" / "metrics" / f"{name}.tsv"
    return [float(line.split("\t")[1]) for line in tsv.read_text().splitlines()[1:]]


def _rank(rank: int, world: int, port: int, root: str) -> None:
    os.environ.update(RANK=str(rank), WORLD_SIZE=str(world), LOCAL_RANK=str(rank), MASTER_ADDR="127.0.0.1",
                      MASTER_PORT=str(port))  # fmt: skip
    base = Path(root)
    params = load_params(base / "ddp.yaml")
    result = run_train(params, "massive", base / "features", base / "raw", base / "api" / "model.pt",
                       base / "api" / "live", base / "api" / "resume")  # fmt: skip
    (base / "api" / f"rank-{rank}.json").write_text(json.dumps(result.history))


def test_every_rank_computes_the_same_validation_metrics(corpus):
    write_params(corpus / "ddp.yaml", nproc=2, epochs=2)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mp.start_processes(_rank, args=(2, port, str(corpus)), nprocs=2, start_method="spawn")
    ranks = [json.loads((corpus / "api" / f"rank-{r}.json").read_text()) for r in (0, 1)]
    assert len(ranks[0]) == 2
    for key in ("val_loss", "val_accuracy", "val_macro_f1", "val_cer", "train_loss"):
        assert [row[key] for row in ranks[0]] == [row[key] for row in ranks[1]]
    assert (corpus / "api" / "model.pt").is_file() and (corpus / "api" / "live" / "metrics.json").is_file()


def _score_rank(rank: int, world: int, port: int, root: str) -> None:
    os.environ.update(RANK=str(rank), WORLD_SIZE=str(world), LOCAL_RANK=str(rank), MASTER_ADDR="127.0.0.1",
                      MASTER_PORT=str(port))  # fmt: skip
    here = distributed.from_environment()
    distributed.join(here, torch.device("cpu"), world)
    try:
        logits, heard = _score_validation(Path(root), here)
    finally:
        distributed.leave(here)
    torch.save({"logits": logits, "heard": heard}, Path(root) / f"scored-{rank}.pt")


def _score_validation(root: Path, world: distributed.World) -> tuple[torch.Tensor, list[str]]:
    """An untrained network (the same on every rank) transcribes validation: its greedy paths are junk,
    but a different junk for every clip, so a transcript that lands on the wrong clip shows."""
    torch.manual_seed(0)
    store, cpu = FeatureStore(root / "features"), torch.device("cpu")
    val = load_split(store, split_ids("massive", "validation", root / "raw"), root / "raw", cpu)
    model = build_model("tcnn_pooled", val.n_bins, len(INTENTS), dataclasses.asdict(parse_params({}).model))
    return score_split(model, val, torch.zeros(val.n_bins), torch.ones(val.n_bins), 16, cpu, world, transcribe=True)


def test_transcripts_decoded_on_two_ranks_land_on_their_own_clips(corpus):
    """Under DDP each rank transcribes every other clip of the length order; gathered, every rank holds
    every clip's transcript at its place, exactly as one process scores them (validation's CER rests on it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mp.start_processes(_score_rank, args=(2, port, str(corpus)), nprocs=2, start_method="spawn")
    logits, heard = _score_validation(corpus, distributed.SINGLE)
    assert len(set(heard)) > len(heard) // 2  # distinct enough to tell the clips apart
    for rank in (0, 1):
        scored = torch.load(corpus / f"scored-{rank}.pt", weights_only=True)
        assert scored["heard"] == heard
        assert torch.allclose(scored["logits"], logits, atol=1e-5)


def test_a_batch_that_does_not_divide_over_the_ranks_is_one_line_naming_the_rank(corpus):
    params = write_params(corpus / "bad.yaml", nproc=2, batch_size=33)
    result = train_cli(corpus, "bad", params)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("error: train failed on rank ")
    assert f"{params}: train.batch_size 33 is the global batch and must divide evenly over the 2 processes" in lines[0]
    assert not (corpus / "bad" / "models" / "massive" / "model.pt").exists()
