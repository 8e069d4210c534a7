"""Run an exported ONNX product with onnxruntime and numpy alone: no torch, no scikit-learn.

    from pipeline.export.onnx_runtime import OnnxProduct
    product = OnnxProduct("model.onnx")
    probabilities, heard = product([waveform_16k_float32, ...])
    product.labels[probabilities[0].argmax()]

The graph gives the intent head's logits and the CTC head's letters; this file decodes the letters
greedily and, where the export holds the transcript reader, fuses it as `predict` does: character
n-grams of 2 to 5 inside each word padded with spaces, tf = 1 + ln(count), times idf, L2-normalized,
a linear layer, log-softmax, added to the intent head's log-softmax times the reader's weight. It may
be copied out of the project on its own.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

NGRAMS = (2, 5)


class OnnxProduct:
    def __init__(self, model: str | Path | bytes, threads: int | None = None):
        import onnxruntime as ort

        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        source = model if isinstance(model, bytes) else str(model)
        self.session = ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        self.labels: list[str] = json.loads(meta["labels"])
        self.features: dict = json.loads(meta["features"])
        self.product: dict = json.loads(meta["product"])
        self.alphabet: list[str] = json.loads(meta["alphabet"])
        self.chunk = int(meta["chunk"])  # the graph takes a whole number of these samples
        reader = json.loads(meta["reader"])
        self.weight = float(reader["weight"])
        if self.weight:
            self.vocabulary = {term: i for i, term in enumerate(reader["terms"])}
            self.idf = _array(reader["idf"])
            self.coef = _array(reader["coef"]).reshape(reader["shape"])
            self.intercept = _array(reader["intercept"])

    def __call__(self, waves: Sequence[np.ndarray]) -> tuple[np.ndarray, list[str]]:
        """Probabilities [N, labels] and transcripts of 1-D float32 waveforms at the model's rate."""
        lengths = np.array([len(w) for w in waves], dtype=np.int64)
        hop = int(self.features["hop_length"])  # whole chunks, one hop past the longest, two at least
        width = max(2, -(-(int(lengths.max()) + hop) // self.chunk)) * self.chunk
        batch = np.zeros((len(waves), width), dtype=np.float32)
        for row, wave in enumerate(waves):
            batch[row, : len(wave)] = wave
        intent, letters, steps = self.session.run(None, {"waveform": batch, "num_samples": lengths})
        heard = greedy(letters, steps, self.alphabet) if self.product["spells"] else [""] * len(waves)
        scores = intent if not self.weight else log_softmax(intent) + self.weight * self.read(heard)
        return softmax(scores), heard

    def read(self, heard: Sequence[str]) -> np.ndarray:
        """The reader's log-probabilities [N, labels] of each transcript."""
        counts = np.zeros((len(heard), len(self.vocabulary)), dtype=np.float32)
        for row, text in enumerate(heard):
            for term in char_wb_ngrams(text):
                column = self.vocabulary.get(term)
                if column is not None:
                    counts[row, column] += 1
        tf = np.where(counts > 0, 1 + np.log(np.maximum(counts, 1)), 0).astype(np.float32) * self.idf
        norm = np.sqrt((tf * tf).sum(axis=1, keepdims=True))
        tf = tf / np.where(norm > 0, norm, 1)
        return log_softmax(tf @ self.coef.T + self.intercept)

    def accuracy(self, waves: Sequence[np.ndarray], labels: Sequence[int], batch_size: int = 32) -> float:
        hits = 0
        for start in range(0, len(waves), batch_size):
            probabilities, _ = self(waves[start : start + batch_size])
            hits += int((probabilities.argmax(1) == np.asarray(labels[start : start + batch_size])).sum())
        return hits / max(len(waves), 1)


def char_wb_ngrams(text: str) -> list[str]:
    """scikit-learn's `char_wb` n-grams of 2 to 5 characters (a word shorter than n counts once)."""
    out = []
    for word in text.split():
        padded = f" {word} "
        for n in range(NGRAMS[0], NGRAMS[1] + 1):
            offset = 0
            out.append(padded[offset : offset + n])
            while offset + n < len(padded):
                offset += 1
                out.append(padded[offset : offset + n])
            if offset == 0:
                break
    return out


def greedy(letters: np.ndarray, steps: np.ndarray, alphabet: list[str]) -> list[str]:
    best = letters.argmax(-1)
    heard = []
    for row, count in zip(best, steps, strict=True):
        path = row[: int(count)]
        keep = (path != 0) & np.concatenate([[True], path[1:] != path[:-1]])
        heard.append("".join(alphabet[i] for i in path[keep]))
    return heard


def log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(x: np.ndarray) -> np.ndarray:
    return np.exp(log_softmax(x))


def _array(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f4").astype(np.float32)
