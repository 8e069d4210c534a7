"""`italic-cnn predict`: intents for a user's own recordings, through the same code as featurize.

Each file is decoded, downmixed and resampled by `prepare_waveform`, turned into features by
`FeatureExtractor` with the parameters stored in the checkpoint, and rounded to float16 as the
feature shards are, so a file gets exactly the prediction `evaluate` gives its clip.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from pipeline.alphabet import greedy_decode
from pipeline.audio import AUDIO_SUFFIXES, AudioProblem, read_audio_file
from pipeline.errors import UserError
from pipeline.features.transform import FeatureExtractor, cut_to_max, prepare_waveform
from pipeline.inference import LoadedModel
from pipeline.inference.clips import normalize
from pipeline.labels import scenario_of
from pipeline.params import FeatureParams


@dataclass
class Prediction:
    path: str
    top: list[tuple[str, float]]
    heard: str  # the CTC head's greedy transcript: what the model understood ("" when trained without it)

    def as_json(self) -> str:
        intent, confidence = self.top[0]
        return json.dumps({"path": self.path, "intent": intent, "scenario": scenario_of(intent),
                           "confidence": round(confidence, 6), "top": [[i, round(p, 6)] for i, p in self.top],
                           "heard": self.heard}, ensure_ascii=False)  # fmt: skip


def find_audio(paths: Sequence[Path]) -> list[Path]:
    """Files as given, folders searched recursively for audio; a path that does not exist is a usage error."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            # not only regular files: a FIFO or device named `.wav` is reported as a failed file, not passed over
            found += sorted(p for p in path.rglob("*") if not p.is_dir() and p.suffix.lower() in AUDIO_SUFFIXES)
        elif path.exists():  # a FIFO or a device too: reading refuses it, as one failed file
            found.append(path)
        else:
            raise UserError(f"{path}: no such file or folder")
    if not found:
        raise UserError(f"no audio files ({', '.join(AUDIO_SUFFIXES)}) under {', '.join(map(str, paths))}")
    return found


class FileScorer:
    """Scores files in batches; subclasses say how a file becomes an input and how inputs are scored."""

    features: FeatureParams
    labels: list[str]

    def prepare(self, data: bytes):
        raise NotImplementedError

    def score(self, items: list) -> tuple[torch.Tensor, list[str]]:
        raise NotImplementedError

    def run(self, files: list[Path], batch_size: int, top_k: int) -> Iterator[Prediction | tuple[Path, str]]:
        """Predictions in file order; a file that cannot be classified yields (path, reason)."""
        pending: list[tuple[Path, Any]] = []
        for index, path in enumerate(files):
            try:
                pending.append((path, self.prepare(read_audio_file(path))))
            except AudioProblem as problem:
                yield path, f"{problem.reason}: {problem.detail}"
            except OSError as exc:
                yield path, f"unreadable: {exc.strerror or exc}"
            if len(pending) == batch_size or (index == len(files) - 1 and pending):
                probs, heard = self.score([item for _, item in pending])
                for (done, _), row, text in zip(pending, probs, heard, strict=True):
                    values, indices = row.topk(min(top_k, len(row)))
                    top = [(self.labels[i], float(v)) for v, i in zip(values, indices, strict=True)]
                    yield Prediction(str(done), top, text)
                pending = []


class Predictor(FileScorer):
    """A checkpoint, through the same feature code as featurize."""

    def __init__(self, loaded: LoadedModel, device: torch.device):
        self.loaded = loaded
        self.device = device
        self.labels = loaded.labels
        self.features = FeatureParams.from_metadata(loaded.features)
        self.extractor = FeatureExtractor(self.features).to(device)

    def features_of(self, data: bytes) -> torch.Tensor:
        """[n_bins, n_frames] float32, exactly as the feature shards hold it (float16 values)."""
        wave, _ = cut_to_max(prepare_waveform(data, self.features), self.features)
        return self.extractor.batch([wave], self.device)[0].to(torch.float16).float()

    @torch.inference_mode()
    def probabilities(self, features: list[torch.Tensor]) -> tuple[torch.Tensor, list[str]]:
        """Intent probabilities [N, n_labels] (fused with the transcript reader where the checkpoint holds
        one) and what the CTC head heard in each clip."""
        lengths = torch.tensor([f.shape[1] for f in features], device=self.device)
        batch = torch.zeros(len(features), features[0].shape[0], int(lengths.max()), device=self.device)
        for i, feature in enumerate(features):
            batch[i, :, : feature.shape[1]] = feature.to(self.device)
        x = normalize(batch, lengths, self.loaded.mean, self.loaded.std)
        if not self.loaded.spells:
            return torch.softmax(self.loaded.model(x, lengths).float(), dim=1).cpu(), [""] * len(features)
        outputs = self.loaded.model.outputs(x, lengths)
        heard = greedy_decode(outputs.chars.float(), outputs.steps)
        scores = self.loaded.intent_scores(outputs.intent.float(), heard)
        return torch.softmax(scores, dim=1).cpu(), heard

    prepare = features_of
    score = probabilities


class ExportPredictor(FileScorer):
    """A TorchScript or ONNX export (pipeline.export.products): the file a user deploys."""

    def __init__(self, product):
        self.product = product
        self.labels = list(product.labels)
        self.features = FeatureParams.from_metadata(product.features, "export")

    def prepare(self, data: bytes):
        return prepare_waveform(data, self.features).numpy()

    def score(self, items: list) -> tuple[torch.Tensor, list[str]]:
        probabilities, heard = self.product(items)
        return torch.from_numpy(np.asarray(probabilities)), heard


def scorer_for(path: Path) -> FileScorer:
    """A checkpoint (scored on the GPU when there is one) or an export, by what the file is."""
    from pipeline.export.products import model_kind, open_product

    if model_kind(path) == "checkpoint":
        from pipeline.device import pick_device
        from pipeline.inference import load_model

        device = pick_device()
        return Predictor(load_model(path, device), device)
    return ExportPredictor(open_product(path))


def table_line(prediction: Prediction) -> str:
    intent, confidence = prediction.top[0]
    return f"{prediction.path}\t{intent}\t{confidence:.3f}\t{prediction.heard}"


def report_failure(path: Path, reason: str) -> None:
    print(f"error: {path}: {reason}", file=sys.stderr)
