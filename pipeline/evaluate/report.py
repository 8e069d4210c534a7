"""Metrics of one test split with scikit-learn: overall, per intent, per scenario, per metadata slice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support, top_k_accuracy_score

from pipeline.alphabet import character_error_rate
from pipeline.labels import scenario_of

# field: close-talking or far (a room between); voice_family: which synthesizer spoke (synthetic corpora)
SLICES = ("environment", "device", "field", "gender", "voice_family")


def score(
    labels: Sequence[str], y_true: np.ndarray, probs: np.ndarray, meta: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """`y_true`: label indices; `probs`: [N, n_labels]; `meta`: each row's metadata for the slices."""
    y_pred = probs.argmax(axis=1)
    present = np.unique(y_true)
    all_labels = np.arange(len(labels))
    scenario_true = np.array([scenario_of(labels[i]) for i in y_true])
    scenario_pred = np.array([scenario_of(labels[i]) for i in y_pred])
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, labels=present, zero_division=0)
    per_intent = {
        labels[i]: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for i, p, r, f, s in zip(present, precision, recall, f1, support, strict=True)
    }
    slices: dict[str, dict[str, float]] = {}
    for column in SLICES:
        values = np.array([str(m.get(column)) for m in meta])
        if len(set(values)) > 1 or (len(values) and values[0] != "None"):
            slices[column] = {
                value: float(accuracy_score(y_true[values == value], y_pred[values == value]))
                for value in sorted(set(values))
            }
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
        "weighted_f1": float(f1_score(y_true, y_pred, labels=present, average="weighted", zero_division=0)),
        "top5_accuracy": float(top_k_accuracy_score(y_true, probs, k=5, labels=all_labels)),
        "scenario_accuracy": float(np.mean(scenario_true == scenario_pred)),
        "clips": len(y_true),
        "per_intent": per_intent,
        "slices": slices,
    }


def cer_by_family(references: Sequence[str], heard: Sequence[str], families: Sequence[str | None]) -> dict[str, Any]:
    """The CTC head's character error rate and clip count per voice family; empty without families."""
    out: dict[str, Any] = {}
    for family in sorted({f for f in families if f}):
        chosen = [i for i, f in enumerate(families) if f == family]
        cer, clips = character_error_rate([references[i] for i in chosen], [heard[i] for i in chosen])
        out[family] = {"cer": cer, "clips": clips}
    return out
