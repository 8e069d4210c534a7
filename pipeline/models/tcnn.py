"""Temporal CNN over [bins, frames]: the feature bins are the input channels of 1-D convolutions
along time (TC-ResNet style), so the first layer already sees the whole spectrum. On a 2,040-clip synthetic corpus
it learns words where the 2-D CNN, in the same CPU budget, does not (see README)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from pipeline.models.masking import masked_mean_max, time_mask


class TCNN(nn.Module):
    def __init__(self, n_bins: int, n_classes: int, channels: Sequence[int], kernel_size: int, dropout: float):
        super().__init__()
        blocks = []
        previous = n_bins
        for width in channels:
            blocks.append(
                nn.Sequential(
                    nn.Conv1d(previous, width, kernel_size, padding=kernel_size // 2, bias=False),
                    nn.BatchNorm1d(width),
                    nn.ReLU(inplace=True),
                )
            )
            previous = width
        self.blocks = nn.ModuleList(blocks)
        self.pool = nn.MaxPool1d(2, ceil_mode=True)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * previous, n_classes)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """x: [B, n_bins, T] normalized features, zero past each clip's length."""
        for block in self.blocks:
            x = self.pool(block(x) * time_mask(lengths, x.shape[-1])[:, None, :].to(x.dtype))
            lengths = (lengths + 1) // 2
        return self.head(self.dropout(masked_mean_max(x, lengths)))
