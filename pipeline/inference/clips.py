"""A split's clips in memory, as scoring and training both read them: features packed back to back
(on the GPU when there is one), labels, CTC targets and transcripts, and the per-bin standardisation
every network's input goes through."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from pipeline import alphabet
from pipeline.alphabet import normalize_text
from pipeline.features.reader import FeatureStore
from pipeline.labels import INTENT_INDEX
from pipeline.models.masking import time_mask
from pipeline.splits import recording_metadata


@dataclass
class Split:
    """A split's clips back to back along time, unpadded: memory follows the frames actually there,
    not N times the longest clip. Only a batch is ever padded (`clips`)."""

    ids: list[int]
    frames: torch.Tensor  # [total frames, n_bins] float16, every clip's frames one after another
    starts: torch.Tensor  # [N] int64: each clip's first row in `frames`
    lengths: torch.Tensor  # [N] int64
    labels: torch.Tensor  # [N] int64, indices into INTENTS
    targets: torch.Tensor  # [N, longest transcript] int64 CTC targets (pipeline.alphabet), 0-padded
    target_lengths: torch.Tensor  # [N] int64; 0 = no transcript, the CTC term is skipped for the clip
    texts: list[str]  # the transcripts as the CTC head spells them ("" where there is none)
    # CPU copies: batch widths, crops and CTC lengths are decided from these, so a training step never
    # waits for the GPU to answer a question about shapes
    host_lengths: torch.Tensor = None  # type: ignore[assignment]
    host_target_lengths: torch.Tensor = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.host_lengths is None:
            self.host_lengths = self.lengths.cpu()
        if self.host_target_lengths is None:
            self.host_target_lengths = self.target_lengths.cpu()

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def n_bins(self) -> int:
        return int(self.frames.shape[1])

    @property
    def device(self) -> torch.device:
        return self.frames.device

    def clips(self, index: torch.Tensor, width: int, offset: torch.Tensor | None = None) -> torch.Tensor:
        """[B, n_bins, width] float16: clips `index` (on the split's device) from frame `offset` on
        (default 0), zero past each clip's end. One gather on the device, whatever the lengths."""
        steps = torch.arange(width, device=self.device)
        first, left = self.starts[index], self.lengths[index]
        if offset is not None:
            first, left = first + offset, left - offset
        rows = (first[:, None] + steps).clamp(max=max(len(self.frames) - 1, 0))
        x = self.frames[rows].masked_fill((steps >= left[:, None])[..., None], 0)  # [B, width, n_bins]
        return x.transpose(1, 2).contiguous()


def pack(clips: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """[n_bins, T_i] clips -> (frames [sum T_i, n_bins], starts, lengths), as `Split` holds them."""
    lengths = torch.tensor([c.shape[-1] for c in clips], dtype=torch.long)
    starts = torch.cumsum(lengths, 0) - lengths
    return torch.cat([c.T for c in clips]), starts, lengths


def to_device(t: torch.Tensor, device: torch.device) -> torch.Tensor:
    """A small CPU tensor onto `device` without stalling: a pinned, asynchronous copy on CUDA (a
    pageable one would wait for every queued kernel first)."""
    if device.type != "cuda":
        return t.to(device)
    return t.pin_memory().to(device, non_blocking=True)


def load_split(store: FeatureStore, ids: list[int], raw: Path, device: torch.device) -> Split:
    meta = recording_metadata(["intent", "utt"], raw)
    labels = [INTENT_INDEX[meta[i]["intent"]] for i in ids]
    texts = [normalize_text(meta[i]["utt"]) for i in ids]
    targets, target_lengths = alphabet.targets(texts)
    frames, starts, lengths = store.packed(ids)
    return Split(
        ids, frames.to(device), starts.to(device), lengths.to(device),
        torch.tensor(labels, dtype=torch.long, device=device), targets.to(device), target_lengths.to(device),
        texts, lengths, target_lengths,
    )  # fmt: skip


def normalize(x: torch.Tensor, lengths: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    """float32, per-bin standardized, exactly zero past each clip's length (the models rely on it)."""
    x = (x.float() - mean[None, :, None]) / std[None, :, None]
    return x * time_mask(lengths, x.shape[-1])[:, None, :]
