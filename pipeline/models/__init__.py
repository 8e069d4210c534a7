"""The networks. Both take padded batches plus each clip's length, and mask what lies past a clip's end
after every block, so a clip gets the same logits alone or in a batch with longer ones."""

from __future__ import annotations

from typing import Any

import torch

from pipeline.models.cnn1d import CNN1d
from pipeline.models.cnn2d import CNN2d
from pipeline.models.tcnn import TCNN


def build_model(arch: str, n_bins: int, n_classes: int, model: dict[str, Any]) -> torch.nn.Module:
    """`model` is ModelParams as a dict (what a checkpoint stores)."""
    if arch == "cnn2d":
        return CNN2d(
            n_bins, n_classes, model["channels"], model["kernel_size"], model["dropout"], model["time_kernel"]
        )
    if arch == "tcnn":
        return TCNN(n_bins, n_classes, model["channels"], model["time_kernel"], model["dropout"])
    if arch == "cnn1d":
        return CNN1d(
            n_classes, model["channels"], model["kernel_size"], model["dropout"], model["stem_kernel"], model["stem_stride"]
        )
    raise ValueError(f"unknown arch {arch!r}")
