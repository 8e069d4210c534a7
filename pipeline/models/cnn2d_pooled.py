"""Pooled residual 2-D CNN over [bins, frames]: the 2-D counterpart of `tcnn_pooled`.

A strided stem brings the spectrogram to 20 ms and half the bins; then each of three residual blocks
(two full 3 x k convolutions with sub-band normalisation, res8 / ResNet style) is followed by a 2 x 2
max-pool, so frequency and time shrink together: 40 ms and a quarter of the bins after the first,
160 ms and a sixteenth after the last. Full convolutions use the CPU's arithmetic far better than the
depthwise ones of `cnn2d`, whose cost is in memory passes over large 20 ms maps, and the pooled later
blocks cost little. As in `tcnn_pooled`, the CTC head reads the 40 ms map of the first block (its
channels times frequency rows) and the intent head the last.

Its 3-wide convolutions, pooled in between, see about 0.75 s of audio, half of `tcnn_pooled`'s 1.4 s,
which is little for a command of several words before the intent head pools over time. A time
dilation in the blocks after the first (`model.dilation`) widens that span at no cost in weights or
FLOPs: 2 doubles what the second and third block add, to about 1.2 s.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from pipeline.models.base import SpeechNet
from pipeline.models.cnn2d import SUB_BANDS, halved
from pipeline.models.masking import MaskedBatchNorm, SubSpectralNorm, strided_lengths, time_mask

SPELLING_BLOCK = 0  # its output is at 40 ms: the stem's stride, then one pooling


def band_norm(channels: int, bins: int) -> nn.Module:
    """Sub-band normalisation where the rows split evenly into bands of at least two rows each."""
    if bins % SUB_BANDS == 0 and bins >= 2 * SUB_BANDS:
        return SubSpectralNorm(channels, SUB_BANDS)
    return MaskedBatchNorm(channels)


class ResPoolBlock2d(nn.Module):
    """conv-norm-ReLU-conv-norm plus a shortcut (1x1 conv-norm when the width changes), ReLU, then a
    2 x 2 max-pool. After the ReLU the padding is exactly zero and every real value >= 0, so a pooling
    window that straddles a clip's end takes its real frames' maximum."""

    def __init__(self, c_in: int, c_out: int, bins: int, kernel: int, dilation: int = 1):
        super().__init__()
        padding, spread = (1, dilation * (kernel // 2)), (1, dilation)
        self.conv1 = nn.Conv2d(c_in, c_out, (3, kernel), padding=padding, dilation=spread, bias=False)
        self.norm1 = band_norm(c_out, bins)
        self.conv2 = nn.Conv2d(c_out, c_out, (3, kernel), padding=padding, dilation=spread, bias=False)
        self.norm2 = band_norm(c_out, bins)
        self.project = None
        if c_in != c_out:
            self.project = nn.Conv2d(c_in, c_out, 1, bias=False)
            self.project_norm = MaskedBatchNorm(c_out)
        self.pool = nn.MaxPool2d(2, ceil_mode=True)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mask = time_mask(lengths, x.shape[-1])
        y = torch.relu(self.norm1(self.conv1(x), mask))
        y = self.norm2(self.conv2(y), mask)
        shortcut = x if self.project is None else self.project_norm(self.project(x), mask)
        return self.pool(torch.relu(y + shortcut)), strided_lengths(lengths, 2)


class PooledCNN2d(SpeechNet):
    """`channels`: the stem's width, then the three blocks'; `dilation`: in time, in blocks 2 and 3."""

    def __init__(
        self, n_bins: int, n_classes: int, channels: Sequence[int], kernel: int, dropout: float, dilation: int = 1
    ):
        if len(channels) != 4:
            raise ValueError("cnn2d_pooled has a stem and 3 blocks: model.channels needs 4 widths")
        rows = [halved(n_bins, 1 + i) for i in range(len(channels))]  # after the stem, after each block
        super().__init__(channels[-1] * rows[-1], n_classes, dropout, spell_width=channels[1] * rows[1])
        self.stem = nn.Conv2d(1, channels[0], 5, stride=2, padding=2, bias=False)  # 10 ms -> 20 ms
        self.stem_norm = band_norm(channels[0], rows[0])
        self.blocks = nn.ModuleList(
            ResPoolBlock2d(c_in, c_out, bins, kernel, 1 if i == 0 else dilation)
            for i, (c_in, c_out, bins) in enumerate(zip(channels[:-1], channels[1:], rows[:-1], strict=True))
        )

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.encode_both(x, lengths)[:2]

    def encode_both(
        self, x: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """x: [B, n_bins, T] normalized features, zero past each clip's length."""
        lengths = strided_lengths(lengths, 2)
        x = self.stem(x[:, None])
        x = torch.relu(self.stem_norm(x, time_mask(lengths, x.shape[-1])))
        for i, block in enumerate(self.blocks):
            x, lengths = block(x, lengths)
            if i == SPELLING_BLOCK:
                spelling, spelling_steps = x.flatten(1, 2), lengths
        return x.flatten(1, 2), lengths, spelling, spelling_steps  # rows as channels: where a pattern sits stays visible

    def steps_of(self, lengths: torch.Tensor) -> torch.Tensor:
        return strided_lengths(strided_lengths(lengths, 2), 2)  # the stem, then the first block's pooling
