"""What every source hands to the raw-table writer, and the metadata checks they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import DataError
from pipeline.italic import INT_COLUMNS, METADATA_COLUMNS
from pipeline.labels import INTENT_INDEX, scenario_of
from pipeline.params import shown

# Columns a model or a slice needs; the speaker descriptors may be null in real data.
REQUIRED_TEXT = ("scenario", "intent")  # a missing `utt` only skips the CTC term
MAX_TEXT_CHARS = 2000  # per metadata value: ITALIC's longest is a sentence of about 200


@dataclass(frozen=True)
class Membership:
    id: int
    config: str
    split: str


@dataclass
class Recording:
    """One recording's validated metadata and a way to fetch its audio when the writer needs it."""

    meta: dict[str, Any]
    where: str  # e.g. "massive_train.json line 4": the first place that listed this id
    load_audio: Callable[[], tuple[bytes, str]]  # (encoded bytes, path); raises AudioProblem


@dataclass
class SourceTable:
    """A source's recordings (each once) and every (id, config, split) membership."""

    description: str
    render_in_processes: bool = False  # audio loaders are CPU-bound Python: run them in processes, not threads
    recordings: dict[int, Recording] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)
    provenance: list[dict[str, Any]] | None = None  # synth: how each recording was made, written beside the shards
    _seen: dict[tuple[int, str], str] = field(default_factory=dict, repr=False)

    def add(
        self, meta: dict[str, Any], where: str, config: str, split: str, load_audio: Callable[[], tuple[bytes, str]]
    ) -> None:
        """Add one split-file row; an id twice in one config, or with other metadata, is an error."""
        rid = meta["id"]
        first = self._seen.get((rid, config))
        if first is not None:
            raise DataError(
                f"{where}: duplicate id {rid} in config {config} (first at {first}); "
                "each recording belongs to one split of a config"
            )
        self._seen[(rid, config)] = where
        known = self.recordings.get(rid)
        if known is None:
            self.recordings[rid] = Recording(meta, where, load_audio)
        elif known.meta != meta:
            differing = sorted(k for k in meta if known.meta.get(k) != meta[k])
            raise DataError(
                f"{where}: id {rid} has other {', '.join(differing)} than at {known.where}; "
                "the same recording must carry the same metadata in every config"
            )
        self.memberships.append(Membership(rid, config, split))


def check_metadata(row: Any, where: str) -> dict[str, Any]:
    """Validate one row's ITALIC columns and return exactly them, in ITALIC's order."""
    if not isinstance(row, dict):
        raise DataError(f"{where}: expected a JSON object with ITALIC's columns, got {type(row).__name__}")
    missing = [c for c in METADATA_COLUMNS if c not in row]
    if missing:
        raise DataError(f"{where}: missing column {', '.join(missing)}; every row needs {', '.join(METADATA_COLUMNS)}")
    meta: dict[str, Any] = {}
    for column in METADATA_COLUMNS:
        value = row[column]
        if column in INT_COLUMNS:
            if not isinstance(value, int) or isinstance(value, bool):
                raise DataError(f"{where}: column {column} must be an integer, got {shown(value)}")
            low, low_text = (0, "0") if column != "age" else (-(2**63), "-2**63")  # an odd age: slice "unknown"
            if not low <= value < 2**63:
                raise DataError(
                    f"{where}: column {column} must be an integer in {low_text}..2**63-1 (int64), got {shown(value)}"
                )
        elif value is None and column not in REQUIRED_TEXT:
            pass
        elif not isinstance(value, str):
            raise DataError(f"{where}: column {column} must be a string, got {shown(value)}")
        elif len(value) > MAX_TEXT_CHARS:
            raise DataError(
                f"{where}: column {column} holds {len(value)} characters, over {MAX_TEXT_CHARS}; "
                "ITALIC's longest value is a sentence"
            )
        meta[column] = value
    intent = meta["intent"]
    if intent not in INTENT_INDEX:
        raise DataError(
            f"{where}: row id {meta['id']} has unknown intent {shown(intent)}; "
            "allowed: the 60 MASSIVE intents (pipeline/labels.py)"
        )
    if meta["scenario"] != scenario_of(intent):
        raise DataError(
            f"{where}: row id {meta['id']} has scenario {shown(meta['scenario'])} but intent {intent!r} "
            f"belongs to scenario {scenario_of(intent)!r}"
        )
    return meta
