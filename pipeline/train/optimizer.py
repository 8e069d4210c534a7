"""The optimizer and its learning-rate schedule, built from `train.*`."""

from __future__ import annotations

import math
from typing import Any

import torch

from pipeline.models import SpeechNet
from pipeline.params import TrainParams


def steps_per_epoch(n: int, batch_size: int) -> int:
    """Full batches only (a batch of one breaks BatchNorm); a split smaller than a batch is one batch."""
    return max(1, n // batch_size)


def parameter_groups(model: SpeechNet, weight_decay: float) -> list[dict[str, Any]]:
    """One group at `weight_decay`, and where the network names any, one without it."""
    undecayed = model.undecayed_parameters()
    skip = {id(p) for p in undecayed}
    groups = [{"params": [p for p in model.parameters() if id(p) not in skip], "weight_decay": weight_decay}]
    return [*groups, {"params": undecayed, "weight_decay": 0.0}] if undecayed else groups


def make_optimizer(model: SpeechNet, train: TrainParams) -> torch.optim.Optimizer:
    """On CUDA the fused kernels: one launch per step for all the weights instead of several per tensor."""
    fused = next(model.parameters()).is_cuda
    groups = parameter_groups(model, train.weight_decay)
    if train.optimizer == "sgd":
        return torch.optim.SGD(groups, lr=train.lr, momentum=train.momentum, nesterov=True, fused=fused or None)
    return torch.optim.AdamW(groups, lr=train.lr, fused=fused or None)


def make_scheduler(
    optimizer: torch.optim.Optimizer, train: TrainParams, steps: int
) -> torch.optim.lr_scheduler.LRScheduler:
    total = train.epochs * steps
    if train.scheduler == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=train.lr, total_steps=total)
    if train.scheduler == "cosine":
        warmup = int(train.warmup_epochs * steps)

        def factor(step: int) -> float:
            if step < warmup:
                return (step + 1) / warmup
            progress = (step - warmup) / max(1, total - warmup)
            return 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))

        return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
