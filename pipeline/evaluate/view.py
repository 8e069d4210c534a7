"""The cell `dvc exp show` prints for a config: a few lines that fit beside the other configs.

`dvc exp show` gives every metric its own column, headed `path:key` when two files share a key, so three
configs' figures made a table hundreds of columns wide. Evaluate therefore also writes, under the
config's own name (a key no other metrics file has), one short text of the figures people compare:
test accuracy with its 95% interval, macro-F1 and CER on the test clips, and the validation accuracy
that chose the checkpoint. The README's `dvc exp show` command keeps these columns and drops the rest.
"""

from __future__ import annotations

from typing import Any


def validation_accuracy(checkpoint: dict[str, Any]) -> float | None:
    """The product's validation accuracy: fused with the transcript reader where train fitted one."""
    fused = (checkpoint.get("reading") or {}).get("val_fused") or {}
    if "accuracy" in fused:
        return float(fused["accuracy"])
    best = checkpoint.get("best") or {}
    return float(best["val_accuracy"]) if "val_accuracy" in best else None


def experiment_cell(metrics: dict[str, Any], validation: float | None) -> str:
    """Four lines, 12 characters wide (as wide as `hard_speaker`, so three configs and a few changed
    params fit 120 columns): test accuracy ± the wider side of its 95% interval, macro-F1, CER (– without
    a CTC head) and validation accuracy (– where the checkpoint does not record it)."""
    accuracy, ci = metrics["accuracy"], metrics["accuracy_ci"]
    half = max(accuracy - ci["low"], ci["high"] - accuracy)
    cer = f"{metrics['cer']:.3f}" if "cer" in metrics else "–"
    val = f"{validation:.3f}" if validation is not None else "–"
    return f"{accuracy:.3f} ±{half:.3f}\nF1  {metrics['macro_f1']:.3f}\nCER {cer}\nval {val}"
