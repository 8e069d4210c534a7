"""What changed between two revisions: params and test metrics as DVC diffs them, and the per-intent F1
that moved most. A metric present on one side only is `new` (or `removed`), never an error."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.italic import CONFIGS
from pipeline.report.revision import Revision

# (metrics.json key, column title); all of them: higher is better
TEST_METRICS = (("accuracy", "accuracy"), ("macro_f1", "macro-F1"), ("top5_accuracy", "top-5"))
EVALUATE_METRICS = re.compile(r"^results/(?P<config>[^/]+)/evaluate/metrics\.json$")
SAME = 5e-4  # changes below half the last printed digit read as unchanged


def in_config_order(configs: set[str]) -> list[str]:
    """ITALIC's three first, as params.yaml lists them, then anything else by name."""
    return [c for c in CONFIGS if c in configs] + sorted(configs - set(CONFIGS))


@dataclass(frozen=True)
class MetricRow:
    config: str
    metric: str
    base: float | None
    head: float | None

    @property
    def delta(self) -> float | None:
        return None if self.base is None or self.head is None else self.head - self.base

    @property
    def verdict(self) -> str:
        """`better`, `worse`, `same`, `new` (head only) or `removed` (base only)."""
        if self.base is None:
            return "new"
        if self.head is None:
            return "removed"
        delta = self.head - self.base
        return "same" if abs(delta) < SAME else "better" if delta > 0 else "worse"


@dataclass(frozen=True)
class ParamChange:
    key: str
    base: Any
    head: Any


@dataclass(frozen=True)
class IntentMove:
    config: str
    intent: str
    base: float | None
    head: float | None

    @property
    def delta(self) -> float:
        return (self.head or 0.0) - (self.base or 0.0)


@dataclass
class Comparison:
    base: Revision
    head: Revision
    params: list[ParamChange]
    metrics: list[MetricRow]
    intents: list[IntentMove]

    @property
    def configs(self) -> list[str]:
        return in_config_order({row.config for row in self.metrics})


def param_changes(diff: dict[str, Any]) -> list[ParamChange]:
    """`diff` is `Repo.params.diff(...)`: {"diff": {file: {key: {"old", "new"}}}}."""
    changes = []
    for file, keys in sorted(diff.get("diff", {}).items()):
        prefix = "" if file == "params.yaml" else f"{file}:"
        for key, values in sorted(keys.items()):
            changes.append(ParamChange(prefix + key, values.get("old"), values.get("new")))
    return changes


def metric_rows(diff: dict[str, Any]) -> list[MetricRow]:
    """`diff` is `Repo.metrics.diff(..., all=True)`: {"diff": {path: {key: {"old", "new", "diff"}}}}."""
    by_config: dict[str, dict[str, dict[str, Any]]] = {}
    for path, keys in diff.get("diff", {}).items():
        match = EVALUATE_METRICS.match(path.replace("\\", "/"))
        if match:
            by_config[match["config"]] = keys
    rows = []
    for config in in_config_order(set(by_config)):
        for key, _ in TEST_METRICS:
            values = by_config[config].get(key)
            if values is not None:
                rows.append(MetricRow(config, key, _number(values.get("old")), _number(values.get("new"))))
    return rows


def intent_moves(base: Revision, head: Revision, configs: list[str], top: int) -> list[IntentMove]:
    """Per config, the `top` intents whose test F1 changed most (ties: by name), from per_intent.json."""
    moves: list[IntentMove] = []
    for config in configs:
        path = f"results/{config}/evaluate/per_intent.json"
        old, new = base.read_json(path) or {}, head.read_json(path) or {}
        if not old or not new:
            continue  # a first run of this config: nothing moved, the metrics table says "new"
        candidates = [
            IntentMove(config, intent, _f1(old, intent), _f1(new, intent)) for intent in sorted(set(old) | set(new))
        ]
        candidates = [m for m in candidates if abs(m.delta) >= SAME]
        candidates.sort(key=lambda m: (-abs(m.delta), m.intent))
        moves.extend(candidates[:top])
    return moves


def _f1(table: dict[str, Any], intent: str) -> float | None:
    entry = table.get(intent)
    return float(entry["f1"]) if entry else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
