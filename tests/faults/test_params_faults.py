"""Every key of params.yaml, given a wrong type, an out-of-range value, a value outside its choices or a
misspelt name, stops the real CLI with one line naming the key, the value and what is allowed, before
any work starts (nothing is written)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from pipeline.errors import ParamsError
from pipeline.italic import CONFIGS
from pipeline.params import Params, load_params
from tests.conftest import ROOT
from tests.faults.helpers import one_line_error


def keys() -> list[tuple[str | None, dataclasses.Field]]:
    """(section or None for top level, field) for every leaf key of params.yaml."""
    out: list[tuple[str | None, dataclasses.Field]] = []
    for field in dataclasses.fields(Params):
        if field.name in CONFIGS:  # the per-config recipes, tested in tests/test_recipes.py
            continue
        default = field.default_factory() if field.default_factory is not dataclasses.MISSING else field.default
        if dataclasses.is_dataclass(default):
            out += [(field.name, inner) for inner in dataclasses.fields(default)]
        else:
            out.append((None, field))
    return out


KEYS = keys()


def name(section: str | None, field: dataclasses.Field) -> str:
    return f"{section}.{field.name}" if section else field.name


def wrong_type(field: dataclasses.Field):
    """A value of another type than the field's: a word for numbers and lists, a number for words."""
    kind = str(field.type)
    if "bool" in kind:
        return "sometimes"
    if "tuple" in kind:
        return 7
    if "int" in kind or "float" in kind:
        return "lots"
    return ["a", "list"]


def out_of_range(field: dataclasses.Field):
    """The nearest value outside the field's bounds or choices; None where it has neither."""
    meta = field.metadata
    if "choices" in meta:
        return "bogus" if isinstance(meta["choices"][0], str) else 3.5
    if meta.get("ge") is not None:
        return meta["ge"] - 1
    if meta.get("gt") is not None:
        return meta["gt"]
    if meta.get("le") is not None:
        return meta["le"] + 1
    if meta.get("lt") is not None:
        return meta["lt"]
    return None


def run_with(cli, tmp_path: Path, section: str | None, key: str, value):
    """`italic-cnn download` (the first stage) with one key of the committed params.yaml changed."""
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    (params[section] if section else params)[key] = value
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    result = cli("download", "--params", path, "--out", tmp_path / "raw")
    assert not (tmp_path / "raw").exists()
    return result


def test_every_key_is_covered():
    assert len(KEYS) == len({name(s, f) for s, f in KEYS}) > 50


@pytest.mark.parametrize(("section", "field"), KEYS, ids=[name(s, f) for s, f in KEYS])
def test_a_wrong_type_names_the_key_and_the_value(cli, tmp_path, section, field):
    value = wrong_type(field)
    line = one_line_error(run_with(cli, tmp_path, section, field.name, value))
    assert line.startswith(f"{tmp_path / 'params.yaml'}: {name(section, field)} must be ")
    assert line.endswith(f"got {value!r}")


BOUNDED = [(s, f) for s, f in KEYS if out_of_range(f) is not None]


@pytest.mark.parametrize(("section", "field"), BOUNDED, ids=[name(s, f) for s, f in BOUNDED])
def test_a_value_out_of_range_or_choices_names_what_is_allowed(cli, tmp_path, section, field):
    value = out_of_range(field)
    line = one_line_error(run_with(cli, tmp_path, section, field.name, value))
    assert line.startswith(f"{tmp_path / 'params.yaml'}: {name(section, field)} must be ")
    allowed = line.split(" must be ", 1)[1]
    if "choices" in field.metadata:
        assert allowed.startswith("one of " + ", ".join(map(str, field.metadata["choices"])))
    else:
        assert any(op in allowed for op in (">=", ">", "<=", "<"))


@pytest.mark.parametrize(("section", "field"), KEYS, ids=[name(s, f) for s, f in KEYS])
def test_a_misspelt_key_is_refused_with_the_right_name(cli, tmp_path, section, field):
    typo = field.name + field.name[-1]  # a doubled last letter: `train.lrr`
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    target = params[section] if section else params
    target[typo] = target.pop(field.name)  # what `dvc exp run -S key=value` with a typo leaves behind
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    line = one_line_error(cli("download", "--params", path, "--out", tmp_path / "raw"))
    typo_name = f"{section}.{typo}" if section else typo
    expected = f"{tmp_path / 'params.yaml'}: unknown key {typo_name} (did you mean {name(section, field)}?)"
    assert line.startswith(expected)
    assert not (tmp_path / "raw").exists()


FLOATS = [(s, f) for s, f in KEYS if "float" in str(f.type)]


@pytest.mark.parametrize(("section", "field"), FLOATS, ids=[name(s, f) for s, f in FLOATS])
def test_nan_or_infinity_is_refused_for_every_number(cli, tmp_path, section, field):
    line = one_line_error(run_with(cli, tmp_path, section, field.name, float("nan")))
    assert line == f"{tmp_path / 'params.yaml'}: {name(section, field)} must be a finite number, got nan"


def test_a_key_given_twice_is_refused_naming_both_lines(cli, tmp_path):
    text = (ROOT / "params.yaml").read_text()
    path = tmp_path / "params.yaml"
    path.write_text(text.replace("  lr: 3.0e-3", "  lr: 3.0e-3\n  lr: 1.0e-3", 1))
    first = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("  lr: "))
    line = one_line_error(cli("download", "--params", path, "--out", tmp_path / "raw"))
    assert line == f"{path}: line {first + 1} duplicate key 'lr' (first on line {first}); fix the YAML syntax"
    assert not (tmp_path / "raw").exists()


def test_an_odd_n_fft_is_refused(cli, tmp_path):
    line = one_line_error(run_with(cli, tmp_path, "features", "n_fft", 401))
    assert line.endswith("features.n_fft must be even (clips are padded by n_fft/2 on each side), got 401")


@pytest.mark.parametrize(("section", "field"), KEYS, ids=[name(s, f) for s, f in KEYS])
def test_a_missing_key_is_refused_naming_it_and_its_default(tmp_path, section, field):
    """A key left out would silently take its default, which dvc.lock never records."""
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    del (params[section] if section else params)[field.name]
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    with pytest.raises(ParamsError) as info:
        load_params(path)
    default = yaml.safe_dump(list(field.default) if isinstance(field.default, tuple) else field.default,
                             default_flow_style=True).strip().removesuffix("...").strip()  # fmt: skip
    assert str(info.value) == (
        f"{path}: missing key {name(section, field)}; add it (the default is {default}); "
        "params files spell out every key"
    )


def test_a_missing_section_is_refused(cli, tmp_path):
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    del params["model"]
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    line = one_line_error(cli("download", "--params", path, "--out", tmp_path / "raw"))
    assert line == f"{path}: missing key model; copy that section from the project's params.yaml"
    assert not (tmp_path / "raw").exists()
