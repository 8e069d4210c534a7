"""The layers stay apart: serving a model (predict, evaluate, the exports) imports nothing from
training, and none of it needs the synthesizer, whose libespeak-ng is an optional extra."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from pipeline.code import closure
from tests.conftest import ROOT
from tests.corpus import trained_project, write_params

SERVING = ["pipeline.inference", "pipeline.predict", "pipeline.evaluate.stage", "pipeline.export.run"]


def test_serving_modules_import_nothing_from_training_or_the_synthesizer():
    files = {p.relative_to(ROOT).as_posix() for p in closure(SERVING)}
    assert "pipeline/inference/scoring.py" in files and "pipeline/inference/checkpoint.py" in files
    crossing = sorted(f for f in files if f.startswith(("pipeline/train/", "pipeline/synth/")))
    assert not crossing, f"serving imports {crossing}"


def test_training_validates_through_the_inference_layer():
    files = {p.relative_to(ROOT).as_posix() for p in closure(["pipeline.train.trainer"])}
    assert "pipeline/inference/scoring.py" in files


def test_the_synthesizer_is_an_extra_not_a_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if d.startswith("espeakng")]
    assert any(d.startswith("espeakng-loader") for d in project["optional-dependencies"]["synth"])
    assert "'.[dev,synth]'" in (ROOT / "Makefile").read_text()


# Runs one CLI command in a fresh interpreter where `import espeakng_loader` fails (the synth extra is
# not installed), then prints which training and synthesizer modules that command loaded.
PROBE = """
import json, sys
sys.modules["espeakng_loader"] = None
from typer.testing import CliRunner
from pipeline.cli import app
result = CliRunner().invoke(app, sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.startswith(("pipeline.train", "pipeline.synth")))
print(json.dumps({"code": result.exit_code, "output": result.output, "loaded": loaded}))
"""


def run_without_synth(*args: str, cwd: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    return trained_project(tmp_path_factory.mktemp("layers"), n=24) / "models" / "massive" / "model.pt"


def test_predict_and_export_run_without_training_modules_or_the_synth_extra(checkpoint, tmp_path):
    wav = next((checkpoint.parents[2] / "corpus" / "recordings").glob("*.wav"))
    predicted = run_without_synth("predict", str(wav), "--model", str(checkpoint), cwd=tmp_path)
    assert predicted["code"] == 0, predicted["output"]
    assert json.loads(predicted["output"].splitlines()[0])["path"] == str(wav)
    assert predicted["loaded"] == []

    exported = run_without_synth("export", "--model", str(checkpoint), "--out", str(tmp_path / "m.ts"), cwd=tmp_path)
    assert exported["code"] == 0, exported["output"]
    assert (tmp_path / "m.ts").stat().st_size > 10_000
    assert exported["loaded"] == []
    from_export = run_without_synth("predict", str(wav), "--model", str(tmp_path / "m.ts"), cwd=tmp_path)
    first = json.loads(from_export["output"].splitlines()[0])
    assert first["intent"] == json.loads(predicted["output"].splitlines()[0])["intent"]


def test_download_of_the_synthetic_corpus_without_the_extra_is_one_line(tmp_path):
    params = write_params(tmp_path / "params.yaml", synth_recordings=600)
    result = run_without_synth("download", "--params", str(params), "--out", str(tmp_path / "raw"), cwd=tmp_path)
    assert result["code"] == 2
    line = result["output"].strip()
    assert "\n" not in line and "pip install 'italic-cnn[synth]'" in line, line
    assert not (tmp_path / "raw").exists()


def _functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def test_no_function_over_60_lines_and_no_constructor_over_6_parameters():
    too_long, too_wide = [], []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        for node in _functions(path):
            where = f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
            if node.end_lineno - node.lineno + 1 > 60:
                too_long.append(where)
            if node.name == "__init__" and len(node.args.args) - 1 + len(node.args.kwonlyargs) > 6:
                too_wide.append(where)
    assert not too_long and not too_wide, (too_long, too_wide)


def test_the_epoch_loop_is_two_hops_from_the_train_command():
    """`italic-cnn train` calls `run_train`, which calls `Trainer.fit`, the epoch loop."""
    cli = next(n for n in _functions(ROOT / "pipeline/cli.py") if n.name == "train")
    stage = next(n for n in _functions(ROOT / "pipeline/train/stage.py") if n.name == "run_train")

    def calls(node) -> set[str]:
        return {c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", "")
                for c in ast.walk(node) if isinstance(c, ast.Call)}  # fmt: skip

    assert "run_train" in calls(cli) and "fit" in calls(stage)
    fit = next(n for n in _functions(ROOT / "pipeline/train/trainer.py") if n.name == "fit")
    assert any(isinstance(n, ast.For) for n in ast.walk(fit)) and "train_epoch" in calls(fit)
