"""Property-based hostile inputs (Hypothesis): params files, split-file rows and WAV headers drawn at
random around valid ones. Whatever is drawn, the reader either accepts it or refuses it with one short
line, within bounded time and memory, and writes nothing; a stage refusing it leaves its earlier
output as it was. Hypothesis shrinks any failure to the smallest input that shows it; examples are
derandomized so CI runs the same cases every time."""

from __future__ import annotations

import json
import math
import struct
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.audio import MAX_AUDIO_SECONDS, MAX_CHANNELS, AudioProblem, decode
from pipeline.download.records import check_metadata
from pipeline.download.zenodo import read_json_lines
from pipeline.errors import DataError, ParamsError
from pipeline.italic import METADATA_COLUMNS
from pipeline.params import load_params
from tests.conftest import ROOT
from tests.corpus import complete_params, make_zenodo, meta_row

MAX_LINE = 400  # characters in any refusal, whatever the input's size
SETTINGS = settings(derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

hostile_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([0, 1, -1, 2**31, 2**63, 2**64, 10**12]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e-300, 1e300, -0.0]),
    st.text(max_size=50),
    st.text(min_size=5000, max_size=6000),
)
hostile_values = st.recursive(
    hostile_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
)


def leaf_keys() -> list[tuple[str, ...]]:
    params = complete_params({})
    keys = []
    for name, value in params.items():
        keys += [(name, inner) for inner in value] if isinstance(value, dict) else [(name,)]
    return keys


LEAVES = leaf_keys()


def one_short_line(message: str) -> None:
    assert "\n" not in message and len(message) <= MAX_LINE, message[:1000]


@st.composite
def hostile_params(draw) -> str:
    """The project's params with a few keys replaced, added or removed, dumped as YAML; sometimes raw
    text instead (anchors and aliases, tabs, control characters, deep brackets)."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.one_of(st.text(max_size=300), st.sampled_from(["a: &x [1]\nb: *x\n", "[" * 2000, "\t: x"])))
    params = complete_params({})
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(LEAVES))
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
        section = params if len(key) == 1 else params[key[0]]
        if action == "replace":
            section[key[-1]] = draw(hostile_values)
        elif action == "delete":
            section.pop(key[-1], None)
        else:
            section[draw(st.text(min_size=1, max_size=20))] = draw(hostile_values)
    return yaml.safe_dump(params, allow_unicode=True)


@SETTINGS
@given(text=hostile_params())
def test_any_params_file_loads_or_is_refused_in_one_short_line(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("params")
    path = folder / "params.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    try:
        params = load_params(path)
    except ParamsError as exc:
        one_short_line(str(exc))
    else:  # accepted: then every value is inside its documented bounds
        assert 0 <= params.seed <= 2**32 - 1
        assert all(1 <= c <= 4096 for c in params.model.channels)
        assert 1 <= params.data.synth_recordings <= 200_000
    assert time.perf_counter() - started < 5
    assert sorted(p.name for p in folder.iterdir()) == ["params.yaml"]


@SETTINGS
@given(
    column=st.sampled_from(METADATA_COLUMNS),
    value=hostile_values,
    extra=st.dictionaries(st.text(max_size=10), hostile_scalars, max_size=2),
)
def test_any_split_file_row_is_read_or_refused_in_one_short_line(tmp_path_factory, column, value, extra):
    row = {**extra, **meta_row(7), column: value}
    path = tmp_path_factory.mktemp("split") / "massive_train.json"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    try:
        for where, obj in read_json_lines(path):
            meta = check_metadata(obj, where)
            assert list(meta) == list(METADATA_COLUMNS)
            assert all(-(2**63) <= meta[c] < 2**63 for c in ("id", "age", "speaker_id"))
    except DataError as exc:
        one_short_line(str(exc))


@SETTINGS
@given(utt=st.text(max_size=300))
def test_any_text_in_a_split_file_reads_back_exactly(tmp_path_factory, utt):
    """JSON allows every line separator but "\\n" raw inside a string; none may cut a row in two."""
    row = meta_row(7) | {"utt": utt}
    path = tmp_path_factory.mktemp("split") / "massive_train.json"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    ((_, obj),) = list(read_json_lines(path))
    assert check_metadata(obj, "x")["utt"] == utt


@st.composite
def wav_bytes(draw) -> bytes:
    """A RIFF/WAVE file whose header fields are drawn anywhere in their binary range, then some data."""
    fmt_tag = draw(st.sampled_from([1, 3, 0xFFFE, draw(st.integers(0, 0xFFFF))]))
    channels = draw(st.one_of(st.integers(0, 16), st.integers(0, 0xFFFF)))
    rate = draw(st.one_of(st.sampled_from([8000, 16000, 16001, 44100, 48337, 7999, 192001]), st.integers(0, 2**32 - 1)))
    bits = draw(st.sampled_from([8, 16, 24, 32, 64, 0, 7]))
    align = max(1, channels * bits // 8) & 0xFFFF
    payload = draw(st.binary(min_size=0, max_size=4000))
    declared = draw(st.one_of(st.just(len(payload)), st.integers(0, 2**32 - 1)))
    fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate, (rate * align) & 0xFFFFFFFF, align, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", declared) + payload
    return b"RIFF" + struct.pack("<I", len(body) & 0xFFFFFFFF) + body


@SETTINGS
@given(data=wav_bytes())
def test_any_wav_header_decodes_within_bounds_or_is_a_counted_problem(data):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        samples, rate = decode(data)
    except AudioProblem as problem:
        assert problem.reason in {"corrupt", "empty", "non_finite", "unsupported_rate", "too_many_channels",
                                  "too_long", "too_large"}  # fmt: skip
        one_short_line(str(problem))
    else:
        assert 8000 <= rate <= 192000 and samples.shape[1] <= MAX_CHANNELS
        assert len(samples) <= MAX_AUDIO_SECONDS * rate and math.isfinite(float(abs(samples).max()))
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < 50e6, f"{peak / 1e6:.0f} MB for {len(data)} bytes"
    assert time.perf_counter() - started < 5


@pytest.fixture(scope="module")
def downloaded(tmp_path_factory) -> Path:
    """A tiny corpus and a good data/raw from it: what a refused run must leave as it was."""
    root = tmp_path_factory.mktemp("stage")
    make_zenodo(root / "corpus", n=12)
    from pipeline.download.stage import run_download
    from pipeline.params import parse_params

    run_download(parse_params({"data": {"source": "zenodo", "path": str(root / "corpus")}}).data, root / "raw")
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@settings(SETTINGS, max_examples=15)
@given(key=st.sampled_from([k for k in LEAVES if k[0] in ("seed", "data")]), value=hostile_values)
def test_a_stage_given_hostile_params_fails_in_one_line_and_keeps_its_earlier_output(downloaded, cli, key, value):
    params: dict[str, Any] = complete_params({"data": {"source": "zenodo", "path": str(downloaded / "corpus")}})
    if len(key) == 1:
        params[key[0]] = value
    else:
        params[key[0]][key[1]] = value
    (downloaded / "hostile.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    before = tree(downloaded)
    result = cli("download", "--params", downloaded / "hostile.yaml", "--out", downloaded / "raw")
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:  # accepted (a harmless value): data/raw rewritten whole, nothing else
        assert set(tree(downloaded)) == set(before)
        return
    assert result.exit_code == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) <= MAX_LINE + 200, lines[:3]
    assert tree(downloaded) == before


def test_the_project_params_are_inside_every_bound():
    load_params(ROOT / "params.yaml")
