from pathlib import Path

import pytest
import torch
import yaml

from pipeline.errors import ParamsError
from pipeline.params import Params, load_params, parse_params
from tests.conftest import one_line_error

ROOT = Path(__file__).resolve().parents[1]


def error_of(raw) -> str:
    with pytest.raises(ParamsError) as info:
        parse_params(raw)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_the_committed_params_yaml_loads_with_the_documented_defaults():
    params = load_params(ROOT / "params.yaml")
    assert params == Params()
    assert params.data.source == "synth" and params.data.synth_recordings == 600
    assert params.data.configs == ("massive", "hard_speaker", "hard_noisy")


def test_exponent_floats_written_by_dvc_exp_run_load_as_floats(tmp_path):
    path = tmp_path / "params.yaml"
    text = (ROOT / "params.yaml").read_text()
    path.write_text(text.replace("max_skipped_fraction: 0.01 ", "max_skipped_fraction: 1e-06 ", 1))
    assert load_params(path).data.max_skipped_fraction == pytest.approx(1e-6)
    # PyYAML alone reads `1e-06` as a string; a string that is a number is still accepted for floats
    assert yaml.safe_load("x: 1e-06")["x"] == "1e-06"
    assert parse_params({"data": {"max_skipped_fraction": "5e-3"}}).data.max_skipped_fraction == 0.005


def test_unknown_key_names_the_key_suggests_the_fix_and_lists_what_is_allowed():
    message = error_of({"data": {"sorce": "synth"}})
    assert "unknown key data.sorce" in message
    assert "did you mean data.source?" in message
    assert "allowed in data: source, synth_recordings, synth_seed, synth_kokoro_share, path, configs" in message
    assert "unknown key dta (did you mean data?)" in error_of({"dta": {}})


def test_wrong_types_name_the_key_and_the_value():
    assert error_of({"seed": "abc"}) == "params.yaml: seed must be an integer, got 'abc'"
    assert error_of({"seed": True}) == "params.yaml: seed must be an integer, got True"
    assert error_of({"data": {"workers": 1.5}}) == "params.yaml: data.workers must be an integer, got 1.5"
    assert error_of({"data": {"max_skipped_fraction": "lots"}}) == (
        "params.yaml: data.max_skipped_fraction must be a number, got 'lots'"
    )
    assert error_of({"data": {"configs": "massive"}}) == (
        "params.yaml: data.configs must be a list of str, got 'massive'"
    )
    assert error_of({"data": 3}) == "params.yaml: data must be a mapping of keys, got 3"


def test_out_of_range_and_outside_choices():
    assert error_of({"data": {"max_skipped_fraction": 1.5}}) == (
        "params.yaml: data.max_skipped_fraction must be <= 1.0, got 1.5"
    )
    assert error_of({"data": {"workers": -1}}) == "params.yaml: data.workers must be >= 0, got -1"
    assert error_of({"data": {"source": "hug"}}) == (
        "params.yaml: data.source must be one of synth, zenodo, hub; got 'hug'"
    )
    assert error_of({"data": {"configs": ["massive", "easy"]}}) == (
        "params.yaml: data.configs has 'easy'; allowed: massive, hard_speaker, hard_noisy"
    )
    assert "lists a config twice" in error_of({"data": {"configs": ["massive", "massive"]}})
    assert "data.configs is empty" in error_of({"data": {"configs": []}})
    # each 2-D network suggests its own widths, not the other's
    assert error_of({"model": {"arch": "cnn2d_pooled", "channels": [8, 16]}}) == (
        "params.yaml: model.arch cnn2d_pooled takes exactly 4 widths in model.channels, got [8, 16]; "
        "try [8, 16, 48, 96]"
    )
    assert error_of({"model": {"arch": "cnn2d", "channels": [64, 96, 128, 160, 192]}}).endswith("try [16, 24, 32, 40]")


def test_a_dvc_exp_run_set_typo_fails_instead_of_training_the_default(tmp_path):
    path = tmp_path / "params.yaml"
    # what `dvc exp run -S data.max_skiped_fraction=0.5` leaves in params.yaml
    text = (ROOT / "params.yaml").read_text().replace("data:\n", "data:\n  max_skiped_fraction: 0.5\n", 1)
    path.write_text(text)
    with pytest.raises(
        ParamsError, match=r"unknown key data.max_skiped_fraction \(did you mean data.max_skipped_fraction\?\)"
    ):
        load_params(path)


@pytest.mark.parametrize(
    ("line", "changed", "message"),
    [
        ("  kernel_size: 3 ", "  kernel_size: 4 ", "model.kernel_size must be odd"),
        ("  n_fft: 400 ", "  n_fft: 401 ", "features.n_fft must be even"),
        ("  configs: [massive, hard_speaker, hard_noisy]", "  configs: []", "data.configs is empty"),
        ("  noise_kinds: [babble]", "  noise_kinds: []", "train.noise_kinds is []"),
        ("  kind: logmel ", "  kind: waveform ", "model.arch tcnn_pooled cannot read features.kind waveform"),
    ],
)
def test_errors_across_keys_name_the_params_file_they_came_from(tmp_path, line, changed, message):
    """`--params other.yaml` must not send the user to fix params.yaml."""
    text = (ROOT / "params.yaml").read_text()
    assert line in text
    path = tmp_path / "sweep-3.yaml"
    path.write_text(text.replace(line, changed, 1))
    with pytest.raises(ParamsError) as info:
        load_params(path)
    assert str(info.value).startswith(f"{path}: {message}")


@pytest.mark.skipif(torch.cuda.is_available(), reason="asks for a GPU this machine lacks")
@pytest.mark.parametrize(
    ("command", "line", "changed", "key"),
    [
        (
            ["train", "--config", "massive"],
            "  device: auto                 # auto | cpu | cuda",
            "  device: cuda",
            "train",
        ),
        (["featurize"], "  device: auto                 # auto (GPU when present)", "  device: cuda #", "features"),
    ],
)
def test_errors_raised_while_a_stage_runs_name_the_params_file_too(cli, tmp_path, command, line, changed, key):
    """Checks deep in a stage (here: a GPU asked for where there is none) no longer know the file; the CLI
    names it."""
    text = (ROOT / "params.yaml").read_text()
    assert line in text
    path = tmp_path / "sweep-3.yaml"
    path.write_text(text.replace(line, changed, 1))
    load_params(path)  # valid on its own: the GPU's absence shows only when the stage runs
    result = cli(*command, "--params", path, "--raw", tmp_path / "raw")
    expected = f"error: {path}: {key}.device is cuda but no CUDA GPU is visible; set it to auto or cpu"
    assert one_line_error(result) == expected


def test_missing_file_and_broken_yaml_are_one_line_errors(tmp_path):
    with pytest.raises(ParamsError, match=r"params.yaml: not found; run from the project root or pass --params"):
        load_params(tmp_path / "params.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("data:\n  source: [synth\n")
    with pytest.raises(ParamsError, match=r"broken.yaml: line \d+ .*; fix the YAML syntax"):
        load_params(broken)


def test_the_cli_prints_a_params_error_as_one_line_with_exit_code_2(cli, tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("data:\n  source: ftp\n")
    result = cli("download", "--params", path, "--out", tmp_path / "raw")
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: data.source must be one of synth, zenodo, hub; got 'ftp'\n"
    assert "Traceback" not in result.output
    assert not (tmp_path / "raw").exists()


def test_debug_shows_the_traceback(cli, tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("data:\n  source: ftp\n")
    result = cli("--debug", "download", "--params", path, "--out", tmp_path / "raw")
    assert result.exit_code != 0
    assert isinstance(result.exception, ParamsError)


def test_the_readme_params_table_is_exactly_what_italic_cnn_params_prints():
    from typer.testing import CliRunner

    from pipeline.cli import app

    printed = CliRunner().invoke(app, ["params"]).stdout
    text = (ROOT / "README.md").read_text()
    start = text.index("| key | default | allowed | meaning |")
    assert text[start:].split("\n\n")[0] + "\n" == printed, "regenerate it: italic-cnn params"


def test_every_key_has_one_meaning_and_the_table_states_the_enforced_bounds():
    from pipeline.params import allowed_text
    from pipeline.params_table import MEANINGS, leaf_keys, markdown
    from tests.faults.test_params_faults import KEYS, name

    assert [key for key, _ in leaf_keys()] == [name(section, field) for section, field in KEYS] == list(MEANINGS)
    rows = {line.split(" | ")[0].strip("| `"): line.split(" | ") for line in markdown().splitlines()[2:]}
    assert rows["train.lr"][1:3] == ["`0.003`", "(0, 10]"] and allowed_text("train.lr") == "(0, 10]"
    assert rows["model.frontend"][2] == "log · pcen · log+pcen"
    assert rows["hard_noisy"][1].startswith("`{frontend: log+pcen, noise_prob: 0.5")
