"""`italic-cnn export`: one self-contained model file, 16 kHz waveform in, intent probabilities out.

Feature extraction, the float16 rounding of the feature shards, normalization and the network are
all inside. TorchScript takes a waveform of any length; the labels and feature parameters travel as
extra files (`labels.json`, `features.json`). ONNX has static shapes: it takes a waveform zero-padded
to `max_seconds` plus its true length, reflect-pads at that length and masks what follows, so its
output equals `predict`'s for any clip up to `max_seconds`; labels and feature parameters are in the
model's metadata_props.

Both hold the network alone. The transcript reader `predict` fuses with the intent head (see
pipeline/transcript_reader.py) reads greedy transcripts through character n-grams, which neither
format expresses; `export` says what that costs on validation.
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
        self.keep = samples_kept(params)

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        if self.keep is not None:  # features.max_seconds, as featurize and predict cut
            waveform = waveform[: self.keep]
        x = waveform.reshape(1, 1, -1)
        x = nn.functional.pad(x, (self.pad, self.pad), mode="reflect" if self.reflect else "constant")
        features = self.extractor(x[:, 0]).to(torch.float16).float()  # as stored in the feature shards
        lengths = torch.ones(1, dtype=torch.long) * features.shape[-1]
        x = (features - self.mean[None, :, None]) / self.std[None, :, None]
        return torch.softmax(self.model(x, lengths), dim=1)[0]


def export_note(reading: dict) -> str:
    """What the export leaves out, in the checkpoint's own validation figures (train's `reading`)."""
    return (
        "the export's probabilities are the intent head's alone, without the transcript reader predict fuses "
        f"(validation accuracy {reading['val_head']['accuracy']:.3f} alone against "
        f"{reading['val_fused']['accuracy']:.3f} fused)"
    )


def samples_kept(params: FeatureParams) -> int | None:
    """Samples of a clip its features cover: features.max_seconds (as `cut_to_max`), or all (None)."""
    return None if params.max_seconds is None else round(params.max_seconds * params.sample_rate)


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


class PaddedWaveformClassifier(nn.Module):
    """([1, N] waveform zero-padded to N samples, [1] int64 true length) -> [1, n_labels] probabilities."""

    def __init__(self, loaded: LoadedModel, max_samples: int):
        super().__init__()
        params = FeatureParams.from_metadata(loaded.features)
        self.extractor = FeatureExtractor(params)
        self.model = loaded.model
        self.register_buffer("mean", loaded.mean.detach().cpu().clone())
        self.register_buffer("std", loaded.std.detach().cpu().clone())
        self.pad, self.hop, self.max_samples = params.n_fft // 2, params.hop_length, max_samples
        self.waveform_kind = params.kind == "waveform"
        self.keep = min(max_samples, samples_kept(params) or max_samples)  # features.max_seconds

    def forward(self, waveform: torch.Tensor, num_samples: torch.Tensor) -> torch.Tensor:
        n = num_samples.clamp(min=1, max=self.keep)
        position = torch.arange(self.max_samples + 2 * self.pad)[None, :] - self.pad  # index into the clip
        source = position.abs()  # reflect at the start: x[pad], ..., x[1]
        source = torch.where(source >= n[:, None], 2 * (n[:, None] - 1) - source, source)  # reflect at the end
        keep = (position >= 0) & (position < n[:, None]) if self.waveform_kind else position < n[:, None] + self.pad
        padded = waveform.gather(1, source.clamp(0, self.max_samples - 1)) * keep
        frames = n if self.waveform_kind else 1 + n // self.hop
        features = self.extractor(padded, frames).to(torch.float16).float()
        x = (features - self.mean[None, :, None]) / self.std[None, :, None]
        x = x * (torch.arange(x.shape[-1])[None, :] < frames[:, None])[:, None, :]
        return torch.softmax(self.model(x, frames), dim=1)


def export_onnx(loaded: LoadedModel, out: Path, max_seconds: float) -> None:
    """ONNX through torch.onnx (dynamo exporter); needs the `onnx` extra (onnx, onnxscript)."""
    try:
        import onnx
    except ImportError:
        from pipeline.errors import UserError

        raise UserError("ONNX export needs the onnx extra: pip install -e '.[onnx]'") from None
    max_samples = int(max_seconds * loaded.features["sample_rate"])
    module = PaddedWaveformClassifier(loaded, max_samples).eval()
    example = (torch.zeros(1, max_samples), torch.tensor([max_samples // 2]))
    with torch.no_grad():
        program = torch.onnx.export(
            module, example, input_names=["waveform", "num_samples"], output_names=["probabilities"], dynamo=True,
            verbose=False,
        )  # fmt: skip
    proto = program.model_proto
    for key, value in {"labels": json.dumps(loaded.labels), "features": json.dumps(loaded.features),
                       "max_samples": str(max_samples)}.items():  # fmt: skip
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    with atomic_file(out, "wb") as handle:
        handle.write(onnx._serialize(proto) if hasattr(onnx, "_serialize") else proto.SerializeToString())
