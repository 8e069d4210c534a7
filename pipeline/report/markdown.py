"""The report as GitHub-flavoured markdown: changed params, test metrics with deltas and arrows, the
intents that moved most, and the PNGs beside it."""

from __future__ import annotations

import json
from typing import Any

from pipeline.report.compare import TEST_METRICS, Comparison, MetricRow

TITLES = dict(TEST_METRICS)
MARKS = {"better": "▲", "worse": "▼", "same": "="}


def render(comparison: Comparison, images: dict[str, list[tuple[str, str]]]) -> str:
    """`images`: config -> [(alt text, file name relative to the markdown)]."""
    base, head = comparison.base.label, comparison.head.label
    lines = [f"## italic-cnn: `{head}` against `{base}`", ""]
    lines += _params(comparison)
    lines += _metrics(comparison.metrics)
    lines += _intents(comparison)
    for config in comparison.configs:
        if images.get(config):
            lines += [f"### {config}", ""]
            lines += [f"![{alt}]({name})" for alt, name in images[config]]
            lines.append("")
    lines.append(f"Base dashed, head solid in the curves. ▲ better, ▼ worse, = within {0.0005:g}.")
    return "\n".join(lines) + "\n"


def metric_cell(row: MetricRow) -> str:
    """The change column: `+0.031 ▲`, `-0.012 ▼`, `+0.000 =`, `new`, `removed`."""
    if row.verdict in ("new", "removed"):
        return row.verdict
    return f"{row.delta:+.3f} {MARKS[row.verdict]}"


def _params(comparison: Comparison) -> list[str]:
    if not comparison.params:
        return ["No params changed.", ""]
    lines = ["### Params", "", "| param | base | head |", "|---|---|---|"]
    lines += [f"| `{p.key}` | {_value(p.base)} | {_value(p.head)} |" for p in comparison.params]
    return [*lines, ""]


def _metrics(rows: list[MetricRow]) -> list[str]:
    if not rows:
        return ["No test metrics on either side: run `dvc repro` first.", ""]
    lines = ["### Test metrics", "", "| config | metric | base | head | change |", "|---|---|---:|---:|---:|"]
    for row in rows:
        lines.append(
            f"| {row.config} | {TITLES[row.metric]} | {_number(row.base)} | {_number(row.head)} | {metric_cell(row)} |"
        )
    return [*lines, ""]


def _intents(comparison: Comparison) -> list[str]:
    if not comparison.intents:
        return []
    lines = ["### Intents whose test F1 moved most", "", "| config | intent | base F1 | head F1 | change |",
             "|---|---|---:|---:|---:|"]  # fmt: skip
    for move in comparison.intents:
        mark = "▲" if move.delta > 0 else "▼"
        lines.append(
            f"| {move.config} | {move.intent} | {_number(move.base)} | {_number(move.head)} | {move.delta:+.3f} {mark} |"
        )
    return [*lines, ""]


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _value(value: Any) -> str:
    if value is None:
        return "—"
    return f"`{json.dumps(value) if isinstance(value, list | dict | bool) else value}`"
