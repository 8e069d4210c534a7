"""`italic-cnn export`: one self-contained TorchScript file, 16 kHz waveform in, intent probabilities out.

Feature extraction, the float16 rounding of the feature shards, normalization and the network are
all inside, so a consumer needs only torch; the 60 labels and the feature parameters travel in the
file's extra files (`labels.json`, `features.json`).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import torch
from torch import nn

from pipeline.atomic import atomic_file
from pipeline.features.transform import FeatureExtractor
from pipeline.inference import LoadedModel
from pipeline.params import FeatureParams


class WaveformClassifier(nn.Module):
    """[T] mono float32 waveform at the checkpoint's sample rate -> [n_labels] probabilities."""

    def __init__(self, loaded: LoadedModel):
        super().__init__()
        params = FeatureParams.from_metadata(loaded.features)
        self.extractor = FeatureExtractor(params)
        self.model = loaded.model
        self.register_buffer("mean", loaded.mean.detach().cpu().clone())
        self.register_buffer("std", loaded.std.detach().cpu().clone())
        self.pad = params.n_fft // 2
        self.reflect = params.kind != "waveform"

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        x = waveform.reshape(1, 1, -1)
        x = nn.functional.pad(x, (self.pad, self.pad), mode="reflect" if self.reflect else "constant")
        features = self.extractor(x[:, 0]).to(torch.float16).float()  # as stored in the feature shards
        lengths = torch.ones(1, dtype=torch.long) * features.shape[-1]
        x = (features - self.mean[None, :, None]) / self.std[None, :, None]
        return torch.softmax(self.model(x, lengths), dim=1)[0]


def export_torchscript(loaded: LoadedModel, out: Path, example_seconds: float = 2.0) -> None:
    module = WaveformClassifier(loaded).eval()
    rate = loaded.features["sample_rate"]
    example = 0.1 * torch.randn(int(example_seconds * rate))
    with torch.no_grad():
        traced = torch.jit.trace(module, (example,), check_trace=False)
    extra = {"labels.json": json.dumps(loaded.labels), "features.json": json.dumps(loaded.features)}
    buffer = io.BytesIO()
    torch.jit.save(traced, buffer, _extra_files=extra)
    with atomic_file(out, "wb") as handle:
        handle.write(buffer.getvalue())


def load_exported(path: Path) -> tuple[torch.jit.ScriptModule, list[str], dict]:
    extra = {"labels.json": "", "features.json": ""}
    module = torch.jit.load(str(path), map_location="cpu", _extra_files=extra)
    return module, json.loads(extra["labels.json"]), json.loads(extra["features.json"])
