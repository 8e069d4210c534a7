"""2-D CNN over [bins, frames] in the BC-ResNet style (broadcasted residual learning).

Each block runs a depthwise convolution along frequency with SubSpectral normalisation (one
normaliser per frequency band, so a pattern's place in the spectrum stays meaningful), then averages
over frequency and runs a dilated depthwise convolution along time on that summary, broadcast back
over every band. That gives 2-D features word-length temporal context at a fraction of the cost of
full 3x3 stacks. The time axis goes from 10 ms to 40 ms steps (a strided stem, one pooling), the
resolution the CTC head needs; the last map is read with its frequency rows as channels.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from pipeline.models.base import SpeechNet
from pipeline.models.masking import MaskedBatchNorm, SubSpectralNorm, strided_lengths, time_mask

BLOCKS_PER_STAGE = (2, 2, 4, 4)
SUB_BANDS = 4


def halved(size: int, times: int) -> int:
    for _ in range(times):
        size = (size + 1) // 2
    return size


def stage_bins(n_bins: int) -> list[int]:
    """Frequency rows after each stage: the stem halves them, then stages 1 and 2 open by halving them
    again while SubSpectralNorm still has bands to split."""
    bins, rows = halved(n_bins, 1), []
    for stage in range(len(BLOCKS_PER_STAGE)):
        bins = halved(bins, 1) if stage in (1, 2) and bins >= 2 * SUB_BANDS else bins
        rows.append(bins)
    return rows


class BCResBlock(nn.Module):
    def __init__(self, widths: tuple[int, int], freq_stride: int, time_conv: tuple[int, int], bands: int, dropout: float):
        """`widths` (in, out) channels; `time_conv` (kernel, dilation) of the depthwise temporal convolution."""
        super().__init__()
        (c_in, c_out), (kernel, dilation) = widths, time_conv
        self.expand = None
        if c_in != c_out:
            self.expand = nn.Conv2d(c_in, c_out, 1, bias=False)
            self.expand_norm = MaskedBatchNorm(c_out)
        self.freq_conv = nn.Conv2d(c_out, c_out, (3, 1), (freq_stride, 1), (1, 0), groups=c_out, bias=False)
        self.freq_norm = SubSpectralNorm(c_out, bands)
        pad = dilation * (kernel // 2)
        self.time_conv = nn.Conv1d(c_out, c_out, kernel, padding=pad, dilation=dilation, groups=c_out, bias=False)
        self.time_norm = MaskedBatchNorm(c_out)
        self.pointwise = nn.Conv1d(c_out, c_out, 1, bias=False)
        self.dropout = nn.Dropout(dropout)
        self.identity = c_in == c_out and freq_stride == 1

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        if self.expand is not None:
            x = torch.relu(self.expand_norm(self.expand(x), mask))
        local = self.freq_norm(self.freq_conv(x), mask)  # [B, C, F', T]
        context = torch.nn.functional.silu(self.time_norm(self.time_conv(local.mean(2)), mask))
        context = self.dropout(self.pointwise(context)) * mask[:, None, :].to(x.dtype)
        out = local + context[:, :, None, :]
        return torch.relu(out + x if self.identity else out)


class CNN2d(SpeechNet):
    def __init__(
        self, n_bins: int, n_classes: int, channels: Sequence[int], kernel: int, dropout: float, head_width: int = 0
    ):
        if len(channels) != len(BLOCKS_PER_STAGE):
            raise ValueError(f"cnn2d has {len(BLOCKS_PER_STAGE)} stages: model.channels needs 4 widths")
        head_width = head_width or 2 * channels[-1]
        rows = stage_bins(n_bins)
        super().__init__(head_width, n_classes, dropout)
        self.stem = nn.Conv2d(1, 2 * channels[0], 5, stride=2, padding=2, bias=False)  # 10 ms -> 20 ms
        self.stem_norm = MaskedBatchNorm(2 * channels[0])
        stages, previous, bins = [], 2 * channels[0], halved(n_bins, 1)
        for stage, (width, count, out_bins) in enumerate(zip(channels, BLOCKS_PER_STAGE, rows, strict=True)):
            bands = SUB_BANDS if out_bins % SUB_BANDS == 0 else 1
            blocks = []
            for i in range(count):
                freq_stride = 2 if i == 0 and out_bins < bins else 1
                blocks.append(BCResBlock((previous, width), freq_stride, (kernel, 2**stage), bands, dropout))
                previous = width
            stages.append(nn.ModuleList(blocks))
            bins = out_bins
        self.stages = nn.ModuleList(stages)
        self.pool = nn.MaxPool2d((1, 2), ceil_mode=True)  # after stage 1: 20 ms -> 40 ms
        self.head = nn.Conv1d(previous * bins, head_width, 1, bias=False)
        self.head_norm = MaskedBatchNorm(head_width)

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: [B, n_bins, T] normalized features, zero past each clip's length."""
        lengths = strided_lengths(lengths, 2)
        x = self.stem(x[:, None])
        mask = time_mask(lengths, x.shape[-1])
        x = torch.relu(self.stem_norm(x, mask))
        for stage, blocks in enumerate(self.stages):
            if stage == 1:  # after ReLU and masking padding is 0, never a max
                x = self.pool(x)
                lengths = strided_lengths(lengths, 2)
                mask = time_mask(lengths, x.shape[-1])
            for block in blocks:
                x = block(x, mask)
        x = self.head(x.flatten(1, 2))  # [B, C * bins, T]: where in the spectrum a pattern sits stays visible
        return torch.relu(self.head_norm(x, mask)), lengths

    def steps_of(self, lengths: torch.Tensor) -> torch.Tensor:
        return strided_lengths(strided_lengths(lengths, 2), 2)  # the stem, then the pooling after stage 0
