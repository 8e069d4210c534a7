"""What changed between two revisions: params and test metrics as DVC diffs them, and the per-intent F1
that moved most. A metric present on one side only is `new` (or `removed`), never an error."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.evaluate.intervals import PairedComparison, compare_paired
from pipeline.italic import CONFIGS
from pipeline.report.revision import Revision

# (metrics.json key, column title); all of them: higher is better
TEST_METRICS = (("accuracy", "accuracy"), ("macro_f1", "macro-F1"))
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
    base_ci: tuple[float, float] | None = None  # 95% bootstrap interval over the test clips
    head_ci: tuple[float, float] | None = None

    @property
    def delta(self) -> float | None:
        return None if self.base is None or self.head is None else self.head - self.base

    @property
    def verdict(self) -> str:
        """`changed`, `same`, `new` (head only) or `removed` (base only): a bare difference says nothing
        about better or worse; only the paired comparison (`PairedRow`) does."""
        if self.base is None:
            return "new"
        if self.head is None:
            return "removed"
        return "same" if abs(self.head - self.base) < SAME else "changed"


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


@dataclass(frozen=True)
class PairedRow:
    """Accuracy of head against base on the test clips both scored; `note` says why there is none."""

    config: str
    paired: PairedComparison | None
    note: str = ""
    unmatched: int = 0  # clips scored on one side only (left out of the pairing)


@dataclass
class Comparison:
    base: Revision
    head: Revision
    params: list[ParamChange]
    metrics: list[MetricRow]
    intents: list[IntentMove]
    paired: list[PairedRow] = field(default_factory=list)

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


def with_intervals(rows: list[MetricRow], base: Revision, head: Revision) -> list[MetricRow]:
    """Each row with the `<metric>_ci` interval its side's metrics.json holds (where it holds one)."""
    sides: dict[tuple[str, str], dict[str, Any]] = {}
    for name, revision in (("base", base), ("head", head)):
        for config in {row.config for row in rows}:
            sides[(name, config)] = revision.read_json(f"results/{config}/evaluate/metrics.json") or {}

    def interval(side: str, row: MetricRow) -> tuple[float, float] | None:
        ci = sides[(side, row.config)].get(f"{row.metric}_ci")
        return (float(ci["low"]), float(ci["high"])) if isinstance(ci, dict) else None

    return [replace(row, base_ci=interval("base", row), head_ci=interval("head", row)) for row in rows]


def folder_metric_rows(base: Revision, head: Revision) -> list[MetricRow]:
    """The test metrics of two project folders, read from their results/ (no DVC involved)."""
    found: dict[str, dict[str, dict[str, Any]]] = {"base": {}, "head": {}}
    for name, revision in (("base", base), ("head", head)):
        for path in sorted(Path(revision.root).glob("results/*/evaluate/metrics.json")):
            found[name][path.parent.parent.name] = revision.read_json(str(path.relative_to(revision.root))) or {}
    rows = []
    for config in in_config_order(set(found["base"]) | set(found["head"])):
        old, new = found["base"].get(config, {}), found["head"].get(config, {})
        for key, _ in TEST_METRICS:
            if key in old or key in new:
                rows.append(MetricRow(config, key, _number(old.get(key)), _number(new.get(key))))
    return rows


def folder_param_changes(base: Revision, head: Revision) -> list[ParamChange]:
    """params.yaml of two folders, compared key by key (nested keys joined with dots)."""
    import yaml

    old = _flatten(yaml.safe_load(base.read_text("params.yaml") or "") or {})
    new = _flatten(yaml.safe_load(head.read_text("params.yaml") or "") or {})
    return [ParamChange(key, old.get(key), new.get(key)) for key in sorted(set(old) | set(new))
            if old.get(key) != new.get(key)]  # fmt: skip


def paired_rows(base: Revision, head: Revision, configs: list[str], seed: int = 0) -> list[PairedRow]:
    """Per config, base and head on the same test clips (predictions.parquet of each side, matched by id)."""
    rows = []
    for config in configs:
        path = f"results/{config}/evaluate/predictions.parquet"
        old, new = _correct_by_id(base.read_bytes(path)), _correct_by_id(head.read_bytes(path))
        if old is None or new is None:
            missing = " and ".join(side for side, table in (("base", old), ("head", new)) if table is None)
            rows.append(PairedRow(config, None, f"no per-clip predictions in {missing}"))
            continue
        common = sorted(set(old) & set(new))
        unmatched = len(set(old) ^ set(new))
        if not common:
            rows.append(PairedRow(config, None, "no test clip in common", unmatched))
            continue
        paired = compare_paired([old[i] for i in common], [new[i] for i in common], seed)
        rows.append(PairedRow(config, paired, "", unmatched))
    return rows


def _correct_by_id(data: bytes | None) -> dict[int, bool] | None:
    if data is None:
        return None
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data), columns=["id", "true", "predicted"]).to_pydict()
    return {int(i): t == p for i, t, p in zip(table["id"], table["true"], table["predicted"], strict=True)}


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat
