"""Training and validation data as contiguous tensors in memory (on the GPU when there is one), with
random crops, SpecAugment and noise mixing done on whole batches, so the input path is never the
bottleneck."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torchaudio

from pipeline.errors import DataError, ParamsError
from pipeline.features.reader import FeatureStore
from pipeline.labels import INTENT_INDEX
from pipeline.params import TrainParams
from pipeline.splits import recording_metadata, split_ids


@dataclass
class Split:
    ids: list[int]
    x: torch.Tensor  # [N, n_bins, T] float16, zero past each clip's length
    lengths: torch.Tensor  # [N] int64
    labels: torch.Tensor  # [N] int64, indices into INTENTS

    def __len__(self) -> int:
        return len(self.ids)


def choose_ids(config: str, train: TrainParams, seed: int, raw: Path) -> tuple[list[int], list[int]]:
    """(train ids, validation ids): ITALIC's own validation split, or a speaker-disjoint hold-out."""
    train_ids = split_ids(config, "train", raw)
    if train.val_split == "italic":
        return train_ids, split_ids(config, "validation", raw)
    speakers_of = {rid: row["speaker_id"] for rid, row in recording_metadata(["speaker_id"], raw).items()}
    speakers = sorted({speakers_of[i] for i in train_ids})
    held = max(1, round(len(speakers) * train.val_fraction))
    if held >= len(speakers):
        raise ParamsError(
            f"params.yaml: train.val_fraction {train.val_fraction} holds out all {len(speakers)} train speakers "
            f"of {config}; lower it"
        )
    order = np.random.default_rng(seed).permutation(len(speakers))
    val_speakers = {speakers[i] for i in order[:held]}
    return [i for i in train_ids if speakers_of[i] not in val_speakers], [
        i for i in train_ids if speakers_of[i] in val_speakers
    ]


def load_split(store: FeatureStore, ids: list[int], raw: Path, device: torch.device) -> Split:
    intents = recording_metadata(["intent"], raw)
    labels = [INTENT_INDEX[intents[i]["intent"]] for i in ids]
    x, lengths = store.padded(ids)
    return Split(ids, x.to(device), lengths.to(device), torch.tensor(labels, dtype=torch.long, device=device))


def normalization(split: Split, chunk: int = 512) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-bin mean and std over the train split's own frames (padding excluded)."""
    n_bins = split.x.shape[1]
    total = torch.zeros(n_bins, dtype=torch.float64, device=split.x.device)
    squares = torch.zeros_like(total)
    count = 0
    for start in range(0, len(split), chunk):
        x = split.x[start : start + chunk].double()
        mask = torch.arange(x.shape[-1], device=x.device)[None, :] < split.lengths[start : start + chunk, None]
        x = x * mask[:, None, :]
        total += x.sum(dim=(0, 2))
        squares += (x * x).sum(dim=(0, 2))
        count += int(mask.sum())
    mean = total / count
    std = (squares / count - mean * mean).clamp(min=1e-10).sqrt()
    return mean.float(), std.float()


def normalize(x: torch.Tensor, lengths: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    """float32, per-bin standardized, exactly zero past each clip's length (the models rely on it)."""
    x = (x.float() - mean[None, :, None]) / std[None, :, None]
    mask = torch.arange(x.shape[-1], device=x.device)[None, :] < lengths[:, None]
    return x * mask[:, None, :]


class Augmenter:
    """Random crop/pad to a fixed width, noise mixing and SpecAugment on a whole batch at once."""

    def __init__(self, train: TrainParams, features: dict[str, Any]):
        self.train = train
        self.kind = features["kind"]
        hop = features["hop_length"]
        self.width = train.max_frames * (hop if self.kind == "waveform" else 1)
        if train.noise_prob > 0 and self.kind == "mfcc":
            raise ParamsError("params.yaml: train.noise_prob needs features.kind logmel, stft or waveform, not mfcc")
        # features hold log(power) scaled by `to_ln`; mixing happens on natural-log power
        db = 10.0 if features["power"] == 2.0 else 20.0
        self.to_ln = 1.0 if features.get("log") == "natural" else math.log(10.0) / db
        maskings = []
        if self.kind != "waveform" and train.freq_mask > 0:
            maskings.append(torchaudio.transforms.FrequencyMasking(train.freq_mask, iid_masks=True))
        if train.time_mask > 0:
            span = train.time_mask * (hop if self.kind == "waveform" else 1)
            maskings.append(torchaudio.transforms.TimeMasking(span, iid_masks=True))
        self.maskings = [m for m in maskings for _ in range(train.masks)]

    def crop(self, split: Split, index: torch.Tensor, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """[B, n_bins, width] windows at random offsets (clips shorter than width: zero-padded)."""
        lengths = split.lengths[index]
        width = min(self.width, split.x.shape[-1])
        room = (lengths - width).clamp(min=0).cpu()
        start = (torch.rand(len(index), generator=generator) * (room + 1)).long().to(lengths.device)
        columns = (start[:, None] + torch.arange(width, device=lengths.device)[None, :]).clamp(
            max=split.x.shape[-1] - 1
        )
        x = split.x[index]
        x = torch.gather(x, 2, columns[:, None, :].expand(-1, x.shape[1], -1))
        return x, lengths.clamp(max=width)

    def mix_noise(self, x: torch.Tensor, lengths: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """With train.noise_prob, add another clip of the batch as background train.noise_snr_db below."""
        if self.train.noise_prob <= 0:
            return x
        batch = x.shape[0]
        chosen = (torch.rand(batch, generator=generator) < self.train.noise_prob).to(x.device)
        partner = torch.randperm(batch, generator=generator).to(x.device)
        x = x.float()
        noise = x[partner]
        if self.kind == "waveform":
            power = lambda s: (s * s).mean(dim=(1, 2), keepdim=True) + 1e-12  # noqa: E731
            gain = (power(x) / power(noise) / 10 ** (self.train.noise_snr_db / 10)).sqrt()
            mixed = x + noise * gain
        else:  # log power: log(P + g * Q) in natural-log units, then back
            shift = -self.train.noise_snr_db / 10 * math.log(10.0)
            mixed = torch.logaddexp(x * self.to_ln, noise * self.to_ln + shift) / self.to_ln
        valid = torch.arange(x.shape[-1], device=x.device)[None, :] < torch.minimum(lengths, lengths[partner])[:, None]
        use = chosen[:, None, None] & valid[:, None, :]
        return torch.where(use, mixed, x)

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
