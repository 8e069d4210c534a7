"""The checkpoint `predict` needs and the resume state an interrupted run continues from.

The resume state lives outside DVC's outputs (`.italic-cnn/resume/`), because DVC deletes a stage's
outputs before re-running it and `persist` outputs would break its run-cache. Its file name is a
fingerprint of everything the run depends on, so a state is only ever resumed by the same run.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import torch
import torchaudio

import pipeline
from pipeline.atomic import atomic_file
from pipeline.inference.checkpoint import CHECKPOINT_VERSION  # noqa: F401  (train writes this format)

RESUME_DIR = Path(".italic-cnn/resume")


def save(obj: dict[str, Any], path: Path) -> None:
    """torch.save, atomically: a kill mid-write leaves the previous file, never a truncated one."""
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    with atomic_file(Path(path), "wb") as handle:
        handle.write(buffer.getvalue())


def versions() -> dict[str, str]:
    return {
        "italic_cnn": pipeline.__version__,
        "torch": str(torch.__version__),
        "torchaudio": str(torchaudio.__version__),
    }


def fingerprint(parts: dict[str, Any], features_dir: Path) -> str:
    """Hash of the run's params, ids and feature files (name, size, mtime)."""
    files = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(Path(features_dir).glob("*.parquet"))]
    blob = json.dumps({"parts": parts, "files": files}, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def resume_path(config: str, key: str, root: Path = RESUME_DIR) -> Path:
    return Path(root) / f"{config}-{key}.pt"
