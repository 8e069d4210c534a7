"""The report as GitHub-flavoured markdown: changed params, test metrics with deltas and arrows, the
intents that moved most, and the PNGs beside it."""

from __future__ import annotations

import json
from typing import Any

from pipeline.report.compare import TEST_METRICS, Comparison, MetricRow

TITLES = dict(TEST_METRICS)


def render(comparison: Comparison, images: dict[str, list[tuple[str, str]]]) -> str:
    """`images`: config -> [(alt text, file name relative to the markdown)]."""
    base, head = comparison.base.label, comparison.head.label
    lines = [f"## italic-cnn: `{head}` against `{base}`", ""]
    lines += _params(comparison)
    lines += _metrics(comparison.metrics)
    lines += _paired(comparison)
    lines += _intents(comparison)
    for config in comparison.configs:
        if images.get(config):
            lines += [f"### {config}", ""]
            lines += [f"![{alt}]({name})" for alt, name in images[config]]
            lines.append("")
    lines.append(f"Base dashed, head solid in the curves. = within {0.0005:g}; ▲ ▼ mark per-intent F1 moves only.")
    return "\n".join(lines) + "\n"


def metric_cell(row: MetricRow) -> str:
    """The change column: `+0.031`, `-0.012`, `+0.000 =`, `new`, `removed`: no arrows, because a
    difference inside its noise is no difference (the paired table judges accuracy)."""
    if row.verdict in ("new", "removed"):
        return row.verdict
    return f"{row.delta:+.3f} =" if row.verdict == "same" else f"{row.delta:+.3f}"


def _params(comparison: Comparison) -> list[str]:
    if not comparison.params:
        return ["No params changed.", ""]
    lines = ["### Params", "", "| param | base | head |", "|---|---|---|"]
    lines += [f"| `{p.key}` | {_value(p.base)} | {_value(p.head)} |" for p in comparison.params]
    return [*lines, ""]


def _metrics(rows: list[MetricRow]) -> list[str]:
    if not rows:
        return ["No test metrics on either side: run `dvc repro` first.", ""]
    lines = ["### Test metrics", "", "| config | metric | base (95% CI) | head (95% CI) | change |",
             "|---|---|---:|---:|---:|"]  # fmt: skip
    for row in rows:
        base, head = _number(row.base, row.base_ci), _number(row.head, row.head_ci)
        lines.append(f"| {row.config} | {TITLES[row.metric]} | {base} | {head} | {metric_cell(row)} |")
    new = [c for c in dict.fromkeys(r.config for r in rows) if all(r.base is None for r in rows if r.config == c)]
    gone = [c for c in dict.fromkeys(r.config for r in rows) if all(r.head is None for r in rows if r.config == c)]
    notes = [f"{c}: only in the head (new config)" for c in new] + [f"{c}: only in the base (gone)" for c in gone]
    lines += ["", *[f"- {n}" for n in notes]] if notes else []
    return [*lines, ""]


def _paired(comparison: Comparison) -> list[str]:
    """The one place that says better or worse: only when the interval of the difference excludes 0."""
    if not comparison.paired:
        return []
    lines = ["### Accuracy on the same test clips", "",
             "| config | clips | base | head | difference (95% CI) | McNemar p | only base / only head right | verdict |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    notes = []
    for row in comparison.paired:
        if row.paired is None:
            notes.append(f"{row.config}: {row.note}")
            continue
        p = row.paired
        low, high = p.interval
        lines.append(
            f"| {row.config} | {p.clips} | {p.base_accuracy:.3f} | {p.head_accuracy:.3f} | "
            f"{p.difference:+.3f} ({low:+.3f} to {high:+.3f}) | {p.mcnemar_p:.3g} | "
            f"{p.only_base_right} / {p.only_head_right} | {p.verdict} |"
        )
        if row.unmatched:
            notes.append(f"{row.config}: {row.unmatched} clips scored on one side only, left out")
    lines += ["", "Paired bootstrap over the clips (95%), McNemar's exact test on the clips only one side gets "
              "right; better or worse only where the interval excludes 0."]  # fmt: skip
    lines += [f"- {n}" for n in notes]
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


def _number(value: float | None, interval: tuple[float, float] | None = None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f} ({interval[0]:.3f}–{interval[1]:.3f})" if interval else f"{value:.3f}"


def _value(value: Any) -> str:
    if value is None:
        return "—"
    return f"`{json.dumps(value) if isinstance(value, list | dict | bool) else value}`"
