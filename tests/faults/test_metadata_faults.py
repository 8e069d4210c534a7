"""Broken split files stop `download` through the real CLI with one line naming the file, the line or
row and the fix; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import make_zenodo, read_split, write_params, write_split
from tests.faults.helpers import leftovers, one_line_error

FILE = "massive_train.json"


def edit_rows(edit):
    def apply(corpus: Path) -> None:
        rows = read_split(corpus, "massive", "train")
        write_split(corpus, "massive", "train", edit(rows))

    return apply


def set_field(index: int, key: str, value):
    def edit(rows):
        rows[index][key] = value
        return rows

    return edit


def drop_field(index: int, key: str):
    def edit(rows):
        del rows[index][key]
        return rows

    return edit


def duplicate(rows):
    return [*rows, dict(rows[0])]


def write_text(text: str):
    def apply(corpus: Path) -> None:
        (corpus / FILE).write_text(text)

    return apply


# case -> (how the corpus is broken, fragments the one line must hold, in order)
CASES = {
    "unknown intent": (edit_rows(set_field(1, "intent", "alarm_snooze")),
                       [FILE, "line 2", "id 6", "'alarm_snooze'", "allowed: the 60 MASSIVE intents"]),
    "duplicate id": (edit_rows(duplicate), [FILE, "line 5", "duplicate id 3", f"first at {FILE} line 1"]),
    "missing column": (edit_rows(drop_field(0, "speaker_id")), [FILE, "line 1", "speaker_id"]),
    "wrong type": (edit_rows(set_field(2, "age", "trenta")), [FILE, "line 3", "age", "'trenta'"]),
    "empty split file": (write_text(""), [FILE, "empty"]),
    "not JSON lines": (write_text('{"id": 3, "age": 31,\n'), [FILE, "line 1", "JSON"]),
    "a JSON array, not lines": (write_text('[{"id": 3}]\n'), [FILE, "line 1"]),
    "missing split file": (lambda corpus: (corpus / FILE).unlink(), ["missing split file", FILE, "needs <config>_<split>.json"]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_split_file_is_one_line_naming_file_and_row(cli, tmp_path, case):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus, n=12)
    breaks, fragments = CASES[case]
    breaks(corpus)
    params = write_params(tmp_path / "params.yaml", source="zenodo", path=str(corpus))
    line = one_line_error(cli("download", "--params", params, "--out", tmp_path / "raw"))
    position = 0
    for fragment in fragments:
        found = line.find(fragment, position)
        assert found >= 0, f"{fragment!r} not in {line!r} after position {position}"
        position = found + len(fragment)
    assert not (tmp_path / "raw").exists() and leftovers(tmp_path) == []
