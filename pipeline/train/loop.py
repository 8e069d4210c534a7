"""The pieces the Trainer is built from: optimizer, schedule, mixed precision, and scoring a whole
split at full length (validation, evaluate)."""

from __future__ import annotations

import contextlib
import math
import os
from typing import Any

import numpy as np
import torch
from torch import nn

from pipeline.alphabet import character_error_rate, greedy_decode
from pipeline.models import SpeechNet
from pipeline.params import TrainParams
from pipeline.train.data import Split, normalize
from pipeline.train.distributed import SINGLE, World, gather_objects, gather_rows
from pipeline.train.metrics import classification_metrics


def set_determinism(deterministic: bool, device: torch.device) -> None:
    if deterministic and device.type == "cuda":
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(deterministic, warn_only=True)
    # whole-clip batches change shape every step: cuDNN's autotuner would re-tune for each new length
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = deterministic


def epoch_seed(seed: int, epoch: int) -> int:
    return (seed * 1_000_003 + epoch) % 2**63


def steps_per_epoch(n: int, batch_size: int) -> int:
    """Full batches only (a batch of one breaks BatchNorm); a split smaller than a batch is one batch."""
    return max(1, n // batch_size)


def autocast(device: torch.device) -> contextlib.AbstractContextManager:
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


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
    """Intent logits for every clip at full length; [N, n_classes] float32 on CPU."""
    return score_split(model, data, mean, std, batch_size, device, world)[0]


@torch.inference_mode()
def score_split(
    model: nn.Module,
    data: Split,
    mean: torch.Tensor,
    std: torch.Tensor,
    batch_size: int,
    device: torch.device,
    world: World = SINGLE,
    transcribe: bool = False,
) -> tuple[torch.Tensor, list[str] | None]:
    """Logits for every clip at full length, in batches of similar length, and with `transcribe` the
    CTC head's greedy transcript of each. Under DDP each rank scores every size-th clip of the length
    order and all ranks get every row and every transcript.

    Scoring runs in float32 on every device, as `predict` and the exported models do: only training
    uses bf16 autocast, so validation, evaluate, predict and the exports give one clip one prediction."""
    model.eval()
    order = torch.argsort(data.host_lengths, stable=True)
    mine = order[world.rank :: world.size]
    scored = torch.empty(len(mine), model.intent_head.out_features)
    heard: list[str] = []
    for start in range(0, len(mine), batch_size):
        index = mine[start : start + batch_size]
        width = int(data.host_lengths[index].max())
        index = index.to(data.device)
        lengths = data.lengths[index]
        x = normalize(data.clips(index, width), lengths, mean, std)
        if transcribe:
            outputs = model.outputs(x, lengths)
            heard += greedy_decode(outputs.chars.float(), outputs.steps)
            logits = outputs.intent
        else:
            logits = model(x, lengths)
        scored[start : start + len(index)] = logits.float().cpu()
    if world.enabled:
        scored = gather_rows(scored.to(device), world, len(data)).cpu()
    out = torch.empty_like(scored)
    out[order] = scored  # back from length order to the split's order
    if not transcribe:
        return out, None
    texts = [""] * len(data)
    for rank, rank_heard in enumerate(gather_objects(heard, world)):
        for position, text in zip(order[rank :: world.size].tolist(), rank_heard, strict=True):
            texts[position] = text
    return out, texts


def evaluate_split(
    model: nn.Module,
    data: Split,
    mean: torch.Tensor,
    std: torch.Tensor,
    batch_size: int,
    device: torch.device,
    world: World = SINGLE,
    spell: bool = False,
) -> dict[str, float]:
    """Every rank computes the same metrics from the same gathered logits. With `spell` (a network
    trained with its CTC head) also the greedy character error rate over the clips with a transcript,
    `cer`, and how many they are, `transcripts`: the decode rides on the same forward pass, and the
    edit distances are cheap (about 0.2 s over 2,033 clips on 2 cores), so every epoch's spelling is on
    the curves."""
    logits, heard = score_split(model, data, mean, std, batch_size, device, world, transcribe=spell)
    labels = data.labels.cpu()
    loss = float(nn.functional.cross_entropy(logits, labels))
    metrics = classification_metrics(labels.numpy(), logits.argmax(dim=1).numpy())
    if heard is not None:
        cer, transcripts = character_error_rate(data.texts, heard)
        if transcripts:
            metrics |= {"cer": cer, "transcripts": transcripts}
    return {"loss": loss, **metrics}


def as_numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy()
