"""2-D CNN over [bins, frames]: conv-BN-ReLU-maxpool blocks, then a temporal convolution over the
flattened (channels x remaining bins) map, masked global pooling and a linear head.

Averaging the last map over frequency (the textbook global pool) throws away where in the spectrum a
pattern sits, and 3x3 blocks alone see only ~0.3 s of speech: on a 2,040-clip synthetic corpus that model stayed at
chance. Keeping the frequency axis as channels and letting one `time_kernel`-wide convolution join the
blocks' local patterns into word-length ones is what makes the 2-D front end learn intents.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from pipeline.models.masking import masked_mean_max, time_mask


def pooled_size(size: int, blocks: int) -> int:
    """Length of an axis after `blocks` ceil-mode pools by 2."""
    for _ in range(blocks):
        size = (size + 1) // 2
    return size


class CNN2d(nn.Module):
    def __init__(
        self, n_bins: int, n_classes: int, channels: Sequence[int], kernel_size: int, dropout: float, time_kernel: int = 9
    ):
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
        flat = previous * pooled_size(n_bins, len(channels))
        width = 2 * previous
        self.temporal = nn.Sequential(
            nn.Conv1d(flat, width, time_kernel, padding=time_kernel // 2, bias=False),
            nn.BatchNorm1d(width),
            nn.ReLU(inplace=True),
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * width, n_classes)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """x: [B, n_bins, T] normalized features, zero past each clip's length."""
        x = x[:, None]
        for block in self.blocks:
            x = block(x) * time_mask(lengths, x.shape[-1])[:, None, None, :].to(x.dtype)
            x = self.pool(x)
            lengths = (lengths + 1) // 2
        x = x.flatten(1, 2)  # [B, C * bins, T]: the frequency position stays visible to the head
        x = self.temporal(x) * time_mask(lengths, x.shape[-1])[:, None, :].to(x.dtype)
        return self.head(self.dropout(masked_mean_max(x, lengths)))
