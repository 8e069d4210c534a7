"""Mixed precision for training: `train.precision` resolved on the device, and the autocast it means.

Under bf16 only the network's forward runs in bfloat16 (convolutions and matrix products; torch's
autocast keeps reductions, norms and softmaxes in float32); the weights, the optimizer, both losses
and every score (validation, evaluate, predict, the exports) stay float32, so one clip gets one
prediction whichever precision trained its network.

`auto` takes bf16 on CUDA devices with bf16 (GPU training has always run so here) and float32 on a
CPU: on a 2-core CPU with AVX512-BF16 (no AMX), bf16 trained the default network at 0.76× float32's
speed, its convolutions slower in bf16 (docs/experiments.md). `bf16` asks for it on any device;
`cpu_bf16_kernels` says whether this CPU has the instructions (AMX or AVX512-BF16) that might make it pay.
"""

from __future__ import annotations

import contextlib

import torch

from pipeline.params import PRECISIONS


def cpu_bf16_kernels() -> bool:
    """Whether this CPU computes bf16 natively (AMX tiles or AVX512-BF16), as torch reports it."""
    return bool(torch.cpu._is_amx_tile_supported() or torch.cpu._is_avx512_bf16_supported())


def resolve_precision(requested: str, device: torch.device) -> str:
    """`fp32` or `bf16`: what a run with `train.precision: requested` computes in on `device`."""
    if requested not in PRECISIONS:
        raise ValueError(f"train.precision must be one of {', '.join(PRECISIONS)}, got {requested!r}")
    if requested != "auto":
        return requested
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    return "fp32"


def autocast(precision: str, device: torch.device) -> contextlib.AbstractContextManager:
    """The forward pass's context: bf16 autocast, or nothing for float32."""
    if precision == "bf16":
        return torch.autocast(device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()
