"""Pictures a reader opens without DVC: a confusion matrix readable at 60 classes. `report` draws its
side-by-side matrices with the same pieces."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import confusion_matrix


def pyplot():
    """matplotlib's pyplot on the Agg backend: stages and reports run without a display."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def row_normalized(counts: np.ndarray) -> np.ndarray:
    """Each true intent's row as shares of its clips (rows without clips stay zero)."""
    rows = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, rows, out=np.zeros_like(counts, dtype=float), where=rows > 0)


def draw_confusion(ax, matrix: np.ndarray, labels: Sequence[str], title: str):
    """One row-normalized matrix on `ax`, every intent named; returns the image for a colour bar."""
    image = ax.imshow(matrix, cmap="Blues", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=6)
    ax.set_yticks(range(len(labels)), labels, fontsize=6)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    return image


def confusion_figure(labels: Sequence[str], y_true: np.ndarray, y_pred: np.ndarray, title: str):
    """Row-normalized confusion matrix, intents grouped by scenario, every intent named."""
    plt = pyplot()
    counts = confusion_matrix(y_true, y_pred, labels=np.arange(len(labels))).astype(float)
    size = max(8.0, 0.22 * len(labels))
    fig, ax = plt.subplots(figsize=(size, size), dpi=100)
    image = draw_confusion(ax, row_normalized(counts), labels, title)
    fig.colorbar(image, ax=ax, fraction=0.03, label="share of the true intent's clips")
    fig.tight_layout()
    return fig
