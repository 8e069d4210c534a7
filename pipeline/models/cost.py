"""What a network costs: parameters and floating-point operations per second of audio.

FLOPs are counted by PyTorch's own FlopCounterMode on one second of input in eval mode (convolutions
and matrix products, a multiply-add counted as 2), so the figure follows the code, not a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch.utils.flop_counter import FlopCounterMode

from pipeline.labels import INTENTS
from pipeline.models import build_model


@dataclass(frozen=True)
class ModelCost:
    arch: str
    parameters: int
    mflops_per_second: float  # of audio

    def line(self) -> str:
        return f"{self.arch}: {self.parameters / 1e3:.0f}k parameters, {self.mflops_per_second:.1f} MFLOPs per second of audio"


def model_cost(arch: str, model: dict[str, Any], features: dict[str, Any]) -> ModelCost:
    """`features`: the feature params (kind, sample_rate, hop_length, n_bins or n_mels/n_mfcc/n_fft)."""
    n_bins, per_second = input_shape(features)
    net = build_model(arch, n_bins, len(INTENTS), model).eval()
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        net.outputs(torch.zeros(1, n_bins, per_second), torch.tensor([per_second]))
    return ModelCost(arch, sum(p.numel() for p in net.parameters()), counter.get_total_flops() / 1e6)


def input_shape(features: dict[str, Any]) -> tuple[int, int]:
    """(bins, frames per second) of the features a model reads."""
    kind, rate = features["kind"], features["sample_rate"]
    if kind == "waveform":
        return 1, rate
    bins = {"logmel": features.get("n_mels"), "mfcc": features.get("n_mfcc"), "stft": features["n_fft"] // 2 + 1}[kind]
    return int(bins), rate // features["hop_length"]
