"""1-D CNN over raw waveforms: a learnable filterbank front end, then the residual temporal body.

A plain strided conv stack (M5) must discover band-pass filtering from a few thousand clips and
learns slowly. Here the first layer is a bank of complex Gabor filters (a cosine and a sine kernel
per band) initialised at mel-spaced centre frequencies with mel bandwidths, stepped every 10 ms: at
the start its squared magnitude is close to a mel spectrogram, and training moves each band's centre
and width. A log and a BatchNorm follow, then the residual TC-ResNet body of `tcnn` (`cnn1d`) or the
halving blocks of `tcnn_pooled` (`cnn1d_pooled`, whose CTC head reads the second block's 40 ms frames).
"""

from __future__ import annotations

from dataclasses import dataclass

import math
from collections.abc import Sequence

import torch
from torch import nn

from pipeline.models.base import SpeechNet
from pipeline.models.masking import MaskedBatchNorm, strided_lengths, time_mask
from pipeline.models.pooled import PooledBody
from pipeline.models.tcnn import TemporalBody


def mel_bands(n_filters: int, sample_rate: int, f_min: float = 60.0) -> tuple[torch.Tensor, torch.Tensor]:
    """(centres in Hz, full widths at half maximum in Hz) of `n_filters` HTK-mel-spaced bands."""
    f_max = sample_rate / 2 - 200.0
    to_mel = lambda hz: 2595.0 * math.log10(1.0 + hz / 700.0)  # noqa: E731  (HTK mel scale)
    mels = torch.linspace(to_mel(f_min), to_mel(f_max), n_filters + 2, dtype=torch.float64)
    edges = (700.0 * (10 ** (mels / 2595.0) - 1.0)).float()
    return edges[1:-1], (edges[2:] - edges[:-2]) / 2


def gabor_kernels(centres: torch.Tensor, sigmas: torch.Tensor, length: int, sample_rate: int) -> torch.Tensor:
    """[2 * n, 1, length]: cosine then sine kernels of n bands (centres in Hz, Gaussian widths in
    samples), each band's peak gain 1. Differentiable in both, so the bands themselves can learn."""
    t = torch.arange(length, device=centres.device, dtype=centres.dtype) - length // 2
    taper = torch.hann_window(length + 2, device=centres.device, dtype=centres.dtype)[1:-1]
    window = torch.exp(-0.5 * (t[None, :] / sigmas[:, None]) ** 2) * taper
    window = window / window.sum(dim=1, keepdim=True)
    phase = 2 * math.pi * centres[:, None] * t[None, :] / sample_rate
    return torch.cat([window * torch.cos(phase), window * torch.sin(phase)])[:, None, :]


class GaborFilterbank(nn.Module):
    """[B, 1, samples] -> [B, n_filters, ceil(samples / hop)] log band energies.

    Each band learns only its centre frequency and its width (as logarithms, so an optimizer step
    moves a band by a fraction of itself, the same for 100 Hz and 6 kHz), not its 401 taps: a band's
    largest tap is 0.006-0.02, so one Adam step at the body's peak learning rate (0.003) moves it by a
    sixth to a half, and with free taps the network spent its first epochs relearning a filterbank.
    Two numbers per band stay a filterbank whatever the step, and learn from a few thousand clips
    (SincNet's and LEAF's argument)."""

    def __init__(self, n_filters: int, length: int, hop: int, sample_rate: int):
        super().__init__()
        if length % 2 == 0:
            raise ValueError(f"filter length must be odd, got {length}")
        self.hop, self.n_filters, self.length, self.sample_rate = hop, n_filters, length, sample_rate
        centres, fwhm = mel_bands(n_filters, sample_rate)
        sigmas = (2.355 / (2 * math.pi * fwhm) * sample_rate).clamp(max=length / 6)  # samples
        self.log_centre = nn.Parameter(centres.log())
        self.log_sigma = nn.Parameter(sigmas.log())

    def bands(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(centres in Hz, widths in samples), held where a filter is a band-pass that fits its taps."""
        nyquist = self.sample_rate / 2
        centre = self.log_centre.exp().clamp(20.0, nyquist - 20.0)
        return centre, self.log_sigma.exp().clamp(1.0, self.length / 6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        kernels = gabor_kernels(*self.bands(), self.length, self.sample_rate).to(x.dtype)
        z = nn.functional.conv1d(x, kernels, stride=self.hop, padding=self.length // 2)
        energy = z[:, : self.n_filters] ** 2 + z[:, self.n_filters :] ** 2
        return torch.log(energy + 1e-6)

    def undecayed(self) -> list[nn.Parameter]:
        """Weight decay would pull every band towards 1 Hz and zero width: the optimizer leaves these be."""
        return [self.log_centre, self.log_sigma]


@dataclass(frozen=True)
class FilterbankShape:
    """The learned front end's bands and framing: `length`-sample filters every `hop` samples."""

    length: int
    hop: int
    n_filters: int = 64
    sample_rate: int = 16000


class CNN1d(SpeechNet):
    def __init__(
        self, n_classes: int, channels: Sequence[int], kernel: int, dropout: float, bank: FilterbankShape,
        pooled: bool = False,
    ):  # fmt: skip
        n_filters, hop = bank.n_filters, bank.hop
        body = PooledBody(n_filters, channels, kernel) if pooled else TemporalBody(n_filters, channels, kernel)
        super().__init__(body.width, n_classes, dropout, spell_width=getattr(body, "spell_width", None))
        self.frontend = GaborFilterbank(n_filters, bank.length, hop, bank.sample_rate)
        self.frontend_norm = MaskedBatchNorm(n_filters)
        self.body = body
        self.hop = hop

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.encode_both(x, lengths)[:2]

    def encode_both(
        self, x: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """x: [B, 1, samples] normalized waveform, zero past each clip's length."""
        lengths = strided_lengths(lengths, self.hop)
        x = self.frontend(x)
        x = self.frontend_norm(x, time_mask(lengths, x.shape[-1]))
        if isinstance(self.body, PooledBody):
            return self.body(x, lengths)
        hidden, steps = self.body(x, lengths)
        return hidden, steps, hidden, steps

    def steps_of(self, lengths: torch.Tensor) -> torch.Tensor:
        return self.body.steps_of(strided_lengths(lengths, self.hop))

    def undecayed_parameters(self) -> list[nn.Parameter]:
        return self.frontend.undecayed()
