"""Every stage's `deps:` in dvc.yaml cover every project file its command runs, so an edit to any of
them re-runs the stage instead of leaving stale results "up to date"."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import yaml

from pipeline.code import PACKAGE_DIR, command_files, fingerprint
from pipeline.params import Params, TrainParams
from tests.conftest import ROOT

STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]


def stage_definition(name: str) -> dict:
    stage = STAGES[name]
    return stage["do"] if "foreach" in stage else stage


def covered(path: Path, deps: list[str]) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return any(relative == dep or relative.startswith(dep.rstrip("/") + "/") for dep in deps)


@pytest.mark.parametrize("stage", list(STAGES))
def test_every_file_a_stage_runs_is_one_of_its_deps(stage):
    definition = stage_definition(stage)
    command = definition["cmd"].split()[1]
    deps = definition.get("deps", [])
    needed = command_files(command)
    assert {p.relative_to(ROOT).as_posix() for p in needed} >= {"pipeline/cli.py", "pipeline/params.py"}
    missing = sorted(p.relative_to(ROOT).as_posix() for p in needed if not covered(p, deps))
    assert not missing, f"dvc.yaml stage {stage} runs {missing} but does not list them in deps"
    stale = [dep for dep in deps if dep.startswith("pipeline") and not (ROOT / dep).exists()]
    assert not stale, f"dvc.yaml stage {stage} lists deps that do not exist: {stale}"


def test_the_files_found_include_what_python_itself_loads():
    """The import reading finds at least what running the command's imports loads (and more: the
    imports inside functions, which Python loads only when they are called)."""
    code = (
        "import sys, pipeline.cli, pipeline.train.stage; "
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('pipeline') and m.__file__))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    found = command_files("train")
    assert {Path(line).resolve() for line in loaded.stdout.split()} <= found
    assert PACKAGE_DIR / "train" / "distributed.py" in found  # imported inside functions too


def test_the_code_fingerprint_changes_with_any_file_it_covers(tmp_path):
    files = command_files("train")
    before = fingerprint(files)
    assert fingerprint(files) == before and fingerprint(files - {PACKAGE_DIR / "splits.py"}) != before


def test_the_train_stage_reruns_when_any_training_param_changes():
    """A train.* key missing from dvc.yaml would leave a model trained under its old value "up to date"
    (as train.val_noise_snr_db would have, added after the list was written)."""
    listed = set(stage_definition("train")["params"])
    wanted = {"seed", "model"} | {f"train.{field.name}" for field in dataclasses.fields(TrainParams)}
    assert "train" in listed or not wanted - listed, sorted(wanted - listed)


# keys a stage reads that cannot change its outputs, so DVC need not re-run it for them
NO_EFFECT = {
    "download": {"data.configs": "download writes every config's splits", "data.workers": "threads, not data"},
    "featurize": {"features.workers": "processes, not numbers"},
}


def section_keys(section: str) -> set[str]:
    return {f"{section}.{field.name}" for field in dataclasses.fields(typing.get_type_hints(Params)[section])}


def test_each_stage_tracks_every_key_of_the_sections_it_reads():
    """dvc.yaml's param lists against the params module: a key added to a section must be tracked by
    the stages that read it, or named here as one that cannot change their outputs."""
    download = set(stage_definition("download")["params"])
    assert download == section_keys("data") - set(NO_EFFECT["download"])
    featurize = set(stage_definition("featurize")["params"])
    assert featurize == section_keys("features") - set(NO_EFFECT["featurize"]) | {"data.max_skipped_fraction"}
    train = set(stage_definition("train")["params"])
    assert train == {"seed", "model", "${item}"} | section_keys("train")
    assert set(stage_definition("check_params")["params"]) == {field.name for field in dataclasses.fields(Params)}
