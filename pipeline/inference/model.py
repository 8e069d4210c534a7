"""A checkpoint as a ready model: network, normalisation, labels and reader; shared by evaluate,
predict and the exports."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import torch

from pipeline.errors import DataError
from pipeline.features.reader import FeatureStore, check_metadata
from pipeline.inference.checkpoint import check_checkpoint, load_checkpoint
from pipeline.inference.transcript_reader import TranscriptReader
from pipeline.models import build_model


@dataclass
class LoadedModel:
    checkpoint: dict[str, Any]
    model: torch.nn.Module
    mean: torch.Tensor
    std: torch.Tensor
    labels: list[str]

    @property
    def features(self) -> dict[str, Any]:
        return self.checkpoint["features"]

    @cached_property
    def reader(self) -> TranscriptReader | None:
        """The transcript reader fused with the intent head, where train fitted one."""
        state = self.checkpoint.get("reader")
        return TranscriptReader.from_state(state) if state else None

    def intent_scores(self, logits: torch.Tensor, heard: list[str]) -> torch.Tensor:
        """The product's scores: the intent head's logits, fused with the reader of `heard` where there is one."""
        reader = self.reader
        return reader.fuse(logits, heard) if reader is not None else logits

    @property
    def spells(self) -> bool:
        """Whether the CTC head was trained; an untrained one spells noise, so nothing reports it."""
        return self.checkpoint["train"].get("ctc_weight", 0) > 0


def load_model(path: Path, device: torch.device | str = "cpu") -> LoadedModel:
    checkpoint = load_checkpoint(path)
    check_checkpoint(checkpoint, path)
    model = build_model(checkpoint["arch"], checkpoint["n_bins"], len(checkpoint["labels"]), checkpoint["model"])
    try:
        model.load_state_dict(checkpoint["state_dict"])
    except RuntimeError:  # the network's layers changed since it was saved
        raise DataError(
            f"{path}: its weights do not fit this version's {checkpoint['arch']} network; re-run train"
        ) from None
    model.to(device).eval()
    norm = checkpoint["normalization"]
    return LoadedModel(checkpoint, model, norm["mean"].to(device), norm["std"].to(device), list(checkpoint["labels"]))


def open_features_for(loaded: LoadedModel, features_dir: Path, model_path: Path) -> FeatureStore:
    """The shards, refused with one line naming both files if they were made with other parameters."""
    store = FeatureStore(features_dir)
    check_metadata(store.metadata, loaded.features, f"{features_dir} vs the model {model_path}")
    return store
