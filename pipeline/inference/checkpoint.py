"""A checkpoint file, opened and validated: what every consumer of a trained model (predict, evaluate,
the exports) trusts before building a network from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from pipeline.errors import DataError, ParamsError
from pipeline.params import ARCHS, FeatureParams, ModelParams, parse_section, shown

CHECKPOINT_VERSION = 2  # 2: residual models with a CTC head, the alphabet stored
MAX_BINS = 16384  # n_fft / 2 + 1 at features.n_fft's bound, twice over for log+pcen


def load_checkpoint(path: Path) -> dict[str, Any]:
    """A model checkpoint, loaded without running pickled code; a bad file is a one-line error."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no model checkpoint; run `dvc repro` (train) first or pass --model PATH")
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise DataError(f"{path}: not a readable italic-cnn checkpoint ({type(exc).__name__}); re-run train") from None
    if not isinstance(checkpoint, dict) or checkpoint.get("format_version") != CHECKPOINT_VERSION:
        raise DataError(f"{path}: not an italic-cnn checkpoint of format {CHECKPOINT_VERSION}; re-run train")
    return checkpoint


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
