"""Training reverberation: the spectrogram room agrees with a reverberated recording, decays at its
RT60, keeps the clip's energy and length; and the params that turn it on."""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch
import torchaudio

from pipeline.errors import ParamsError
from pipeline.params import TrainParams, parse_params
from pipeline.train.data import Augmenter
from pipeline.train.reverb import RoomReverb
from tests.test_batches import split_of

RATE, HOP = 16000, 160
LOGMEL = {"kind": "logmel", "sample_rate": RATE, "n_fft": 400, "hop_length": HOP, "n_mels": 64, "f_min": 0.0,
          "f_max": None, "mel_scale": "htk", "mel_norm": "none", "power": 2.0, "log": "natural"}  # fmt: skip
WAVEFORM = LOGMEL | {"kind": "waveform"}
ROOM = {"rt60_seconds": (0.5, 0.5), "drr_db": (4.0, 4.0)}


def burst_then_silence(batch: int, seed: int) -> torch.Tensor:
    """[B, 2 s]: 0.3 s of white noise from 0.1 s, silence around it."""
    signal = torch.zeros(batch, 2 * RATE)
    signal[:, RATE // 10 : RATE // 10 + 3 * RATE // 10] = torch.randn(
        batch, 3 * RATE // 10, generator=torch.Generator().manual_seed(seed)
    )
    return signal


def frame_db(power: torch.Tensor) -> torch.Tensor:
    """[B, T]: each frame's power summed over the bands, in dB."""
    return 10 * power.sum(1).clamp(min=1e-12).log10()


def test_the_spectrogram_room_hears_what_a_reverberated_recording_holds():
    """The recursive filter on log-mel power against the log-mel of the waveform convolved with a
    room's impulse response: the same room, frame for frame along the tail."""
    dry = burst_then_silence(4, seed=0)
    full = torch.full((4,), dry.shape[-1])
    wet = RoomReverb(WAVEFORM, **ROOM).apply(dry[:, None, :], full, torch.Generator().manual_seed(1))[:, 0]
    mel = torchaudio.transforms.MelSpectrogram(RATE, n_fft=400, hop_length=HOP, n_mels=64, power=2.0)
    log_dry = (mel(dry) + 1e-9).log()
    frames = torch.full((4,), log_dry.shape[-1])
    modelled = RoomReverb(LOGMEL, **ROOM).apply(log_dry, frames, torch.Generator().manual_seed(2)).exp()
    recorded = mel(wet) + 1e-9
    tail = slice(45, 80)  # after the burst (frames 10-40), while the tail stands 20-60 dB under it
    gap = frame_db(modelled)[:, tail] - frame_db(recorded)[:, tail]
    assert float(gap.abs().mean()) < 1.5
    assert float(gap.abs().max()) < 5.0
    assert float((frame_db(recorded)[:, tail] - frame_db(mel(dry) + 1e-9)[:, tail]).min()) > 40  # a real tail


def test_the_tail_decays_at_the_rooms_rt60_keeps_the_energy_and_starts_with_the_sound():
    log_power = torch.full((3, 64, 300), -80.0)  # a floor far below the sound
    log_power[:, :, 100] = 0.0  # one loud frame
    rt60 = torch.tensor([0.3, 0.5, 0.8])
    rooms = [RoomReverb(LOGMEL, rt60_seconds=(float(r), float(r)), drr_db=(4.0, 4.0)) for r in rt60]

    def reverberate(x: torch.Tensor) -> torch.Tensor:
        return torch.cat(
            [room.apply(x[i : i + 1], torch.tensor([300]), torch.Generator()) for i, room in enumerate(rooms)]
        )

    wet = reverberate(log_power)
    db = frame_db(wet.exp())
    slope = (db[:, 120] - db[:, 110]) / 10  # dB per 10 ms frame
    assert slope.tolist() == pytest.approx((-60 * HOP / RATE / rt60).tolist(), rel=1e-3)
    floor_alone = reverberate(torch.full((3, 64, 300), -80.0))
    assert torch.equal(wet[:, :, :100], floor_alone[:, :, :100])  # nothing of the sound before it
    energy = lambda x: x.double().exp().sum((1, 2))  # noqa: E731
    assert energy(wet).tolist() == pytest.approx(energy(log_power).tolist(), rel=1e-3)
    # the sound's own frame holds the direct path and the tail's first hop; the frames after, the rest
    ratio, decay = 10**-0.4, torch.exp(-6 * math.log(10.0) * HOP / RATE / rt60).double()
    after = wet[:, :, 101:].double().exp().sum((1, 2))
    own = wet[:, :, 100].double().exp().sum(1)
    assert (own / after).tolist() == pytest.approx(((1 + (1 - decay) * ratio) / (decay * ratio)).tolist(), rel=1e-3)


def test_a_room_keeps_each_clip_its_length_and_its_padding_zero():
    lengths = torch.tensor([300, 120])
    for features, bins, width in ((LOGMEL, 64, 300), (WAVEFORM, 1, 300 * HOP)):
        scale = 1 if bins > 1 else HOP
        x = torch.randn(2, bins, width) - 4
        x[1, :, 120 * scale :] = 0
        wet = RoomReverb(features).apply(x, lengths * scale, torch.Generator().manual_seed(0))
        assert wet.shape == x.shape and bool(torch.isfinite(wet).all())
        assert (wet[1, :, 120 * scale :] == 0).all()
        assert not torch.allclose(wet[:, :, : 120 * scale], x[:, :, : 120 * scale])


def test_a_waveform_room_keeps_the_recordings_energy():
    dry = burst_then_silence(8, seed=3)
    wet = RoomReverb(WAVEFORM).apply(dry[:, None, :], torch.full((8,), dry.shape[-1]), torch.Generator().manual_seed(4))
    ratio = (wet[:, 0] ** 2).sum(1) / (dry**2).sum(1)
    assert ratio.tolist() == pytest.approx([1.0] * 8, abs=0.05)


def test_training_batches_are_reverberated_only_when_asked():
    split = split_of([200, 150, 90], ["uno", "due", None], n_bins=64)
    plain = TrainParams(speed=0.0, time_shift_ms=0.0, freq_mask=0, time_mask=0)
    mean, std = torch.zeros(64), torch.ones(64)

    def batch(train: TrainParams, seed: int):
        return Augmenter(train, LOGMEL).batch(split, torch.arange(3), mean, std, torch.Generator().manual_seed(seed))

    dry, wet = batch(plain, 0), batch(dataclasses.replace(plain, reverb_prob=1.0), 0)
    assert torch.equal(dry.lengths, wet.lengths)
    for row, n in zip(wet.x, wet.lengths.tolist(), strict=True):
        assert row[:, n:].abs().sum() == 0
    assert not torch.allclose(dry.x, wet.x)
    assert torch.equal(batch(dataclasses.replace(plain, reverb_prob=0.0), 0).x, dry.x)


def test_reverberation_on_mfcc_features_is_a_params_error_naming_the_key():
    with pytest.raises(ParamsError, match=r"^params.yaml: train.reverb_prob reverberates power spectra"):
        parse_params({"features": {"kind": "mfcc"}, "train": {"reverb_prob": 0.5}})
    assert parse_params({"train": {"reverb_prob": 0.5}}).train.reverb_prob == 0.5
    with pytest.raises(ParamsError, match="reverb_prob"):
        parse_params({"train": {"reverb_prob": 1.5}})
