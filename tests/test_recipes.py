"""Per-config recipes: a section named by a config sets some model and train keys for that config
alone, is checked as strictly as the shared sections, and is what that config trains with."""

from __future__ import annotations

import pytest
import yaml

from pipeline.errors import ParamsError
from pipeline.params import Params, load_params, parse_params
from tests.conftest import ROOT


def committed() -> dict:
    return yaml.safe_load((ROOT / "params.yaml").read_text())


def with_recipe(config: str, recipe: object) -> dict:
    raw = committed()
    raw[config] = recipe
    return raw


def error_of(raw: dict) -> str:
    with pytest.raises(ParamsError) as info:
        parse_params(raw, complete=True)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_each_config_trains_with_the_shared_sections_and_its_own_keys_on_top():
    params = load_params(ROOT / "params.yaml")
    noisy, clean = params.for_config("hard_noisy"), params.for_config("massive")
    assert (noisy.model.frontend, noisy.train.noise_prob, noisy.train.val_noise_snr_db) == ("log+pcen", 0.5, 5.0)
    assert noisy.train.noise_kinds == ("babble", "white", "pink", "brown")
    assert (clean.model.frontend, clean.train.noise_prob, clean.train.val_noise_snr_db) == ("log", 0.0, None)
    assert clean.model == params.model and clean.train == params.train
    # keys the recipe does not name come from the shared sections, so a shared change reaches it
    assert noisy.train.lr == params.train.lr and noisy.model.channels == params.model.channels
    raw = committed()
    raw["train"]["lr"] = 1e-3
    assert parse_params(raw, complete=True).for_config("hard_noisy").train.lr == 1e-3


def test_a_recipe_key_wins_over_the_shared_one_and_is_coerced_like_it():
    raw = with_recipe("massive", {"lr": "5e-3", "epochs": 3, "channels": [8, 16]})
    params = parse_params(raw, complete=True)
    massive = params.for_config("massive")
    assert (massive.train.lr, massive.train.epochs, massive.model.channels) == (5e-3, 3, (8, 16))
    assert params.for_config("hard_speaker").train.epochs == params.train.epochs
    assert params.recipe("massive").keys() == {"channels": (8, 16), "lr": 5e-3, "epochs": 3}
    assert params.recipe("massive").model == {"channels": (8, 16)}


def test_an_empty_recipe_may_be_written_as_null():
    params = parse_params(with_recipe("massive", None), complete=True)
    assert params.for_config("massive").train == params.train


@pytest.mark.parametrize(
    ("recipe", "message"),
    [
        ({"lrr": 1e-3}, "unknown key massive.lrr (did you mean massive.lr?); a recipe holds model and train keys"),
        ({"train": {"lr": 1e-3}}, "massive.train: a recipe names its keys without their section; write massive: {lr"),
        ({"lr": -1}, "massive.lr must be > 0.0, got -1"),
        ({"epochs": 1.5}, "massive.epochs must be an integer, got 1.5"),
        ({"arch": "rnn"}, "massive.arch must be one of"),
        ("pcen", "massive must be a mapping of model and train keys, got 'pcen'"),
    ],
)
def test_a_bad_recipe_is_one_line_naming_the_key(recipe, message):
    assert message in error_of(with_recipe("massive", recipe))


def test_rules_across_sections_hold_for_each_configs_effective_params():
    raw = with_recipe("hard_speaker", {"arch": "cnn2d", "channels": [8, 16]})
    assert error_of(raw) == (
        "params.yaml (hard_speaker's recipe): model.arch cnn2d takes exactly 4 widths in model.channels, "
        "got [8, 16]; try [16, 24, 32, 40]"
    )
    raw = with_recipe("massive", {"arch": "cnn1d_pooled"})
    assert error_of(raw).startswith(
        "params.yaml (massive's recipe): model.arch cnn1d_pooled cannot read features.kind logmel"
    )


def test_an_unknown_config_and_a_missing_one_are_refused():
    raw = committed()
    raw["hard_nosy"] = {}
    assert "unknown key hard_nosy (did you mean hard_noisy?)" in error_of(raw)
    raw = committed()
    del raw["massive"]
    assert error_of(raw) == (
        "params.yaml: missing key massive; add it ({} for the shared recipe, or the model and train keys it changes)"
    )
    with pytest.raises(ParamsError, match="no recipe for config 'nope'"):
        Params().for_config("nope")


def test_check_params_says_which_configs_have_their_own_recipe(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(with_recipe("massive", {"lr": 1e-3}), sort_keys=False))
    result = CliRunner().invoke(app, ["check-params", "--params", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().endswith("own recipe keys: massive 1, hard_noisy 5)")
