"""Noise mixed into validation once (`train.val_noise_snr_db`): at the asked SNR, over each clip's own
frames, the same clips every run of a seed, and nothing else about the split changed."""

from __future__ import annotations

import math

import pytest
import torch

from pipeline import alphabet
from pipeline.errors import ParamsError
from pipeline.inference.clips import Split, pack
from pipeline.params import TrainParams, parse_params
from pipeline.train.noisy_validation import CHUNK, with_noise
from tests.test_batches import FEATURES, split_of

WAVEFORM = {"kind": "waveform", "sample_rate": 16000, "hop_length": 160}


def waveform_split(lengths: list[int]) -> Split:
    """Clips of tones at different levels, one row (bin) per sample, as waveform features are stored."""
    t = torch.arange(max(lengths)) / 16000
    clips = [
        (0.003 * (i + 1) * torch.sin(2 * math.pi * 220 * (i + 1) * t[:n]))[None].half() for i, n in enumerate(lengths)
    ]
    frames, starts, packed = pack(clips)
    targets, target_lengths = alphabet.targets(["uno"] * len(lengths))
    return Split(list(range(len(lengths))), frames, starts, packed, torch.zeros(len(lengths), dtype=torch.long),
                 targets, target_lengths, ["uno"] * len(lengths))  # fmt: skip


def clip(split: Split, i: int) -> torch.Tensor:
    start, n = int(split.starts[i]), int(split.lengths[i])
    return split.frames[start : start + n].float()


@pytest.mark.parametrize("snr_db", [0.0, 20.0])
def test_white_noise_lands_within_five_db_of_the_asked_snr_on_every_clip(snr_db):
    lengths = [4000 + 700 * i for i in range(CHUNK + 20)]  # two chunks, the second short
    split = waveform_split(lengths)
    train = TrainParams(val_noise_snr_db=snr_db, noise_kinds=("white",))
    noisy = with_noise(split, train, WAVEFORM, seed=3)
    assert noisy.lengths.tolist() == split.lengths.tolist() and noisy.frames.shape == split.frames.shape
    assert noisy.labels is split.labels and noisy.texts == split.texts
    for i in range(len(lengths)):
        signal = clip(split, i)
        noise = clip(noisy, i) - signal
        achieved = 10 * math.log10(float((signal**2).mean()) / float((noise**2).mean()))
        assert snr_db - 5.1 <= achieved <= snr_db + 5.1, (i, achieved)


def test_a_long_loud_waveform_is_mixed_without_overflowing_float16():
    """30 s at RMS 0.5 sums to 120,000 in squares, past float16's 65,504: the level is measured in float32."""
    t = torch.arange(30 * 16000) / 16000
    frames, starts, lengths = pack([(0.7 * torch.sin(2 * math.pi * 440 * t))[None].half()])
    targets, target_lengths = alphabet.targets(["uno"])
    split = Split([0], frames, starts, lengths, torch.zeros(1, dtype=torch.long), targets, target_lengths, ["uno"])
    noisy = with_noise(split, TrainParams(val_noise_snr_db=10.0, noise_kinds=("white",)), WAVEFORM, seed=0)
    noise = noisy.frames.float() - split.frames.float()
    assert bool(torch.isfinite(noisy.frames).all())
    assert 5 - 0.1 <= 10 * math.log10(float((split.frames.float() ** 2).mean() / (noise**2).mean())) <= 15 + 0.1


def test_the_same_seed_mixes_the_same_noise_and_another_seed_does_not():
    split = split_of([50, 300, 120, 80, 90], ["uno", "due", "tre", None, "cinque"])
    train = TrainParams(val_noise_snr_db=5.0, noise_kinds=("babble", "pink"))
    first, again, other = (with_noise(split, train, FEATURES, seed) for seed in (1, 1, 2))
    assert torch.equal(first.frames, again.frames)
    assert not torch.equal(first.frames, other.frames)
    assert not torch.equal(first.frames, split.frames)


def test_mixing_only_adds_power_to_log_mel_frames():
    """log(P + N) >= log(P): no frame of any clip loses energy, and the clips' own frames change."""
    split = split_of([50, 300, 120, 80], ["uno", "due", "tre", None])
    noisy = with_noise(split, TrainParams(val_noise_snr_db=0.0, noise_kinds=("white",)), FEATURES, seed=0)
    gained = noisy.frames.float() - split.frames.float()
    assert float(gained.min()) >= -1e-2  # float16 rounding
    for i in range(len(split)):
        assert float((clip(noisy, i) - clip(split, i)).mean()) > 0.05


def test_noise_on_mfcc_features_is_a_params_error_naming_the_key():
    with pytest.raises(ParamsError, match=r"^params.yaml: train.val_noise_snr_db mixes noise into power spectra"):
        parse_params({"features": {"kind": "mfcc"}, "train": {"val_noise_snr_db": 5.0}})
    with pytest.raises(ParamsError, match=r"^params.yaml: train.noise_prob mixes noise into power spectra"):
        parse_params({"features": {"kind": "mfcc"}, "train": {"noise_prob": 0.5}})
    assert parse_params({"train": {"val_noise_snr_db": 5.0}}).train.val_noise_snr_db == 5.0
