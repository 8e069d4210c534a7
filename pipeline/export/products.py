"""Open whatever `predict --model` is given: a checkpoint, a TorchScript export or an ONNX export.

Both exports answer `product(waveforms) -> (probabilities [N, labels] numpy, transcripts)`, so
predict prints the same JSON lines from the file a user deploys as from the checkpoint it came from.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from pipeline.errors import DataError, UserError


def model_kind(path: Path) -> str:
    """`onnx` by suffix; `torchscript` for a zip holding TorchScript code; else `checkpoint`."""
    path = Path(path)
    if path.suffix.lower() == ".onnx":
        return "onnx"
    try:
        with zipfile.ZipFile(path) as archive:
            if any("/code/" in name for name in archive.namelist()):
                return "torchscript"
    except (zipfile.BadZipFile, OSError):
        pass
    return "checkpoint"


class TorchScriptProduct:
    def __init__(self, path: Path, threads: int | None = None):
        from pipeline.export.torchscript import load_torchscript

        if threads:
            torch.set_num_threads(threads)
        try:
            self.module, self.labels, self.features, self.product = load_torchscript(path)
        except (RuntimeError, ValueError, KeyError) as exc:
            raise DataError(
                f"{path}: not an italic-cnn TorchScript export ({type(exc).__name__}); re-run export"
            ) from None

    @torch.inference_mode()
    def __call__(self, waves: Sequence[np.ndarray]) -> tuple[np.ndarray, list[str]]:
        tensors = [torch.as_tensor(w, dtype=torch.float32) for w in waves]
        lengths = torch.tensor([len(t) for t in tensors], dtype=torch.long)
        probabilities, heard = self.module(torch.nn.utils.rnn.pad_sequence(tensors, batch_first=True), lengths)
        return probabilities.numpy(), list(heard)


def open_product(path: Path, threads: int | None = None):
    """A TorchScript or ONNX export, ready to score; one line where it cannot be opened."""
    if not Path(path).is_file():
        raise DataError(f"{path}: no such model file; run `italic-cnn export` or pass --model PATH")
    if model_kind(path) == "torchscript":
        return TorchScriptProduct(path, threads)
    try:
        from pipeline.export.onnx_runtime import OnnxProduct
    except ImportError:
        raise UserError("scoring an ONNX file needs onnxruntime: pip install -e '.[onnx]'") from None
    try:
        return OnnxProduct(path, threads)
    except (KeyError, ValueError) as exc:
        raise DataError(f"{path}: an ONNX file without italic-cnn's metadata ({exc}); re-run export") from None
    except Exception as exc:  # onnxruntime's own errors (a corrupt or foreign file) share no base class
        raise DataError(f"{path}: onnxruntime cannot load it ({type(exc).__name__}); re-run export") from None
