"""`italic-cnn train --config C`: fit a CNN on C's train split, keep the best epoch by validation.

Writes models/C/model.pt (the best epoch, everything `predict` needs) and the dvclive folder
results/C/train (per-epoch curves; the summary holds the best epoch, not the last).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
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
from pipeline.labels import INTENTS
from pipeline.models.cost import model_cost
from pipeline.params import Params, recipe_text
from pipeline.skips import missing_text
from pipeline.train import checkpoint as ckpt
from pipeline.train import distributed
from pipeline.train.reading import ReaderFit, fit_reader
from pipeline.train.run import Run, RunSettings, prepare_run
from pipeline.train.trainer import Hooks, Trainer, TrainState

if TYPE_CHECKING:
    from dvclive import Live


@dataclass(frozen=True)
class ClipCounts:
    """The clips a run used, and those it could not (featurize skipped them)."""

    train: int
    val: int
    missing: dict[str, dict[int, str]]  # split -> {id: reason}
    val_noise_snr_db: float | None = None  # validation clips carried noise at this SNR (+- 5 dB)


@dataclass
class TrainResult:
    config: str
    state: TrainState  # the best epoch, its metrics, one history row per epoch run
    clips: ClipCounts
    seconds: float
    device: str
    resumed_from: int = 0
    reading: ReaderFit | None = None  # the transcript reader fused into the checkpoint (None: train.reader off)
    recipe: dict[str, Any] = dataclasses.field(default_factory=dict)  # the keys the config's own recipe set

    @property
    def best_epoch(self) -> int:
        return self.state.best["epoch"]

    @property
    def best(self) -> dict[str, float]:
        return self.state.best["metrics"]

    @property
    def history(self) -> list[dict[str, float]]:
        return self.state.history

    @property
    def epochs_run(self) -> int:
        return len(self.state.history)

    def summary(self, model_path: Path) -> str:
        resumed = f", resumed after epoch {self.resumed_from}" if self.resumed_from else ""
        counts = []
        for split, used in (("train", self.clips.train), ("validation", self.clips.val)):
            missing = self.clips.missing.get(split, {})
            skipped = f"{missing_text(missing)} skipped, no features" if missing else "0 skipped"
            counts.append(f"{split} {used + len(missing)} in, {used} used, {skipped}")
        if self.clips.val_noise_snr_db is not None:
            counts[-1] += f", noise mixed in at {self.clips.val_noise_snr_db:g} +- 5 dB SNR"
        best = self.best
        spelling = f", CER {best['cer']:.3f} on {best['transcripts']:.0f} transcripts" if "cer" in best else ""
        return (
            f"train {self.config} ({recipe_text(self.recipe)}): {'; '.join(counts)}; "
            f"best epoch {self.best_epoch}/{self.epochs_run}: val accuracy {best['accuracy']:.3f}, "
            f"macro-F1 {best['macro_f1']:.3f}{spelling}, loss {best['loss']:.3f}; "
            f"{self.seconds:.0f} s on {self.device}{resumed}{self.reading.line() if self.reading else ''} -> {model_path}"
        )


@dataclass(frozen=True)
class StageFiles:
    """Where the stage writes: the checkpoint, the dvclive folder (None: no curves), the resume state."""

    model: Path
    live: Path | None
    resume: Path


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
    shared sections. Under torchrun (see pipeline.train.distributed) every rank runs this; only rank 0
    writes. `live_dir` None trains without dvclive curves (benchmarks/gpu.py runs it so where dvclive is
    not installed). The epoch loop is `Trainer.fit`."""
    started = time.perf_counter()
    world = distributed.from_environment()
    if live_dir is not None and world.is_main:  # dvclive empties plots/ and metrics.json of the folder it opens
        check_replaceable(live_dir, "train", TRAIN_NAMES)
    device = distributed.join(world, pick_device(params.train.device, "train.device"), params.train.batch_size)
    recipe = dict(recipe or {})
    try:
        run = prepare_run(RunSettings(params, config, device, world), features_dir, raw_dir)
        files = StageFiles(model_path, live_dir, ckpt.resume_path(config, resume_key(run, features_dir), resume_dir))
        live = _open_live(live_dir) if world.is_main and live_dir is not None else None
        if world.is_main:
            print(f"train {config}: {model_cost(params.model.arch, run.model_params, run.data.features).line()}",
                  file=sys.stderr)  # fmt: skip
        trainer = Trainer(run.model, run.data, run.settings, stage_hooks(run, files, live, recipe))
        resumed_from = resume(trainer, files.resume, live)
        state = trainer.fit()
        reading = finish(trainer, files, live, recipe) if world.is_main else None
        clips = ClipCounts(len(run.data.train), len(run.data.val), run.data.missing, params.train.val_noise_snr_db)
        return TrainResult(config, state, clips, time.perf_counter() - started, f"{device} ({trainer.precision})",
                           resumed_from, reading, recipe)  # fmt: skip
    finally:
        distributed.leave(world)


def checkpoint_maker(run: Run, recipe: dict[str, Any]) -> Callable[[int, dict[str, float]], dict[str, Any]]:
    """The checkpoint of the network as it is now, for the best epoch: everything predict needs."""
    settings, data, model = run.settings, run.data, run.model
    train = settings.train

    def checkpoint_of(epoch: int, metrics: dict[str, float]) -> dict[str, Any]:
        return {
            "format_version": ckpt.CHECKPOINT_VERSION,
            "arch": settings.params.model.arch,
            "model": run.model_params,
            "n_bins": data.train.n_bins,
            "state_dict": {k: v.detach().cpu().clone() for k, v in model.state_dict().items()},
            "features": data.features,
            "labels": list(INTENTS),
            "alphabet": list(ALPHABET),
            "normalization": {"mean": data.mean.cpu(), "std": data.std.cpu()},
            "config": settings.config,
            "recipe": {key: list(value) if isinstance(value, tuple) else value for key, value in recipe.items()},
            "best": {"epoch": epoch, **{f"val_{k}": v for k, v in metrics.items()}, "select_by": train.select_by},
            "train": dataclasses.asdict(train),
            "seed": settings.seed,
            "world_size": settings.world.size,
            "precision": settings.precision,
            "clips": {"train": len(data.train), "validation": len(data.val), "missing": data.missing},
            "versions": ckpt.versions(),
        }

    return checkpoint_of


def resume_key(run: Run, features_dir: Path) -> str:
    """Every param (device, threads, nproc, precision and compile change the numbers too), the device
    and precision it resolved to, the world size and the code: a state saved under anything else is
    not resumed."""
    settings, data = run.settings, run.data
    return ckpt.fingerprint(
        {"config": settings.config, "seed": settings.seed, "model": run.model_params,
         "train": dataclasses.asdict(settings.train), "features": data.features, "train_ids": data.train.ids,
         "val_ids": data.val.ids, "device": settings.device.type, "precision": settings.precision,
         "world_size": settings.world.size,
         "code": code.fingerprint(code.command_files("train"))},
        features_dir,
    )  # fmt: skip


def stage_hooks(run: Run, files: StageFiles, live: Live | None, recipe: dict[str, Any]) -> Hooks:
    """The stage's side effects, on the main process only: best checkpoint, curves, console, resume."""
    settings = run.settings
    if not settings.world.is_main:
        return Hooks(checkpoint_of=checkpoint_maker(run, recipe))
    epochs, tty = settings.train.epochs, sys.stderr.isatty()

    def progress(epoch: int, clips: int) -> tqdm:
        return tqdm(total=clips, desc=f"{settings.config} epoch {epoch + 1}/{epochs}", unit="clip", disable=not tty,
                    file=sys.stderr, leave=False)  # fmt: skip

    epoch_hooks = [BestCheckpoint(files.model), LiveCurves(live), ConsoleLine(settings.config, epochs),
                   ResumeState(files.resume)]  # fmt: skip
    return Hooks(epoch_hooks, checkpoint_maker(run, recipe), progress)


def resume(trainer: Trainer, resume_file: Path, live: Live | None) -> int:
    """Continue from the state an interrupted run left (rank 0 reads it, every rank gets it); the
    epochs already done. A resumed run rewrites the curves it had logged before."""
    world = trainer.world
    saved = distributed.broadcast_object(_load_resume(resume_file) if world.is_main else None, world)
    if saved is not None:
        trainer.load_resume_state(saved)
        for past in trainer.state.history:
            _log_epoch(live, past)
    return trainer.state.epoch


def finish(trainer: Trainer, files: StageFiles, live: Live | None, recipe: dict[str, Any]) -> ReaderFit | None:
    """After the epochs, on the main process: the transcript reader fitted to the kept epoch and saved
    with it, dvclive's summary, the resume state removed."""
    state, data, train = trainer.state, trainer.data, trainer.train
    best = state.best
    assert best is not None
    reading = None
    if train.reader:
        trainer.model.load_state_dict(best["checkpoint"]["state_dict"])  # the kept epoch, not the last
        reading = fit_reader(trainer.model, data.train, data.val, data.mean, data.std, train, trainer.device)
        reading.store_in(best["checkpoint"])
        ckpt.save(best["checkpoint"], files.model)
    elif not files.model.exists():  # resumed after the best epoch: DVC had removed the file before this run
        ckpt.save(best["checkpoint"], files.model)
    if live is not None:
        _write_summary(live, trainer, reading, recipe)
    files.resume.unlink(missing_ok=True)
    return reading


def _open_live(live_dir: Path) -> Live:
    from dvclive import Live

    live = Live(dir=str(live_dir), dvcyaml=False, save_dvc_exp=False, report=None)
    (Path(live_dir) / OUTPUT_MARKER).write_text("train\n", encoding="utf-8")
    return live


# what dvclive writes in (and clears from) results/<config>/train: the only names a folder may hold
# for train to open it without a marker (train refuses any other folder, as atomic_dir does)
TRAIN_NAMES = ("metrics.json", "plots", "params.yaml", "report.html", "report.md", "dvc.yaml")


def _write_summary(live: Live, trainer: Trainer, reading: ReaderFit | None, recipe: dict[str, Any]) -> None:
    """The summary holds the best epoch, not the last, the transcript reader fused into it, the keys
    the config's own recipe set, and the precision the forward pass ran in."""
    state = trainer.state
    best = state.best
    live.summary = {
        "best_epoch": best["epoch"],
        "epochs": len(state.history),
        "optimizer_steps": len(state.history) * trainer.steps,
        "precision": trainer.precision,
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
