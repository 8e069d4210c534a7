"""`italic-cnn train --config C`: fit a CNN on C's train split, keep the best epoch by validation.

Writes models/C/model.pt (the best epoch, everything `predict` needs) and the dvclive folder
results/C/train (per-epoch curves; the summary holds the best epoch, not the last).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from tqdm import tqdm

from pipeline import code
from pipeline.alphabet import ALPHABET
from pipeline.atomic import OUTPUT_MARKER, check_replaceable
from pipeline.device import pick_device
from pipeline.errors import DataError
from pipeline.features.reader import FeatureStore
from pipeline.inference.clips import load_split
from pipeline.labels import INTENTS
from pipeline.models import SpeechNet, build_model
from pipeline.models.cost import model_cost
from pipeline.params import Params, recipe_text
from pipeline.skips import missing_text
from pipeline.train import checkpoint as ckpt
from pipeline.train import distributed
from pipeline.train.data import Augmenter, check_not_empty, choose_ids, normalization
from pipeline.train.loop import set_determinism
from pipeline.train.noise import natural_log_scale
from pipeline.train.noisy_validation import with_noise
from pipeline.train.reading import ReaderFit, fit_reader
from pipeline.train.trainer import Trainer, TrainState

if TYPE_CHECKING:
    from dvclive import Live


@dataclass
class TrainResult:
    config: str
    best_epoch: int
    best: dict[str, float]
    epochs_run: int
    seconds: float
    resumed_from: int
    device: str
    train_clips: int
    val_clips: int
    history: list[dict[str, float]] = dataclasses.field(default_factory=list)  # one row per epoch run
    missing: dict[str, dict[int, str]] = dataclasses.field(default_factory=dict)  # split -> {id: reason}
    val_noise_snr_db: float | None = None  # validation clips carried noise at this SNR (+- 5 dB)
    reading: ReaderFit | None = None  # the transcript reader fused into the checkpoint (None: train.reader off)
    recipe: dict[str, Any] = dataclasses.field(default_factory=dict)  # the keys the config's own recipe set

    def summary(self, model_path: Path) -> str:
        resumed = f", resumed after epoch {self.resumed_from}" if self.resumed_from else ""
        counts = []
        for split, used in (("train", self.train_clips), ("validation", self.val_clips)):
            missing = self.missing.get(split, {})
            skipped = f"{missing_text(missing)} skipped, no features" if missing else "0 skipped"
            counts.append(f"{split} {used + len(missing)} in, {used} used, {skipped}")
        if self.val_noise_snr_db is not None:
            counts[-1] += f", noise mixed in at {self.val_noise_snr_db:g} +- 5 dB SNR"
        spelling = (
            f", CER {self.best['cer']:.3f} on {self.best['transcripts']:.0f} transcripts" if "cer" in self.best else ""
        )
        return (
            f"train {self.config} ({recipe_text(self.recipe)}): {'; '.join(counts)}; "
            f"best epoch {self.best_epoch}/{self.epochs_run}: val accuracy {self.best['accuracy']:.3f}, "
            f"macro-F1 {self.best['macro_f1']:.3f}{spelling}, loss {self.best['loss']:.3f}; "
            f"{self.seconds:.0f} s on {self.device}{resumed}{self.reading.line() if self.reading else ''} -> {model_path}"
        )


def run_train(
    params: Params,
    config: str,
    features_dir: Path,
    raw_dir: Path,
    model_path: Path,
    live_dir: Path | None,
    resume_dir: Path = ckpt.RESUME_DIR,
    recipe: dict[str, Any] | None = None,
) -> TrainResult:
    """`params` are the config's effective params (Params.for_config); `recipe` names the keys its own
    recipe set, recorded in the checkpoint and the summary so that a run says how it departed from the
    shared sections. Under torchrun (see pipeline.train.distributed) every rank runs this; only rank 0 writes.
    `live_dir` None trains without dvclive curves (benchmarks/gpu.py runs it so where dvclive is not
    installed)."""
    world = distributed.from_environment()
    if live_dir is not None and world.is_main:  # dvclive empties plots/ and metrics.json of the folder it opens
        check_replaceable(live_dir, "train", TRAIN_NAMES)
    device = distributed.join(world, pick_device(params.train.device, "train.device"), params.train.batch_size)
    try:
        return _train(params, config, features_dir, raw_dir, model_path, live_dir, resume_dir, world, device,
                      dict(recipe or {}))  # fmt: skip
    finally:
        distributed.leave(world)


def _train(
    params: Params,
    config: str,
    features_dir: Path,
    raw_dir: Path,
    model_path: Path,
    live_dir: Path | None,
    resume_dir: Path,
    world: distributed.World,
    device: torch.device,
    recipe: dict[str, Any],
) -> TrainResult:
    started = time.perf_counter()
    train, seed = params.train, params.seed
    if train.threads:
        torch.set_num_threads(train.threads)
    set_determinism(train.deterministic, device)
    torch.manual_seed(seed)

    store = FeatureStore(features_dir, expected=params.features.metadata())
    features = store.metadata
    train_listed, val_listed = choose_ids(config, train, seed, raw_dir)
    # clips featurize skipped (silent, too short, ...) are left out here, counted and named in the summary
    train_ids, train_missing = store.split_by_presence(train_listed)
    val_ids, val_missing = store.split_by_presence(val_listed)
    data = load_split(store, train_ids, raw_dir, device)
    val = load_split(store, val_ids, raw_dir, device)
    store.close()  # the splits hold their own copies; the shards' decoded columns are not needed again
    check_not_empty(data, "train", config)
    check_not_empty(val, "validation", config)
    if train.val_noise_snr_db is not None:
        val = with_noise(val, train, features, seed)
    mean, std = normalization(data)

    model_params = dataclasses.asdict(params.model)
    n_bins = data.n_bins
    model = model_to_train(params.model.arch, model_params, n_bins, mean, std, features).to(device)
    missing = {"train": train_missing, "validation": val_missing}
    if world.is_main:
        print(f"train {config}: {model_cost(params.model.arch, model_params, features).line()}", file=sys.stderr)

    def checkpoint_of(epoch: int, metrics: dict[str, float]) -> dict[str, Any]:
        return {
            "format_version": ckpt.CHECKPOINT_VERSION,
            "arch": params.model.arch,
            "model": model_params,
            "n_bins": n_bins,
            "state_dict": {k: v.detach().cpu().clone() for k, v in model.state_dict().items()},
            "features": features,
            "labels": list(INTENTS),
            "alphabet": list(ALPHABET),
            "normalization": {"mean": mean.cpu(), "std": std.cpu()},
            "config": config,
            "recipe": {key: list(value) if isinstance(value, tuple) else value for key, value in recipe.items()},
            "best": {"epoch": epoch, **{f"val_{k}": v for k, v in metrics.items()}, "select_by": train.select_by},
            "train": dataclasses.asdict(train),
            "seed": seed,
            "world_size": world.size,
            "clips": {"train": len(data), "validation": len(val), "missing": missing},
            "versions": ckpt.versions(),
        }

    # every param (device, threads, nproc and compile change the numbers too), the device it resolved
    # to, the world size and the code: a state saved under anything else is not resumed
    key = ckpt.fingerprint(
        {"config": config, "seed": seed, "model": model_params, "train": dataclasses.asdict(train),
         "features": features, "train_ids": train_ids, "val_ids": val_ids, "device": device.type,
         "world_size": world.size, "code": code.fingerprint(code.command_files("train"))},
        features_dir,
    )  # fmt: skip
    resume_file = ckpt.resume_path(config, key, resume_dir)
    live = _open_live(live_dir) if world.is_main and live_dir is not None else None
    hooks = [BestCheckpoint(model_path), LiveCurves(live), ConsoleLine(config, train.epochs), ResumeState(resume_file)]
    tty = sys.stderr.isatty() and world.is_main

    def progress(epoch: int, clips: int) -> tqdm:
        return tqdm(total=clips, desc=f"{config} epoch {epoch + 1}/{train.epochs}", unit="clip", disable=not tty,
                    file=sys.stderr, leave=False)  # fmt: skip

    trainer = Trainer(model, train, seed, data, val, mean, std, Augmenter(train, features), device, world,
                      hooks if world.is_main else [], checkpoint_of, progress)  # fmt: skip
    saved = distributed.broadcast_object(_load_resume(resume_file) if world.is_main else None, world)
    if saved is not None:
        trainer.load_resume_state(saved)
        for past in trainer.state.history:  # a resumed run rewrites the curves it had logged before
            _log_epoch(live, past)
    resumed_from = trainer.state.epoch
    state = trainer.fit()
    best = state.best
    assert best is not None
    reading = None
    if world.is_main:
        if train.reader:
            model.load_state_dict(best["checkpoint"]["state_dict"])  # the kept epoch, not the last
            reading = fit_reader(model, data, val, mean, std, train, device)
            reading.store_in(best["checkpoint"])
            ckpt.save(best["checkpoint"], model_path)
        elif not model_path.exists():  # resumed after the best epoch: DVC had removed the file before this run
            ckpt.save(best["checkpoint"], model_path)
        if live is not None:
            _write_summary(live, state, trainer.steps, reading, recipe)
        resume_file.unlink(missing_ok=True)
    return TrainResult(config, best["epoch"], best["metrics"], len(state.history), time.perf_counter() - started,
                       resumed_from, str(device), len(data), len(val), state.history, missing,
                       train.val_noise_snr_db, reading, recipe)  # fmt: skip


def model_to_train(
    arch: str,
    model_params: dict[str, Any],
    n_bins: int,
    mean: torch.Tensor,
    std: torch.Tensor,
    features: dict[str, Any],
) -> SpeechNet:
    """A fresh network for the train split whose per-bin `mean` and `std` standardize its input. PCEN
    turns standardized features back into energies, so it must know them before the first step; every
    caller that trains (this stage, the benchmarks) builds through here so none can forget."""
    model = build_model(arch, n_bins, len(INTENTS), model_params)
    if model.pcen is not None:
        model.pcen.set_statistics(mean, std, natural_log_scale(features))
    return model


def _open_live(live_dir: Path) -> Live:
    from dvclive import Live

    live = Live(dir=str(live_dir), dvcyaml=False, save_dvc_exp=False, report=None)
    (Path(live_dir) / OUTPUT_MARKER).write_text("train\n", encoding="utf-8")
    return live


# what dvclive writes in (and clears from) results/<config>/train: the only names a folder may hold
# for train to open it without a marker (train refuses any other folder, as atomic_dir does)
TRAIN_NAMES = ("metrics.json", "plots", "params.yaml", "report.html", "report.md", "dvc.yaml")


def _write_summary(
    live: Live, state: TrainState, steps_per_epoch: int, reading: ReaderFit | None, recipe: dict[str, Any]
) -> None:
    """The summary holds the best epoch, not the last, the transcript reader fused into it, and the
    keys the config's own recipe set."""
    best = state.best
    live.summary = {
        "best_epoch": best["epoch"],
        "epochs": len(state.history),
        "optimizer_steps": len(state.history) * steps_per_epoch,
        "train": {"loss": state.history[best["epoch"] - 1]["train_loss"],
                  "ctc_loss": state.history[best["epoch"] - 1]["train_ctc_loss"]},
        "val": dict(best["metrics"]),
    }  # fmt: skip
    if reading is not None:
        live.summary["reader"] = reading.summary()
    live.summary["recipe"] = recipe_text(recipe)
    live.make_summary()
    live.end()


@dataclass
class BestCheckpoint:
    """Writes models/C/model.pt whenever an epoch beats the best so far."""

    path: Path

    def on_epoch_end(self, trainer: Trainer, row: dict[str, float], improved: bool) -> None:
        if improved:
            ckpt.save(trainer.state.best["checkpoint"], self.path)


@dataclass
class LiveCurves:
    live: Live | None

    def on_epoch_end(self, trainer: Trainer, row: dict[str, float], improved: bool) -> None:
        _log_epoch(self.live, row)


@dataclass
class ConsoleLine:
    config: str
    epochs: int

    def on_epoch_end(self, trainer: Trainer, row: dict[str, float], improved: bool) -> None:
        ctc = f", CTC {row['train_ctc_loss']:.3f}" if trainer.train.ctc_weight > 0 else ""
        cer = f", CER {row['val_cer']:.3f}" if "val_cer" in row else ""
        print(
            f"{self.config} epoch {row['epoch']}/{self.epochs}: train loss {row['train_loss']:.3f}{ctc}, val loss "
            f"{row['val_loss']:.3f}, accuracy {row['val_accuracy']:.3f}, macro-F1 {row['val_macro_f1']:.3f}{cer}, "
            f"lr {row['lr']:.2e}, {row['samples_per_s']:.0f} clips/s{' *' if improved else ''}",
            file=sys.stderr,
        )


@dataclass
class ResumeState:
    """After every epoch, what `italic-cnn train` continues from if it is killed (see checkpoint.py)."""

    path: Path

    def on_epoch_end(self, trainer: Trainer, row: dict[str, float], improved: bool) -> None:
        ckpt.save(trainer.resume_state(), self.path)


def _log_epoch(live: Live | None, row: dict[str, float]) -> None:
    if live is None:  # not rank 0
        return
    live.log_metric("train/loss", row["train_loss"])
    live.log_metric("train/ctc_loss", row["train_ctc_loss"])
    live.log_metric("val/loss", row["val_loss"])
    live.log_metric("val/accuracy", row["val_accuracy"])
    live.log_metric("val/macro_f1", row["val_macro_f1"])
    if "val_cer" in row:  # a network trained to spell
        live.log_metric("val/cer", row["val_cer"])
    live.log_metric("lr", row["lr"])  # throughput stays on the console: it differs between identical runs
    live.next_step()


def _load_resume(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception:
        print(f"warning: ignoring unreadable resume state {path}", file=sys.stderr)
        return None


__all__ = ["DataError", "TrainResult", "run_train"]
