"""One table of every config's test scores, read from results/<config>/evaluate/metrics.json (and the
details.json beside it) when asked.

It is never a file of its own that a stage writes on the side: such a file is not a DVC output, so
after `dvc exp apply`, `dvc checkout` or a run-cache restore it would show another run's numbers.
Read at the moment it is printed, from the metrics DVC keeps in step, it cannot be stale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.atomic import atomic_file
from pipeline.errors import DataError
from pipeline.params import recipe_text

COLUMNS = (("accuracy", "accuracy (95% CI)"), ("head_accuracy", "intent head alone"), ("macro_f1", "macro-F1 (95% CI)"),
           ("top5_accuracy", "top-5"), ("scenario_accuracy", "scenario acc."), ("cer", "CER"),
           ("clips", "test clips"), ("recipe", "recipe"))  # fmt: skip


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
        details = path.with_name("details.json")  # top-5 and scenario accuracy, beside what DVC compares
        if details.is_file():
            metrics = json.loads(details.read_text()) | metrics
        # no CER without a CTC head, no intent head alone without a reader
        table[config] = {key: metrics.get(key) for key, _ in COLUMNS}
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
    if isinstance(value, dict):  # a recipe: the keys the config set over the shared sections
        return recipe_text(value).removeprefix("recipe ")
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f} ({interval['low']:.3f}–{interval['high']:.3f})" if interval else f"{value:.3f}"


def write_markdown(table: dict[str, Any], path: Path) -> None:
    """`italic-cnn summarize --out`: a copy the user asked for, e.g. for a report."""
    with atomic_file(path) as handle:
        handle.write(markdown(table))
