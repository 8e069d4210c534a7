"""The synthetic corpus's sentence material, kept as data: `data/templates.tsv` and `data/slots.tsv`.

Templates are hand-written Italian commands with `{slot}` placeholders, 48 per intent. Each intent's
24 *varied* templates differ in verb, word order and register (imperative, polite question, indirect
request, colloquial, terse), because MASSIVE's crowd-written sentences never repeat one frame; its 24
*everyday* ones ask plainly with the intent's usual words, as most crowd-written sentences do (with the
varied ones alone, a text classifier given the true transcripts reached only about 0.63 on held-out
phrasings, a ceiling no listener could pass).

Every template has a stable id, `<intent>.<number>`: the number is given once and never reused, so a
template keeps its id wherever its line moves in the file. The held-out group of a template (and so
its split in every config) is decided from that id alone (`template_group`), never from a line's
position: reordering the file, or adding a template under a new number, moves no existing sentence
between train, validation and test.

Groups are dealt in blocks of `BLOCK` consecutive numbers: each block holds, in a seeded order of its
own, ITALIC's share of templates for every held-out group (2 per validation and 3 per test group of
each config) and one that is training material everywhere. A new template with the next number
takes the next place of its block, so an intent with 16 or more templates has every group.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from pipeline.italic import CONFIGS
from pipeline.labels import INTENTS

KINDS = ("varied", "everyday")
HELD_OUT = tuple(f"{config}/{split}" for config in CONFIGS for split in ("validation", "test"))
TRAIN_GROUP = "train"
BLOCK = 16
# Per block: each config's validation and test groups at ITALIC's split shares (2,033 and 2,974 of
# 16,521 recordings: 2 and 3 of 16), the rest training material everywhere.
BLOCK_PATTERN = tuple(group for group in HELD_OUT for _ in range(2 if group.endswith("/validation") else 3)) + (
    TRAIN_GROUP,
) * (BLOCK - 5 * len(CONFIGS))
_ID = re.compile(r"([a-z_]+)\.(\d{2,4})")
_SLOT = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Template:
    id: str  # "<intent>.<number>", stable
    intent: str
    number: int
    kind: str  # one of KINDS
    text: str


class PhrasingError(ValueError):
    """A malformed row in a template or slot file; the message names the file and line."""


def template_group(template: Template, seed: int) -> str:
    """The held-out group of one template, from its intent, its number and the corpus seed only."""
    block, place = divmod(template.number - 1, BLOCK)
    order = np.random.default_rng([seed, zlib.crc32(template.intent.encode()), block]).permutation(BLOCK)
    return BLOCK_PATTERN[int(order[place])]


def templates_by_intent(path: Path | None = None) -> dict[str, tuple[Template, ...]]:
    """Every intent's templates, in id order (the order of the file does not matter)."""
    return _read_templates(path) if path is not None else _shipped_templates()


def slot_values(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Each slot's fillers, in file order."""
    return _read_slots(path) if path is not None else _shipped_slots()


@cache
def _shipped_templates() -> dict[str, tuple[Template, ...]]:
    return _read_templates(_data_file("templates.tsv"))


@cache
def _shipped_slots() -> dict[str, tuple[str, ...]]:
    return _read_slots(_data_file("slots.tsv"))


def _data_file(name: str) -> Path:
    return Path(str(resources.files("pipeline.synth") / "data" / name))


def _rows(path: Path, header: tuple[str, ...]):
    """(line number, fields) of a TSV file whose first line is `header`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if tuple(lines[0].split("\t")) != header:
        raise PhrasingError(f"{path}:1: header must be {chr(9).join(header)!r}")
    for number, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        fields = tuple(line.split("\t"))
        if len(fields) != len(header) or any(f != f.strip() or not f for f in fields):
            raise PhrasingError(f"{path}:{number}: expected {len(header)} non-empty tab-separated fields")
        yield number, fields


def _read_templates(path: Path) -> dict[str, tuple[Template, ...]]:
    by_intent: dict[str, list[Template]] = {intent: [] for intent in INTENTS}
    seen: set[str] = set()
    known_slots = set(slot_values())
    for line, (template_id, kind, text) in _rows(path, ("id", "kind", "template")):
        match = _ID.fullmatch(template_id)
        if not match or match.group(1) not in by_intent or int(match.group(2)) < 1:
            raise PhrasingError(f"{path}:{line}: id {template_id!r} must be <intent>.<number>, number from 01")
        if template_id in seen:
            raise PhrasingError(f"{path}:{line}: id {template_id} is used twice; give the new template a new number")
        if kind not in KINDS:
            raise PhrasingError(f"{path}:{line}: kind {kind!r} must be one of {', '.join(KINDS)}")
        unknown = set(_SLOT.findall(text)) - known_slots
        if unknown:
            raise PhrasingError(f"{path}:{line}: unknown slot {sorted(unknown)[0]!r} (slots.tsv lists the slots)")
        seen.add(template_id)
        intent, number = match.group(1), int(match.group(2))
        by_intent[intent].append(Template(template_id, intent, number, kind, text))
    empty = [intent for intent, templates in by_intent.items() if len(templates) < BLOCK]
    if empty:
        raise PhrasingError(f"{path}: intent {empty[0]} has fewer than {BLOCK} templates, too few for every split")
    return {intent: tuple(sorted(templates, key=lambda t: t.number)) for intent, templates in by_intent.items()}


def _read_slots(path: Path) -> dict[str, tuple[str, ...]]:
    slots: dict[str, list[str]] = {}
    for _, (name, value) in _rows(path, ("slot", "value")):
        slots.setdefault(name, []).append(value)
    return {name: tuple(values) for name, values in slots.items()}
