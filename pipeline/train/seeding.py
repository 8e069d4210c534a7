"""Reproducible training: deterministic kernels and the seed every epoch draws its randomness from."""

from __future__ import annotations

import os

import torch


def set_determinism(deterministic: bool, device: torch.device) -> None:
    if deterministic and device.type == "cuda":
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(deterministic, warn_only=True)
    # whole-clip batches change shape every step: cuDNN's autotuner would re-tune for each new length
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = deterministic


def epoch_seed(seed: int, epoch: int) -> int:
    """Epoch `epoch`'s seed: a run resumed there draws what an unbroken run would have drawn."""
    return (seed * 1_000_003 + epoch) % 2**63
