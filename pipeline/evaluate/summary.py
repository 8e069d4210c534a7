"""results/summary.json and results/summary.md: one table of every config's test scores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.atomic import atomic_file
from pipeline.errors import DataError

COLUMNS = (("accuracy", "accuracy (95% CI)"), ("macro_f1", "macro-F1 (95% CI)"), ("top5_accuracy", "top-5"),
           ("scenario_accuracy", "scenario acc."), ("clips", "test clips"))  # fmt: skip


def summarize(configs: tuple[str, ...], results: Path, partial: bool = False) -> dict[str, Any]:
    """Each config's test scores; `partial` skips configs not evaluated yet instead of failing."""
    table: dict[str, Any] = {}
    for config in configs:
        path = results / config / "evaluate" / "metrics.json"
        if not path.is_file():
            if partial:
                continue
            raise DataError(f"{path}: not found; run `dvc repro` (evaluate@{config}) first")
        metrics = json.loads(path.read_text())
        table[config] = {key: metrics[key] for key, _ in COLUMNS}
        for key in ("accuracy_ci", "macro_f1_ci"):
            if key in metrics:
                table[config][key] = metrics[key]
    return table


def markdown(table: dict[str, Any]) -> str:
    head = "| config | " + " | ".join(title for _, title in COLUMNS) + " |"
    rule = "|---|" + "---:|" * len(COLUMNS)
    rows = [
        f"| {config} | " + " | ".join(_cell(values[key], values.get(f"{key}_ci")) for key, _ in COLUMNS) + " |"
        for config, values in table.items()
    ]
    return "\n".join([head, rule, *rows]) + "\n"


def _cell(value: Any, interval: dict[str, float] | None = None) -> str:
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f} ({interval['low']:.3f}–{interval['high']:.3f})" if interval else f"{value:.3f}"


def write_summary(configs: tuple[str, ...], results: Path, partial: bool = False) -> dict[str, Any]:
    """Written by every `evaluate@C` (so `dvc repro` leaves it up to date) and by `italic-cnn summarize`."""
    table = summarize(configs, results, partial)
    with atomic_file(results / "summary.json") as handle:
        handle.write(json.dumps(table, indent=2) + "\n")
    with atomic_file(results / "summary.md") as handle:
        handle.write(markdown(table))
    return table
