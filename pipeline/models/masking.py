"""Length masks and masked pooling over the time axis."""

from __future__ import annotations

import torch


def time_mask(lengths: torch.Tensor, width: int) -> torch.Tensor:
    """[B, width] bool: True on each clip's own frames."""
    return torch.arange(width, device=lengths.device)[None, :] < lengths[:, None]


def masked_mean_max(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """[B, C, T] -> [B, 2C]: mean and max over each clip's own frames."""
    mask = time_mask(lengths, x.shape[-1])[:, None, :]
    mean = (x * mask).sum(-1) / lengths.clamp(min=1)[:, None].to(x.dtype)
    peak = x.masked_fill(~mask, float("-inf")).amax(-1)
    return torch.cat([mean, peak], dim=1)
