"""1-D CNN over raw waveforms (M5-style): a wide strided first layer, then conv-BN-ReLU-pool blocks."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from pipeline.models.masking import masked_mean_max, time_mask


class CNN1d(nn.Module):
    POOL = 4

    def __init__(
        self, n_classes: int, channels: Sequence[int], kernel_size: int, dropout: float, stem_kernel: int, stem_stride: int
    ):
        super().__init__()
        self.stem_kernel, self.stem_stride = stem_kernel, stem_stride
        self.stem = nn.Sequential(
            nn.Conv1d(1, channels[0], stem_kernel, stride=stem_stride, bias=False),
            nn.BatchNorm1d(channels[0]),
            nn.ReLU(inplace=True),
        )
        blocks = []
        for previous, width in zip(channels[:-1], channels[1:], strict=True):
            blocks.append(
                nn.Sequential(
                    nn.Conv1d(previous, width, kernel_size, padding=kernel_size // 2, bias=False),
                    nn.BatchNorm1d(width),
                    nn.ReLU(inplace=True),
                )
            )
        self.blocks = nn.ModuleList(blocks)
        self.pool = nn.MaxPool1d(self.POOL, ceil_mode=True)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * channels[-1], n_classes)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """x: [B, 1, T] normalized waveform, zero past each clip's length."""
        if x.shape[-1] < self.stem_kernel:
            x = nn.functional.pad(x, (0, self.stem_kernel - x.shape[-1]))
        lengths = (lengths - self.stem_kernel).clamp(min=0) // self.stem_stride + 1
        x = self._masked_pool(self.stem(x), lengths)
        lengths = (lengths + self.POOL - 1) // self.POOL
        for block in self.blocks:
            x = self._masked_pool(block(x), lengths)
            lengths = (lengths + self.POOL - 1) // self.POOL
        return self.head(self.dropout(masked_mean_max(x, lengths)))

    def _masked_pool(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return self.pool(x * time_mask(lengths, x.shape[-1])[:, None, :].to(x.dtype))
