"""PNG pictures for the report, drawn with matplotlib from the files `dvc plots` reads (dvclive's
metric histories and the confusion data), so a pull-request comment needs no browser or Vega."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.atomic import atomic_file
from pipeline.evaluate.plots import draw_confusion, pyplot, row_normalized
from pipeline.labels import INTENTS
from pipeline.report.revision import Revision

CURVES = (  # (panel title, [(dvclive history, line name)])
    ("loss", [("train/loss", "train"), ("val/loss", "validation")]),
    ("validation", [("val/accuracy", "accuracy"), ("val/macro_f1", "macro-F1")]),
    ("spelling", [("train/ctc_loss", "train CTC loss"), ("val/cer", "validation CER")]),
)


def history(revision: Revision, config: str, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, values) of one dvclive metric; empty arrays where the revision has none."""
    rows = revision.read_tsv(f"results/{config}/train/plots/metrics/{name}.tsv")
    column = name.rsplit("/", 1)[-1]
    steps = np.array([int(r["step"]) + 1 for r in rows], dtype=int)  # dvclive counts from 0, epochs from 1
    return steps, np.array([float(r[column]) for r in rows], dtype=float)


def draw_curves(base: Revision, head: Revision, config: str, out: Path) -> bool:
    """Loss and validation curves of both revisions (base dashed, head solid); False if neither has any."""
    series = {
        (rev.label, name): history(rev, config, name)
        for rev in (base, head)
        for _, lines in CURVES
        for name, _ in lines
    }
    if not any(len(steps) for steps, _ in series.values()):
        return False
    plt = pyplot()
    fig, axes = plt.subplots(1, len(CURVES), figsize=(6 * len(CURVES), 4.2), dpi=100)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, (title, lines) in zip(axes, CURVES, strict=True):
        for color, (name, line) in zip(colors, lines, strict=False):
            for rev, style in ((base, "--"), (head, "-")):
                steps, values = series[(rev.label, name)]
                if len(steps):
                    ax.plot(steps, values, style, color=color, label=f"{line}, {rev.label}")
        ax.set_title(f"{config}: {title}")
        ax.set_xlabel("epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    _save(fig, out)
    return True


def confusion(revision: Revision, config: str) -> np.ndarray | None:
    """Row-normalized [60, 60] matrix over INTENTS from the DVC confusion data, or None."""
    pairs = revision.read_json(f"results/{config}/evaluate/plots/sklearn/confusion.json")
    if not pairs:
        return None
    index = {name: i for i, name in enumerate(INTENTS)}
    counts = np.zeros((len(INTENTS), len(INTENTS)))
    for pair in pairs:
        counts[index[pair["actual"]], index[pair["predicted"]]] += 1
    return row_normalized(counts)


def draw_confusions(base: Revision, head: Revision, config: str, out: Path) -> bool:
    """Base and head confusion matrices side by side, every intent named; False if neither has one."""
    matrices = [(rev.label, confusion(rev, config)) for rev in (base, head)]
    matrices = [(label, m) for label, m in matrices if m is not None]
    if not matrices:
        return False
    plt = pyplot()
    fig, axes = plt.subplots(1, len(matrices), figsize=(13 * len(matrices), 13), dpi=80, squeeze=False)
    for ax, (label, matrix) in zip(axes[0], matrices, strict=True):
        image = draw_confusion(ax, matrix, INTENTS, f"{config} test, {label}: row-normalized confusion")
    fig.colorbar(image, ax=axes[0].tolist(), fraction=0.02, label="share of the true intent's clips")
    _save(fig, out)
    return True


def _save(fig, out: Path) -> None:
    with atomic_file(out, "wb") as handle:
        fig.savefig(handle, format="png")
    pyplot().close(fig)
