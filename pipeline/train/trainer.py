"""The training loop: `Trainer.fit` is the epoch loop, and everything it does is a small method or a hook.

Every random choice of epoch `e` (batch order, crops, speed, noise, shifts, SpecAugment, dropout) is
drawn from seeds derived from (`seed`, `e`), so a run resumed at epoch `e` continues exactly as if it
had never stopped. Under DDP every rank draws the same global batch and augments it with the same
random numbers, then trains on its own rows of it; DDP averages the gradients.

Side effects (the best checkpoint, the resume state, dvclive curves, the console line) are hooks, so
the loop reads the same with or without them (the benchmarks run it bare).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import torch
from torch import nn

from pipeline.inference.scoring import evaluate_split
from pipeline.metrics import better
from pipeline.models import SpeechNet
from pipeline.train import distributed
from pipeline.train.data import Augmenter, Batch, length_batches
from pipeline.train.optimizer import make_optimizer, make_scheduler, steps_per_epoch
from pipeline.train.precision import autocast
from pipeline.train.run import RunData, RunSettings
from pipeline.train.seeding import epoch_seed


@dataclass
class TrainState:
    """Everything a resumed run needs besides the weights, optimizer and schedule."""

    epoch: int = 0  # epochs finished
    history: list[dict[str, float]] = field(default_factory=list)  # one row per epoch
    best: dict[str, Any] | None = None  # {"epoch", "metrics", "checkpoint"}
    stale: int = 0  # epochs since the best one


class Hook(Protocol):
    def on_epoch_end(self, trainer: Trainer, row: dict[str, float], improved: bool) -> None: ...


@dataclass
class Hooks:
    """What a run does besides training: `epoch` hooks after every epoch (checkpoint, curves, console,
    resume state), `checkpoint_of` to snapshot a best epoch, `progress` to show a bar."""

    epoch: Sequence[Hook] = ()
    checkpoint_of: Callable[[int, dict[str, float]], dict[str, Any]] | None = None
    progress: Callable[[int, int], Any] | None = None


class Trainer:
    """Fits `model` on `data` as `settings` say; `fit` is the epoch loop."""

    def __init__(self, model: SpeechNet, data: RunData, settings: RunSettings, hooks: Hooks | None = None):
        self.model, self.data, self.settings = model, data, settings
        self.hooks = hooks or Hooks()
        self.train, self.seed, self.device, self.world = settings.train, settings.seed, settings.device, settings.world
        self.augmenter = Augmenter(self.train, data.features)
        self.precision = settings.precision  # fp32 | bf16
        self.runner: nn.Module = torch.compile(model, dynamic=True) if self.train.compile else model
        self.trained = self._distributed(self.runner)
        self.optimizer = make_optimizer(model, self.train)
        self.steps = steps_per_epoch(len(data.train), self.train.batch_size)
        self.scheduler = make_scheduler(self.optimizer, self.train, self.steps)
        self.intent_loss = nn.CrossEntropyLoss(label_smoothing=self.train.label_smoothing)
        self.ctc_loss = nn.CTCLoss(blank=0, reduction="none", zero_infinity=True)
        self.state = TrainState()

    def _distributed(self, runner: nn.Module) -> nn.Module:
        """Under a launcher, DDP around the network: it averages the gradients across ranks."""
        if not self.world.enabled:
            return runner
        return nn.parallel.DistributedDataParallel(
            runner,
            device_ids=[self.device] if self.device.type == "cuda" else None,
            find_unused_parameters=self.train.ctc_weight == 0,  # the CTC head then takes no gradient
        )

    def fit(self) -> TrainState:
        for epoch in range(self.state.epoch, self.train.epochs):
            if self.train.patience and self.state.stale >= self.train.patience:
                break
            row = self.train_epoch(epoch)
            distributed.broadcast_buffers(self.model, self.world)
            metrics = self.validate()
            self.end_epoch(epoch, row, metrics)
        return self.state

    def train_epoch(self, epoch: int) -> dict[str, float]:
        self.trained.train()
        torch.manual_seed(epoch_seed(self.seed, epoch))  # dropout and SpecAugment masks
        generator = torch.Generator().manual_seed(epoch_seed(self.seed, epoch))
        batches = length_batches(self.data.train.lengths, self.train.batch_size, generator)
        clips = sum(len(b) for b in batches)
        bar = self.hooks.progress(epoch, clips) if self.hooks.progress else None
        started = time.perf_counter()
        totals = torch.zeros(2, device=self.device)
        lr = self.scheduler.get_last_lr()[0]
        for index in batches:
            batch = self.augmenter.batch(self.data.train, index, self.data.mean, self.data.std, generator)
            if self.world.enabled:
                batch = batch.rows(slice(self.world.rank, None, self.world.size))
            intent, ctc = self.step(batch)
            lr = self.scheduler.get_last_lr()[0]
            self.scheduler.step()
            totals += torch.stack([intent, ctc])
            if bar is not None:
                bar.update(len(index))
        if bar is not None:
            bar.close()
        if self.device.type == "cuda":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - started
        intent_loss, ctc_loss = (distributed.sum_(totals, self.world) / self.world.size / len(batches)).tolist()
        return {"epoch": epoch + 1, "train_loss": intent_loss, "train_ctc_loss": ctc_loss, "lr": lr,
                "samples_per_s": clips / seconds}  # fmt: skip

    def step(self, batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
        """One optimizer step; returns the (intent, CTC) losses, detached."""
        with autocast(self.precision, self.device):  # the forward only: both losses are float32
            if self.train.ctc_weight > 0:
                outputs = self.trained(batch.x, batch.lengths, transcribe=True)
                logits = outputs.intent
            else:
                outputs, logits = None, self.trained(batch.x, batch.lengths)
        intent = self.intent_loss(logits.float(), batch.labels)
        if outputs is not None:
            ctc = self.transcript_loss(outputs.chars, outputs.steps, batch)
        else:
            ctc = torch.zeros((), device=intent.device)
        loss = intent + self.train.ctc_weight * ctc
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return intent.detach(), ctc.detach()

    def transcript_loss(self, chars: torch.Tensor, steps: torch.Tensor, batch: Batch) -> torch.Tensor:
        """CTC per clip divided by its transcript length, averaged over clips that have a transcript
        (clips without one, or cropped, add nothing). CTCLoss reads its lengths on the host: handing it
        CPU copies (the steps recomputed from the CPU lengths) spares a GPU round trip per step."""
        has_text = batch.host_target_lengths > 0
        if not bool(has_text.any()):
            return chars.sum() * 0.0  # keeps the graph whole under DDP
        log_probs = chars.float().log_softmax(-1).transpose(0, 1)  # [T, B, C]
        host_steps = self.model.steps_of(batch.host_lengths)
        per_clip = self.ctc_loss(log_probs, batch.targets, host_steps, batch.host_target_lengths)
        per_clip = per_clip / batch.target_lengths.clamp(min=1)
        mask = batch.target_lengths > 0
        return (per_clip * mask).sum() / int(has_text.sum())

    def validate(self) -> dict[str, float]:
        """Every rank computes the same metrics from the same gathered logits; a network trained to spell
        is also scored on its spelling, so the CTC head's progress is a curve, not only a final number."""
        data = self.data
        return evaluate_split(self.runner, data.val, data.mean, data.std, 2 * self.train.batch_size, self.device,
                              self.world, spell=self.train.ctc_weight > 0)  # fmt: skip

    def end_epoch(self, epoch: int, row: dict[str, float], metrics: dict[str, float]) -> None:
        row = row | {"val_loss": metrics["loss"], "val_accuracy": metrics["accuracy"],
                     "val_macro_f1": metrics["macro_f1"]}  # fmt: skip
        if "cer" in metrics:
            row["val_cer"] = metrics["cer"]
        state = self.state
        state.history.append(row)
        improved = better(self.train.select_by, metrics, state.best["metrics"] if state.best else None)
        if improved:
            checkpoint_of = self.hooks.checkpoint_of
            checkpoint = checkpoint_of(epoch + 1, metrics) if checkpoint_of else None
            state.best = {"epoch": epoch + 1, "metrics": metrics, "checkpoint": checkpoint}
            state.stale = 0
        else:
            state.stale += 1
        state.epoch = epoch + 1
        for hook in self.hooks.epoch:
            hook.on_epoch_end(self, row, improved)

    def resume_state(self) -> dict[str, Any]:
        s = self.state
        return {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(), "history": s.history, "best": s.best, "stale": s.stale,
                "epoch": s.epoch}  # fmt: skip

    def load_resume_state(self, saved: dict[str, Any]) -> None:
        self.model.load_state_dict(saved["model"])
        self.optimizer.load_state_dict(saved["optimizer"])
        self.scheduler.load_state_dict(saved["scheduler"])
        self.state = TrainState(saved["epoch"], saved["history"], saved["best"], saved["stale"])
