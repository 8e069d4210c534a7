"""Coloured training noise: mixed at the SNR asked for, with the colour's spectral tilt, nothing past a
clip's end; and the params that choose it."""

from __future__ import annotations

import pytest
import torch

from pipeline.errors import ParamsError
from pipeline.params import parse_params
from pipeline.train.noise import EXPONENTS, ColouredNoise

LOGMEL = {"kind": "logmel", "sample_rate": 16000, "n_fft": 400, "n_mels": 64, "f_min": 0.0, "f_max": 8000.0,
          "mel_scale": "htk", "mel_norm": "none", "power": 2.0, "log": "natural"}  # fmt: skip
WHITE, PINK, BROWN = (list(EXPONENTS).index(k) for k in ("white", "pink", "brown"))


def total_power(log_mel: torch.Tensor, frames: int) -> torch.Tensor:
    """[B]: power summed over the bins, averaged over the first `frames` frames."""
    return log_mel[..., :frames].double().exp().sum(1).mean(-1)


@pytest.mark.parametrize(("kind", "bins", "snr_db"), [("logmel", 64, 0.0), ("logmel", 64, 10.0), ("stft", 201, 3.0)])
def test_noise_on_spectrograms_adds_the_power_its_snr_asks_for(kind, bins, snr_db):
    generator = torch.Generator().manual_seed(0)
    clean = torch.randn(3, bins, 300, generator=generator) * 2 - 6  # log power of some clip
    lengths = torch.tensor([300, 300, 200])
    clean[2, :, 200:] = 0
    noise = ColouredNoise(LOGMEL | {"kind": kind})
    mixed = noise.mix(clean, lengths, torch.full((3,), snr_db), torch.tensor([WHITE, PINK, BROWN]), generator)
    ratio = total_power(mixed, 200) / total_power(clean, 200)
    assert ratio == pytest.approx(torch.full((3,), 1 + 10 ** (-snr_db / 10), dtype=torch.double), rel=0.08)
    assert (mixed[2, :, 200:] == 0).all()
    assert (mixed >= clean - 1e-5).all()  # adding power never lowers a bin


def test_pink_and_brown_noise_lean_towards_low_frequencies():
    noise = ColouredNoise(LOGMEL)
    power = noise.frames(3, 400, torch.tensor([0.0, 1.0, 2.0]), torch.Generator().manual_seed(1)).mean(-1)
    low_share = power[:, :16].sum(1) / power.sum(1)  # the 16 lowest of 64 mel bands: up to about 600 Hz
    assert low_share[0] < low_share[1] < low_share[2]
    assert 0.06 < low_share[0] < 0.10  # white: its share of the bandwidth, 600 of 8000 Hz
    assert low_share[1] > 0.4 and low_share[2] > 0.9
    assert power.sum(1) == pytest.approx(torch.ones(3), rel=0.05)  # one unit of power per frame


def test_noise_on_waveforms_has_the_asked_power_and_stops_at_the_clip_end():
    generator = torch.Generator().manual_seed(2)
    clean = torch.randn(2, 1, 16000, generator=generator) * 0.1
    clean[1, :, 8000:] = 0
    lengths = torch.tensor([16000, 8000])
    mixed = ColouredNoise({"kind": "waveform", "sample_rate": 16000}).mix(
        clean, lengths, torch.tensor([6.0, 0.0]), torch.tensor([PINK, WHITE]), generator
    )
    noise = mixed - clean
    noise_power = torch.stack([noise[0, 0].pow(2).mean(), noise[1, 0, :8000].pow(2).mean()])
    clean_power = torch.stack([clean[0, 0].pow(2).mean(), clean[1, 0, :8000].pow(2).mean()])
    assert noise_power / clean_power == pytest.approx(torch.tensor([10**-0.6, 1.0]), rel=1e-3)
    assert (mixed[1, :, 8000:] == 0).all()


def test_noise_kinds_are_checked():
    assert parse_params({"train": {"noise_kinds": ["white", "babble"]}}).train.noise_kinds == ("white", "babble")
    with pytest.raises(ParamsError, match=r"train.noise_kinds is \['hum'\]; list one or more of babble, white"):
        parse_params({"train": {"noise_kinds": ["hum"]}})
