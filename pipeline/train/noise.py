"""Stationary background noise for training: white, pink (1/f) and brown (1/f²) noise, the hiss, fan
and rumble a phone picks up, mixed into clean clips at a chosen signal-to-noise ratio.

Features are precomputed, so the noise is made in the features' own domain. A waveform gets Gaussian
samples shaped in frequency. A spectrogram frame gets what a periodogram of that noise holds: per FFT
bin an exponentially distributed power times the colour's spectrum; per mel band the sum of those
bins through the features' own mel filters, drawn at once as a log-normal of the same mean and
variance. So the noise fluctuates from frame to frame as recorded noise does, instead of lying under
the clip as a fixed floor, and a few-bin low band flickers more than a wide high one.

Clip and noise power are measured the same way, summed over the features' bins and averaged over the
clip's real frames, so an SNR means what it means for a recording (the mel filters sum to about one
across the band, so that sum is close to the signal's power).
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torchaudio import functional as AF

from pipeline.models.masking import time_mask

EXPONENTS = {"white": 0.0, "pink": 1.0, "brown": 2.0}  # power spectrum ~ 1 / f**exponent
POWER_KINDS = ("logmel", "stft", "waveform")  # features that still hold the signal's power: mfcc does not


def natural_log_scale(features: dict[str, Any]) -> float:
    """Features hold log(power) times this factor's inverse: mixing happens on natural-log power."""
    db = 10.0 if features.get("power", 2.0) == 2.0 else 20.0
    return 1.0 if features.get("log") == "natural" else math.log(10.0) / db


class ColouredNoise:
    """Adds coloured noise to a batch of features: `mix(x, lengths, snr_db, colours, generator)`."""

    def __init__(self, features: dict[str, Any]):
        self.kind = features["kind"]
        if self.kind not in POWER_KINDS:
            raise ValueError(f"coloured noise needs logmel, stft or waveform features, not {self.kind}")
        rate = features["sample_rate"]
        if self.kind == "waveform":
            return
        n_freqs = features["n_fft"] // 2 + 1
        freqs = torch.linspace(0.0, rate / 2, n_freqs)
        self.freqs = freqs.clamp(min=float(freqs[1]) / 2)  # 1/f stays finite at DC
        self.filters = None  # stft: each bin is its own band
        if self.kind == "logmel":
            norm = features.get("mel_norm", "none")
            self.filters = AF.melscale_fbanks(
                n_freqs, features["f_min"], features.get("f_max") or rate / 2, features["n_mels"], rate,
                None if norm == "none" else norm, features.get("mel_scale", "htk"),
            )  # fmt: skip  # [n_freqs, n_mels]
        self.to_ln = natural_log_scale(features)

    def mix(
        self,
        x: torch.Tensor,
        lengths: torch.Tensor,
        snr_db: torch.Tensor,
        colours: torch.Tensor,
        generator: torch.Generator,
    ) -> torch.Tensor:
        """x: [B, bins, T] features (samples for waveforms), zero past `lengths`; snr_db: [B]; colours: [B]
        indices into EXPONENTS. Every clip gets noise over its own frames; padding stays zero."""
        x = x.float()  # float16 sums of squares overflow past 65,504 (a few seconds of loud samples)
        exponents = torch.tensor(list(EXPONENTS.values()))[colours.cpu()]
        mask = time_mask(lengths, x.shape[-1])[:, None, :]
        ratio = (10 ** (-snr_db / 10)).to(x.device)[:, None, None]
        if self.kind == "waveform":
            noise = shaped_noise(x.shape[0], x.shape[-1], exponents, generator).to(x.device)[:, None, :]
            power = lambda s: (s * s * mask).sum(-1, keepdim=True) / lengths[:, None, None].clamp(min=1)  # noqa: E731
            return x + noise * (power(x) * ratio / power(noise).clamp(min=1e-12)).sqrt() * mask
        log_power = x.float() * self.to_ln
        clip_power = (log_power.exp() * mask).sum((1, 2)) / lengths.clamp(min=1)  # per frame, summed over bins
        noise = self.frames(x.shape[0], x.shape[-1], exponents, generator).to(x.device)
        noise_log = (noise * clip_power[:, None, None] * ratio).clamp(min=1e-20).log()
        mixed = torch.logaddexp(log_power, noise_log) / self.to_ln
        return torch.where(mask, mixed, x.float())

    def frames(self, batch: int, width: int, exponents: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """[B, bins, width] noise power, each clip's colour, 1 per frame on average summed over the bins."""
        spectrum = self.freqs[None, :] ** -exponents[:, None]  # [B, n_freqs]
        if self.filters is None:  # stft: a complex Gaussian's power per bin is exponentially distributed
            draws = torch.empty(batch, len(self.freqs), width).exponential_(generator=generator)
            return draws * (spectrum / spectrum.sum(1, keepdim=True))[:, :, None]
        # a mel band sums many bins' exponential powers: drawn as the log-normal of the same mean and
        # variance, one normal per band and frame instead of one draw per FFT bin and a filter product
        mean = spectrum @ self.filters  # [B, n_mels]
        spread = (spectrum**2 @ self.filters**2 / mean.clamp(min=1e-30) ** 2).log1p().sqrt()
        normal = torch.randn(batch, mean.shape[1], width, generator=generator)
        draws = (normal * spread[:, :, None] - spread[:, :, None] ** 2 / 2).exp()
        return draws * (mean / mean.sum(1, keepdim=True))[:, :, None]


def shaped_noise(batch: int, samples: int, exponents: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """[B, samples] Gaussian noise whose power spectrum falls as 1/f**exponent, unit variance per clip."""
    white = torch.randn(batch, samples, generator=generator)
    spectrum = torch.fft.rfft(white)
    freqs = torch.arange(spectrum.shape[-1], dtype=torch.float32).clamp(min=0.5)
    noise = torch.fft.irfft(spectrum * freqs[None, :] ** (-exponents[:, None] / 2), samples)
    return noise / noise.std(dim=1, keepdim=True).clamp(min=1e-12)
