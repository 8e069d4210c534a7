"""Validation metrics with scikit-learn."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score, f1_score


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Accuracy and macro-F1; the macro average runs over the intents present in `y_true`, so a split
    that lacks a rare intent is not charged a zero for it."""
    labels = np.unique(y_true)
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
    }


def better(select_by: str, candidate: dict[str, float], best: dict[str, float] | None) -> bool:
    """Is `candidate` a better epoch than `best` by `train.select_by`? (ties keep the earlier epoch)"""
    if best is None:
        return True
    if select_by == "loss":
        return candidate["loss"] < best["loss"]
    return candidate[select_by] > best[select_by]
