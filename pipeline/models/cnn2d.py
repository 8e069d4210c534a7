"""2-D CNN over [bins, frames]: conv-BN-ReLU-maxpool blocks, masked global pooling, linear head."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from pipeline.models.masking import masked_mean_max, time_mask


class CNN2d(nn.Module):
    def __init__(self, n_bins: int, n_classes: int, channels: Sequence[int], kernel_size: int, dropout: float):
        super().__init__()
        blocks = []
        previous = 1
        for width in channels:
            blocks.append(
                nn.Sequential(
                    nn.Conv2d(previous, width, kernel_size, padding=kernel_size // 2, bias=False),
                    nn.BatchNorm2d(width),
                    nn.ReLU(inplace=True),
                )
            )
            previous = width
        self.blocks = nn.ModuleList(blocks)
        # ceil_mode keeps a 1-frame clip alive; after ReLU and masking a padded zero never wins a max
        self.pool = nn.MaxPool2d(2, ceil_mode=True)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * previous, n_classes)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """x: [B, n_bins, T] normalized features, zero past each clip's length."""
        x = x[:, None]
        for block in self.blocks:
            x = block(x) * time_mask(lengths, x.shape[-1])[:, None, None, :].to(x.dtype)
            x = self.pool(x)
            lengths = (lengths + 1) // 2
        pooled = masked_mean_max(x.mean(dim=2), lengths)
        return self.head(self.dropout(pooled))
