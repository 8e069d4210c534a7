"""Load a checkpoint into a ready model; shared by evaluate and predict."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import torch

from pipeline.errors import DataError, ParamsError
from pipeline.features.reader import FeatureStore, check_metadata
from pipeline.models import build_model
from pipeline.params import ARCHS, FeatureParams, ModelParams, parse_section, shown
from pipeline.train.checkpoint import load_checkpoint
from pipeline.transcript_reader import TranscriptReader


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


def check_checkpoint(checkpoint: dict[str, Any], path: Path) -> None:
    """Everything a checkpoint stores that builds a network or a feature extractor, through the same
    checks as params.yaml: an edited file (`arch: "../x"`, `n_fft: 2**40`) is one line, not a traceback
    or a terabyte."""
    try:
        arch = checkpoint.get("arch")
        if arch not in ARCHS:
            raise ParamsError(f"checkpoint: arch must be one of {', '.join(ARCHS)}, got {shown(arch)}")
        model = checkpoint.get("model")
        parse_section(ModelParams, {**(model if isinstance(model, dict) else {}), "arch": arch}, "model.", "checkpoint")
        FeatureParams.from_metadata(checkpoint.get("features") or {}, "checkpoint")
        n_bins, labels = checkpoint.get("n_bins"), checkpoint.get("labels")
        if not isinstance(n_bins, int) or isinstance(n_bins, bool) or not 1 <= n_bins <= MAX_BINS:
            raise ParamsError(f"checkpoint: n_bins must be an integer in 1..{MAX_BINS}, got {shown(n_bins)}")
        if not isinstance(labels, (list, tuple)) or not labels or not all(isinstance(x, str) for x in labels):
            raise ParamsError(f"checkpoint: labels must be a non-empty list of intent names, got {shown(labels)}")
        if not isinstance(model, dict) or not isinstance(checkpoint.get("normalization"), dict):
            raise ParamsError("checkpoint: model and normalization must be mappings")
    except ParamsError as exc:
        raise DataError(f"{path}: {exc}; re-run train or pass --model a checkpoint train wrote") from None


MAX_BINS = 16384  # n_fft / 2 + 1 at features.n_fft's bound, twice over for log+pcen


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
