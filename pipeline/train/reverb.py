"""Room reverberation for training: far-field speech made from the clips at hand.

A far microphone hears the direct sound and then a diffuse tail of reflections whose energy decays
exponentially, by 60 dB over the room's RT60. A model trained mostly on close speech mistakes that
smear for other sounds; far-field clips were the weakest slice of the noisy test set. Features are
precomputed, so the room is applied in the features' own domain, as the training noise is:

- a waveform is convolved (torchaudio's `fftconvolve`) with an impulse response drawn for the clip:
  the direct path, silence for the first 3 ms, then Gaussian reflections under the decay;
- a spectrogram gets the expected power of that tail in each band: the clip's own power smeared
  forward in time by the same decay, `P'(t) = P(t) + y(t)` with `y(t) = r y(t-1) + c P(t)`, one
  first-order recursive filter per band (torchaudio's `lfilter`), `r` the decay over one hop and `c`
  the tail's level. It holds where the tail outlasts a frame, as every room's does (RT60 of hundreds
  of milliseconds against 10 ms hops), and costs one pass over the frames whatever the RT60.

Each reverberated clip draws its room: RT60 uniform in `RT60_SECONDS`, direct-to-reverberant ratio
(the direct path's energy over the tail's) uniform in `DRR_DB`, from a small furnished room to a
bare hall. The clip's total energy is kept, so an SNR measured after it means what it meant before;
the tail stops at the clip's end, as a recording's does, and padding stays zero.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torchaudio import functional as AF

from pipeline.models.masking import time_mask
from pipeline.train.noise import POWER_KINDS, natural_log_scale

RT60_SECONDS = (0.2, 0.9)  # living rooms and offices to a bare hall
DRR_DB = (0.0, 10.0)  # direct-to-reverberant ratio: the talker a metre or a few metres away
FIRST_REFLECTION_SECONDS = 0.003  # reflections arrive after the direct sound
DECAY_DB = 60.0  # what RT60 measures


class RoomReverb:
    """Reverberates a batch of features: `apply(x, lengths, generator)`."""

    def __init__(
        self,
        features: dict[str, Any],
        rt60_seconds: tuple[float, float] = RT60_SECONDS,
        drr_db: tuple[float, float] = DRR_DB,
    ):
        self.rt60_seconds, self.drr_db = rt60_seconds, drr_db
        self.kind = features["kind"]
        if self.kind not in POWER_KINDS:
            raise ValueError(f"reverberation needs logmel, stft or waveform features, not {self.kind}")
        self.rate = features["sample_rate"]
        self.hop_seconds = 1 / self.rate if self.kind == "waveform" else features["hop_length"] / self.rate
        self.to_ln = natural_log_scale(features)

    def draw_rooms(self, batch: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """[B] RT60 in seconds and [B] tail energy over direct energy."""
        (shortest, longest), (least, most) = self.rt60_seconds, self.drr_db
        rt60 = shortest + (longest - shortest) * torch.rand(batch, generator=generator)
        drr_db = least + (most - least) * torch.rand(batch, generator=generator)
        return rt60, 10 ** (-drr_db / 10)

    def apply(self, x: torch.Tensor, lengths: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """x: [B, bins, T] features (samples for waveforms, bins = 1), zero past `lengths` (on x's
        device). Returns float32 of the same shape, every clip in a room of its own."""
        x = x.float()
        rt60, tail_ratio = self.draw_rooms(x.shape[0], generator)
        mask = time_mask(lengths, x.shape[-1])[:, None, :]
        if self.kind == "waveform":
            impulse = self.impulse_responses(rt60, tail_ratio, generator).to(x.device)[:, None, :]
            wet = AF.fftconvolve(x, impulse)[..., : x.shape[-1]]
            return wet * torch.rsqrt(1 + tail_ratio).to(x.device)[:, None, None] * mask
        decay = torch.exp(-DECAY_DB / 10 * math.log(10.0) * self.hop_seconds / rt60)  # power kept per hop
        level = (1 - decay) * tail_ratio  # so that the tail's energy sums to tail_ratio x the direct's
        batch, bins, width = x.shape
        power = torch.exp(x * self.to_ln) * mask
        a = torch.stack([torch.ones_like(decay), -decay], 1).repeat_interleave(bins, 0).to(x.device)
        b = torch.stack([level, torch.zeros_like(level)], 1).repeat_interleave(bins, 0).to(x.device)
        tail = AF.lfilter(power.reshape(1, batch * bins, width), a, b, clamp=False).reshape(batch, bins, width)
        wet = (power + tail.clamp(min=0)) / (1 + tail_ratio).to(x.device)[:, None, None]
        return torch.where(mask, wet.clamp(min=1e-30).log() / self.to_ln, x)

    def impulse_responses(
        self, rt60: torch.Tensor, tail_ratio: torch.Tensor, generator: torch.Generator
    ) -> torch.Tensor:
        """[B, samples]: a 1 for the direct path, then each room's reflections, as long as the
        longest RT60 drawn."""
        samples = math.ceil(float(rt60.max()) * self.rate)
        t = torch.arange(samples) / self.rate
        envelope = torch.exp(-DECAY_DB / 20 * math.log(10.0) * t[None, :] / rt60[:, None])  # amplitude
        tail = torch.randn(len(rt60), samples, generator=generator) * envelope
        tail[:, : int(FIRST_REFLECTION_SECONDS * self.rate)] = 0
        tail *= (tail_ratio / (tail * tail).sum(1).clamp(min=1e-12)).sqrt()[:, None]
        tail[:, 0] = 1.0
        return tail
