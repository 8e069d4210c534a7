"""Training and validation data as contiguous tensors in memory (on the GPU when there is one), with
whole-clip batches grouped by length and every augmentation (speed, noise, time shift, SpecAugment)
done on whole batches, so the input path is never the bottleneck.

Clips longer than `train.max_seconds` are cropped at random, a new window each epoch, and their
transcript no longer matches the crop, so their CTC term is skipped. The two uses pull apart: a crop
can cut out the words that carry the intent, which costs the residual networks (they train best on
whole clips, `max_seconds: 10`), while the pooled network, whose pooling already blurs where a word
sits, gains more from a new view of each clip every epoch than it loses (2 s, the default).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torchaudio

from pipeline.errors import DataError, StageParamsError
from pipeline.inference.clips import Split, normalize, to_device
from pipeline.models.masking import time_mask
from pipeline.params import TrainParams
from pipeline.splits import recording_metadata, split_ids
from pipeline.train.noise import EXPONENTS, ColouredNoise, natural_log_scale

GPU_WIDTH_MULTIPLE = 32  # frames (0.32 s): about 35 distinct batch widths up to train.max_seconds


def choose_ids(config: str, train: TrainParams, seed: int, raw: Path) -> tuple[list[int], list[int]]:
    """(train ids, validation ids): ITALIC's own validation split, or a speaker-disjoint hold-out."""
    train_ids = split_ids(config, "train", raw)
    if train.val_split == "italic":
        return train_ids, split_ids(config, "validation", raw)
    speakers_of = {rid: row["speaker_id"] for rid, row in recording_metadata(["speaker_id"], raw).items()}
    speakers = sorted({speakers_of[i] for i in train_ids})
    held = max(1, round(len(speakers) * train.val_fraction))
    if held >= len(speakers):
        raise StageParamsError(
            f"train.val_fraction {train.val_fraction} holds out all {len(speakers)} train speakers "
            f"of {config}; lower it"
        )
    order = np.random.default_rng(seed).permutation(len(speakers))
    val_speakers = {speakers[i] for i in order[:held]}
    return [i for i in train_ids if speakers_of[i] not in val_speakers], [
        i for i in train_ids if speakers_of[i] in val_speakers
    ]


def length_batches(
    lengths: torch.Tensor, batch_size: int, generator: torch.Generator, pool: int = 32
) -> list[torch.Tensor]:
    """One epoch's batches of clip indices: shuffled, then sorted by length within pools of `pool`
    batches, so each batch pads little; the batches themselves come in random order. Full batches
    only (a batch of one breaks BatchNorm); a split smaller than a batch is one batch."""
    n = len(lengths)
    batch = min(batch_size, n)
    steps = max(1, n // batch_size)
    order = torch.randperm(n, generator=generator)[: steps * batch]
    cpu_lengths = lengths.cpu()
    batches = []
    for start in range(0, len(order), pool * batch):
        chunk = order[start : start + pool * batch]
        chunk = chunk[torch.argsort(cpu_lengths[chunk], stable=True)]
        batches += list(chunk.split(batch))
    shuffle = torch.randperm(len(batches), generator=generator)
    return [batches[i] for i in shuffle]


def normalization(split: Split, chunk: int = 1 << 16) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-bin mean and std over the train split's own frames (there is no padding to leave out)."""
    total = torch.zeros(split.n_bins, dtype=torch.float64, device=split.device)
    squares = torch.zeros_like(total)
    for start in range(0, len(split.frames), chunk):
        x = split.frames[start : start + chunk].double()
        total += x.sum(dim=0)
        squares += (x * x).sum(dim=0)
    count = max(len(split.frames), 1)
    mean = total / count
    std = (squares / count - mean * mean).clamp(min=1e-10).sqrt()
    return mean.float(), std.float()


@dataclass
class Batch:
    x: torch.Tensor  # [B, n_bins, T] float32, normalized, zero past each clip's length
    lengths: torch.Tensor
    labels: torch.Tensor
    targets: torch.Tensor
    target_lengths: torch.Tensor  # 0 where the CTC term is skipped
    host_lengths: torch.Tensor  # CPU copies of the two above
    host_target_lengths: torch.Tensor

    def rows(self, keep: slice) -> Batch:
        return Batch(*(t[keep] for t in (self.x, self.lengths, self.labels, self.targets, self.target_lengths,
                                         self.host_lengths, self.host_target_lengths)))  # fmt: skip


class Augmenter:
    """Crops beyond `train.max_seconds`, speed perturbation, noise mixing, time shift and SpecAugment,
    each on a whole batch at once and each switched off by its param at 0."""

    def __init__(self, train: TrainParams, features: dict[str, Any]):
        self.train = train
        self.kind = features["kind"]
        self.rate = features["sample_rate"]
        # frames (samples for waveforms) per second, and per time-mask/shift unit (one 10 ms frame)
        hop = features["hop_length"]
        self.per_second = self.rate if self.kind == "waveform" else self.rate / hop
        self.unit = hop if self.kind == "waveform" else 1
        self.max_width = max(1, int(train.max_seconds * self.per_second))
        self.colours = [kind for kind in train.noise_kinds if kind in EXPONENTS]
        self.coloured = ColouredNoise(features) if train.noise_prob > 0 and self.colours else None
        self.to_ln = natural_log_scale(features)
        maskings = []
        if self.kind != "waveform" and train.freq_mask > 0:
            maskings.append(torchaudio.transforms.FrequencyMasking(train.freq_mask, iid_masks=True))
        if train.time_mask > 0:
            maskings.append(torchaudio.transforms.TimeMasking(train.time_mask * self.unit, iid_masks=True))
        self.maskings = [m for m in maskings for _ in range(train.masks)]

    def batch(
        self, split: Split, index: torch.Tensor, mean: torch.Tensor, std: torch.Tensor, generator: torch.Generator
    ) -> Batch:
        """The augmented, normalized training batch of clips `index` (a CPU tensor). Lengths are
        tracked on the CPU and copied over, so nothing here waits for the GPU."""
        device = split.device
        on_device = to_device(index, device)
        x, host_lengths, cropped = self.crop(split, index, on_device, generator)
        host_target_lengths = torch.where(cropped, 0, split.host_target_lengths[index])
        x, host_lengths = self.speed(x, host_lengths, generator)
        lengths = to_device(host_lengths, device)
        x = self.mix_noise(x, lengths, generator)
        x, host_lengths = self.shift(normalize(x, lengths, mean, std), host_lengths, generator)
        lengths = to_device(host_lengths, device)
        return Batch(self.pad_width(self.spec_augment(x)), lengths, split.labels[on_device], split.targets[on_device],
                     to_device(host_target_lengths, device), host_lengths, host_target_lengths)  # fmt: skip

    def crop(
        self, split: Split, index: torch.Tensor, on_device: torch.Tensor, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Whole clips, cut to the batch's longest; clips beyond max_seconds: a random window of it.
        Returns the clips, their lengths (CPU) and which were cropped (CPU)."""
        lengths = split.host_lengths[index]
        width = min(int(lengths.max()), self.max_width)
        cropped = lengths > width
        room = (lengths - width).clamp(min=0)
        start = (torch.rand(len(index), generator=generator) * (room + 1)).long()
        if not bool(cropped.any()):
            return split.clips(on_device, width), lengths, cropped
        return split.clips(on_device, width, to_device(start, split.device)), lengths.clamp(max=width), cropped

    def speed(
        self, x: torch.Tensor, lengths: torch.Tensor, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One factor per batch, uniform in 1 +- train.speed (0.01 steps). Waveforms are resampled with
        torchaudio (tempo and pitch change, as a faster speaker); spectrogram frames are interpolated
        along time (tempo only). `lengths` are on the CPU, and so are those returned."""
        if self.train.speed <= 0:
            return x, lengths
        factor = round(1 + self.train.speed * (2 * float(torch.rand((), generator=generator)) - 1), 2)
        if factor == 1.0:
            return x, lengths
        if self.kind == "waveform":
            x = torchaudio.functional.resample(x.float(), round(100 * factor), 100)
        else:
            x = torch.nn.functional.interpolate(x.float(), scale_factor=1 / factor, mode="linear")
        lengths = (lengths.double() / factor).round().long().clamp(min=1, max=x.shape[-1])
        return x * time_mask(to_device(lengths, x.device), x.shape[-1])[:, None, :], lengths

    def mix_noise(self, x: torch.Tensor, lengths: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """With train.noise_prob, add background noise of one of train.noise_kinds, at an SNR drawn per
        clip uniformly within train.noise_snr_db +- 5 dB: another clip of the batch (babble) or white,
        pink or brown noise (`pipeline.train.noise`)."""
        if self.train.noise_prob <= 0:
            return x
        batch = x.shape[0]
        chosen = to_device(torch.rand(batch, generator=generator) < self.train.noise_prob, x.device)
        partner = to_device(torch.randperm(batch, generator=generator), x.device)
        snr = self.train.noise_snr_db + 10 * torch.rand(batch, generator=generator) - 5
        babble = self.mix_babble(x, lengths, partner, to_device(snr, x.device)[:, None, None])
        if self.coloured is None:
            return torch.where(chosen[:, None, None], babble, x)
        kinds = list(self.train.noise_kinds)
        kind = torch.randint(len(kinds), (batch,), generator=generator)
        colour = torch.tensor([list(EXPONENTS).index(k) if k in EXPONENTS else 0 for k in kinds])[kind]
        is_babble = torch.tensor([kinds[int(k)] == "babble" for k in kind])
        mixed = torch.where(chosen[:, None, None], babble, x.float())
        rows = torch.nonzero(chosen.cpu() & ~is_babble).flatten()  # only these pay for making noise
        if len(rows):
            on_device = to_device(rows, x.device)
            mixed[on_device] = self.coloured.mix(x[on_device], lengths[on_device], snr[rows], colour[rows], generator)
        return mixed

    def mix_babble(
        self, x: torch.Tensor, lengths: torch.Tensor, partner: torch.Tensor, snr: torch.Tensor
    ) -> torch.Tensor:
        """Every clip with its partner clip mixed in over the frames both have, at `snr` ([B, 1, 1])."""
        x = x.float()
        noise = x[partner]
        if self.kind == "waveform":
            power = lambda s: (s * s).mean(dim=(1, 2), keepdim=True) + 1e-12  # noqa: E731
            gain = (power(x) / power(noise) / 10 ** (snr / 10)).sqrt()
            mixed = x + noise * gain
        else:  # log power: log(P + g * Q) in natural-log units, then back
            shift = -snr / 10 * math.log(10.0)
            mixed = torch.logaddexp(x * self.to_ln, noise * self.to_ln + shift) / self.to_ln
        valid = time_mask(torch.minimum(lengths, lengths[partner]), x.shape[-1])
        return torch.where(valid[:, None, :], mixed, x)

    def shift(
        self, x: torch.Tensor, lengths: torch.Tensor, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Move each clip by up to train.time_shift_ms: later (silence, the normalized 0, in front) or
        earlier (its first frames dropped; never below one frame). `lengths` on the CPU, in and out."""
        most = int(self.train.time_shift_ms / 1000 * self.per_second)
        if most <= 0:
            return x, lengths
        offset = torch.randint(-most, most + 1, (x.shape[0],), generator=generator)
        offset = torch.maximum(offset, 1 - lengths)  # keep at least one frame
        new_lengths = lengths + offset
        width = int(new_lengths.max())
        source = torch.arange(width)[None, :] - offset[:, None]
        valid = to_device((source >= 0) & (source < lengths[:, None]), x.device)
        source = to_device(source.clamp(0, x.shape[-1] - 1), x.device)
        gathered = torch.gather(x, 2, source[:, None, :].expand(-1, x.shape[1], -1))
        return gathered * valid[:, None, :], new_lengths

    def pad_width(self, x: torch.Tensor) -> torch.Tensor:
        """Zero-pad the time axis up to a multiple of train.width_multiple (0: GPU_WIDTH_MULTIPLE on a
        GPU, none on CPU). The models ignore padding; what changes is the number of distinct shapes. On
        a GPU every new shape costs cuDNN a new plan: with exact widths the first epochs ran at a fifth
        to a half of the speed of an epoch whose shapes had all been seen. On CPU the padded frames
        only cost time (5-10%)."""
        multiple = self.train.width_multiple or (GPU_WIDTH_MULTIPLE if x.is_cuda else 1)
        multiple *= self.unit
        extra = -x.shape[-1] % multiple
        return torch.nn.functional.pad(x, (0, extra)) if extra else x

    def spec_augment(self, x: torch.Tensor) -> torch.Tensor:
        """Masks are filled with 0, the normalized mean."""
        if not self.maskings:
            return x
        x = x[:, None]
        for masking in self.maskings:
            x = masking(x)
        return x[:, 0]


def check_not_empty(split: Split, name: str, config: str) -> None:
    if len(split) == 0:
        raise DataError(f"{config}: the {name} split is empty; check data/raw/splits.parquet and train.val_split")
