"""One epoch of training and one pass of validation.

Every random choice of epoch `e` (shuffle, crops, noise, SpecAugment, dropout) is drawn from seeds
derived from (`seed`, `e`), so a run resumed at epoch `e` continues exactly as if never stopped.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from pipeline.params import TrainParams
from pipeline.train.data import Augmenter, Split, normalize
from pipeline.train.distributed import SINGLE, World, gather_rows, sum_
from pipeline.train.metrics import classification_metrics


@dataclass
class EpochResult:
    train_loss: float
    samples_per_s: float
    lr: float


def epoch_seed(seed: int, epoch: int) -> int:
    return (seed * 1_000_003 + epoch) % 2**63


def steps_per_epoch(n: int, batch_size: int) -> int:
    """Full batches only (a batch of one breaks BatchNorm); a split smaller than a batch is one batch."""
    return max(1, n // batch_size)


def autocast(device: torch.device) -> contextlib.AbstractContextManager:
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def make_optimizer(model: nn.Module, train: TrainParams) -> torch.optim.Optimizer:
    if train.optimizer == "sgd":
        return torch.optim.SGD(
            model.parameters(), lr=train.lr, momentum=train.momentum, nesterov=True, weight_decay=train.weight_decay
        )
    return torch.optim.AdamW(model.parameters(), lr=train.lr, weight_decay=train.weight_decay)


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


def train_epoch(
    model: nn.Module,
    data: Split,
    mean: torch.Tensor,
    std: torch.Tensor,
    augmenter: Augmenter,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    loss_fn: nn.Module,
    train: TrainParams,
    seed: int,
    epoch: int,
    device: torch.device,
    progress=None,
    world: World = SINGLE,
) -> EpochResult:
    """Under DDP every rank draws the same global batch and augments it (the same random numbers as one
    process would), then trains on its own rows of it; DDP averages the gradients."""
    model.train()
    torch.manual_seed(epoch_seed(seed, epoch))  # dropout and SpecAugment masks
    generator = torch.Generator().manual_seed(epoch_seed(seed, epoch))
    order = torch.randperm(len(data), generator=generator).to(data.x.device)
    batch = min(train.batch_size, len(data))
    steps = steps_per_epoch(len(data), train.batch_size)
    started = time.perf_counter()
    total_loss = torch.zeros((), device=device)
    lr = scheduler.get_last_lr()[0]
    for step in range(steps):
        index = order[step * batch : (step + 1) * batch]
        x, lengths = augmenter.crop(data, index, generator)
        x = augmenter.mix_noise(x, lengths, generator)
        x = augmenter.spec_augment(normalize(x, lengths, mean, std))
        labels = data.labels[index]
        if world.enabled:
            mine = slice(world.rank, None, world.size)
            x, lengths, labels = x[mine], lengths[mine], labels[mine]
        with autocast(device):
            logits = model(x, lengths)
            loss = loss_fn(logits.float(), labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        lr = scheduler.get_last_lr()[0]
        scheduler.step()
        total_loss += loss.detach()
        if progress is not None:
            progress.update(len(index))
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    mean_loss = float(sum_(total_loss, world)) / world.size / steps
    return EpochResult(mean_loss, steps * batch / seconds, lr)


@torch.inference_mode()
def predict_split(
    model: nn.Module,
    data: Split,
    mean: torch.Tensor,
    std: torch.Tensor,
    batch_size: int,
    device: torch.device,
    world: World = SINGLE,
) -> torch.Tensor:
    """Logits for every clip at full length, in batches of similar length; [N, n_classes] float32 on CPU.
    Under DDP each rank scores every size-th clip of the length order and all ranks get every row."""
    model.eval()
    order = torch.argsort(data.lengths.cpu(), stable=True)
    mine = order[world.rank :: world.size]
    scored = torch.empty(len(mine), model.head.out_features)
    for start in range(0, len(mine), batch_size):
        index = mine[start : start + batch_size].to(data.x.device)
        lengths = data.lengths[index]
        x = normalize(data.x[index][..., : int(lengths.max())], lengths, mean, std)
        with autocast(device):
            scored[start : start + len(index)] = model(x, lengths).float().cpu()
    if world.enabled:
        scored = gather_rows(scored.to(device), world, len(data)).cpu()
    out = torch.empty_like(scored)
    out[order] = scored  # back from length order to the split's order
    return out


def evaluate_split(
    model: nn.Module,
    data: Split,
    mean: torch.Tensor,
    std: torch.Tensor,
    batch_size: int,
    device: torch.device,
    world: World = SINGLE,
) -> dict[str, float]:
    """Every rank computes the same metrics from the same gathered logits."""
    logits = predict_split(model, data, mean, std, batch_size, device, world)
    labels = data.labels.cpu()
    loss = float(nn.functional.cross_entropy(logits, labels))
    metrics = classification_metrics(labels.numpy(), logits.argmax(dim=1).numpy())
    return {"loss": loss, **metrics}


def as_numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy()
