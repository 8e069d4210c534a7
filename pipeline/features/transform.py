"""Waveforms to features with torchaudio, identical whether a clip is computed alone or in a batch.

Each clip is reflect-padded by n_fft/2 on its own before batching and the STFT runs with
`center=False`, so zero padding added to fill a batch only touches frames past the clip's end, and
the floor (`top_db`, below each clip's peak) is taken per clip. Logs are natural by default
(`features.log`), which keeps float16 storage error under 0.01; `db` gives 10*log10 power. That is what lets `predict` (one file) and `featurize`
(thousands, batched) give the same array for the same audio.
"""

from __future__ import annotations

import math

import numpy as np
import soxr
import torch
import torchaudio
from torchaudio import functional as AF

from pipeline.audio import AudioProblem, decode
from pipeline.params import FeatureParams

AMIN = 1e-10
SILENCE_PEAK = 1e-6  # a clip whose loudest sample is below this is treated as all-zero


class FeatureExtractor(torch.nn.Module):
    """[B, T] mono waveforms at `params.sample_rate` -> [B, n_bins, n_frames] float32 features."""

    def __init__(self, params: FeatureParams):
        super().__init__()
        self.params = params
        self.kind = params.kind
        self.pad = params.n_fft // 2
        if params.kind == "waveform":
            return
        self.register_buffer("window", torch.hann_window(params.window))
        if params.kind in ("logmel", "mfcc"):
            self.mel = torchaudio.transforms.MelScale(
                n_mels=params.n_mels,
                sample_rate=params.sample_rate,
                f_min=params.f_min,
                f_max=params.upper_hz,
                n_stft=params.n_fft // 2 + 1,
                norm=None if params.mel_norm == "none" else params.mel_norm,
                mel_scale=params.mel_scale,
            )
        if params.kind == "mfcc":
            self.register_buffer("dct", AF.create_dct(params.n_mfcc, params.n_mels, norm="ortho"))
        # amplitude_to_DB computes multiplier * log10(x); ln(x) is log10(x) * ln(10). top_db stays in dB.
        db_multiplier = 10.0 if params.power == 2.0 else 20.0
        self.multiplier = db_multiplier if params.log == "db" else math.log(10.0)
        self.floor = None if params.top_db is None else params.top_db * self.multiplier / db_multiplier

    def n_frames(self, num_samples: int) -> int:
        if self.kind == "waveform":
            return num_samples
        return 1 + num_samples // self.params.hop_length

    def n_bins(self) -> int:
        return {
            "waveform": 1,
            "stft": self.params.n_fft // 2 + 1,
            "logmel": self.params.n_mels,
            "mfcc": self.params.n_mfcc,
        }[self.kind]

    def forward(self, padded: torch.Tensor, n_frames: torch.Tensor | None = None) -> torch.Tensor:
        """`padded`: clips reflect-padded by n_fft/2 and right-filled with zeros; `n_frames`: each
        clip's own frame count, so frames past its end (partly zeros) cannot set its dB floor."""
        if self.kind == "waveform":
            return padded[:, None, self.pad : padded.shape[1] - self.pad]
        spec = self.power_spectrogram(padded)
        if self.kind in ("logmel", "mfcc"):
            spec = self.mel(spec)
        if n_frames is not None:
            spec = spec * (torch.arange(spec.shape[-1], device=spec.device)[None, :] < n_frames[:, None])[:, None, :]
        # [B, 1, F, T]: amplitude_to_DB takes its top_db reference per leading item, i.e. per clip
        db = AF.amplitude_to_DB(spec[:, None], self.multiplier, AMIN, 0.0, self.floor)[:, 0]
        if self.kind == "mfcc":
            db = torch.matmul(db.transpose(-1, -2), self.dct).transpose(-1, -2)
        return db

    def power_spectrogram(self, padded: torch.Tensor) -> torch.Tensor:
        """|STFT|**power as torchaudio's Spectrogram computes it, but squaring real and imaginary parts
        instead of `abs().pow(2)`: the complex abs (a hypot per bin) was 5x the cost of the FFT itself."""
        p = self.params
        stft = torch.stft(padded, p.n_fft, p.hop_length, p.window, self.window, center=False, return_complex=True)
        power = stft.real.square()
        power.addcmul_(stft.imag, stft.imag)
        return power if p.power == 2.0 else power.sqrt()

    def batch(self, waves: list[torch.Tensor], device: torch.device | str = "cpu") -> list[torch.Tensor]:
        """Features of several clips, each trimmed to its own length, as float32 CPU tensors.

        Each clip is reflect-padded by n_fft/2 on both sides (as a centred STFT pads it) and the rest
        of its row is zeros; those zeros reach only frames past the clip's own last frame."""
        if not waves:
            return []
        pad = self.pad
        longest = max(len(w) for w in waves) + 2 * pad
        stacked = np.zeros((len(waves), longest), dtype=np.float32)
        for row, wave in enumerate(waves):
            x = wave.numpy() if isinstance(wave, torch.Tensor) else np.asarray(wave, dtype=np.float32)
            n = len(x)
            if n <= pad:
                raise ValueError(f"a clip of {n} samples is shorter than half a window ({pad})")
            stacked[row, pad : pad + n] = x
            if self.kind != "waveform":  # numpy's reflect: x[pad], ..., x[1] | x | x[n-2], ..., x[n-1-pad]
                stacked[row, :pad] = x[pad:0:-1]
                stacked[row, pad + n : 2 * pad + n] = x[n - 2 : n - 2 - pad : -1]
        frames = torch.tensor([self.n_frames(len(w)) for w in waves], device=device)
        with torch.inference_mode():
            out = self(torch.from_numpy(stacked).to(device), frames).float().cpu()
        return [out[i, :, : self.n_frames(len(w))] for i, w in enumerate(waves)]


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """soxr's high-quality resampler: its cost follows the clip's length whatever the ratio. torchaudio's
    polyphase kernel has gcd-reduced `target x rate` taps, so a 32 kB WAV at 16001 Hz needed about
    5 GB; soxr is also 3-6x faster at the common rates (benchmarks/resample.py)."""
    return soxr.resample(samples, rate, target, quality="HQ").astype(np.float32, copy=False)


def prepare_waveform(data: bytes, params: FeatureParams) -> torch.Tensor:
    """Decode, downmix and resample one recording to the 1-D signal features are computed from.

    Raises AudioProblem for audio that cannot become a feature (corrupt, empty, non-finite, silent,
    shorter than one STFT window)."""
    samples, rate = decode(data)
    mono_np = samples[:, 0] if samples.shape[1] == 1 else samples.mean(axis=1, dtype=np.float32)
    if rate != params.sample_rate:
        mono_np = resample(mono_np, rate, params.sample_rate)
    mono = torch.from_numpy(np.ascontiguousarray(mono_np))
    if float(mono.abs().max()) < SILENCE_PEAK:
        raise AudioProblem("silent", "all samples are zero")
    if len(mono) < params.n_fft:
        raise AudioProblem(
            "too_short",
            f"{len(mono)} samples at {params.sample_rate} Hz, shorter than one window (n_fft {params.n_fft})",
        )
    return mono


def cut_to_max(wave: torch.Tensor, params: FeatureParams) -> tuple[torch.Tensor, float | None]:
    """The clip's first `features.max_seconds`, and its whole length in seconds where it was longer
    (None where it was not), so that every cut is counted; featurize and predict both cut here."""
    if params.max_seconds is None:
        return wave, None
    keep = round(params.max_seconds * params.sample_rate)  # pipeline.export.samples_kept too
    if len(wave) <= keep:
        return wave, None
    return wave[:keep], len(wave) / params.sample_rate
