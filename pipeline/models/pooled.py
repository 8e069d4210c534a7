"""Pooled temporal CNN: conv-BN-ReLU blocks over time with the feature bins as channels, each block
halving time by max-pooling, so four blocks reach 160 ms steps.

Every pooling makes a word's position matter less, and each block costs half the previous one, so an
epoch on CPU takes about a third of the residual `tcnn`'s time. Its last steps are too coarse to
spell Italian (~12 characters per second against 6 steps), so the CTC head reads the second block's
40 ms frames instead: the first blocks learn to resolve characters, the later ones pool them into an
intent. It pairs with short random crops (`train.max_seconds`), which make every epoch a new set of
views of each clip (a cropped clip adds no CTC term: its transcript no longer matches).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import torch
from torch import nn

from pipeline.models.base import SpeechNet
from pipeline.models.masking import MaskedBatchNorm, strided_lengths, time_mask

SPELLING_BLOCKS = 2  # blocks before the CTC head: 10 ms frames pooled twice, 40 ms steps


class PooledBlock(nn.Module):
    """conv-BN-ReLU, then max over pairs of steps. After the ReLU the padding is exactly zero and every
    real value is >= 0, so a pair that straddles a clip's end takes the real frame's value."""

    def __init__(self, c_in: int, c_out: int, kernel: int):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, kernel, padding=kernel // 2, bias=False)
        self.norm = MaskedBatchNorm(c_out)
        self.pool = nn.MaxPool1d(2, ceil_mode=True)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = torch.relu(self.norm(self.conv(x), time_mask(lengths, x.shape[-1])))
        return self.pool(x), strided_lengths(lengths, 2)


class PooledBody(nn.ModuleList):
    """[B, c_in, T] at 10 ms -> intent frames at T / 2**len(channels) and spelling frames at T / 4, each
    with its steps. A ModuleList, so `tcnn_pooled` checkpoints keep their `blocks.<i>` names."""

    def __init__(self, c_in: int, channels: Sequence[int], kernel: int):
        super().__init__(PooledBlock(a, b, kernel) for a, b in pairwise([c_in, *channels]))
        self.spelling_blocks = min(SPELLING_BLOCKS, len(channels))
        self.width, self.spell_width = self.widths(channels)

    @staticmethod
    def widths(channels: Sequence[int]) -> tuple[int, int]:
        """(intent frames' width, spelling frames' width), known before the blocks are made."""
        return channels[-1], channels[min(SPELLING_BLOCKS, len(channels)) - 1]

    def forward(
        self, x: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        for i, block in enumerate(self):
            x, lengths = block(x, lengths)
            if i + 1 == self.spelling_blocks:
                spelling, spelling_steps = x, lengths
        return x, lengths, spelling, spelling_steps

    def steps_of(self, lengths: torch.Tensor) -> torch.Tensor:
        """The spelling frames' steps."""
        for _ in range(self.spelling_blocks):
            lengths = strided_lengths(lengths, 2)
        return lengths


class PooledTCNN(SpeechNet):
    def __init__(self, n_bins: int, n_classes: int, channels: Sequence[int], kernel: int, dropout: float):
        width, spell_width = PooledBody.widths(channels)
        super().__init__(width, n_classes, dropout, spell_width=spell_width)
        self.blocks = PooledBody(n_bins, channels, kernel)  # after the heads: the seed's draws stay in order

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.blocks(x, lengths)[:2]

    def encode_both(
        self, x: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """x: [B, n_bins, T] normalized features, zero past each clip's length."""
        return self.blocks(x, lengths)

    def steps_of(self, lengths: torch.Tensor) -> torch.Tensor:
        return self.blocks.steps_of(lengths)
