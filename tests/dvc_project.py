"""A copy of this repository in tmp_path with a tiny corpus and tiny params, under git, for tests that
drive the real `dvc` and `italic-cnn` commands end to end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT
from tests.corpus import make_zenodo


def sh(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command with this venv's tools first on PATH; by default it must succeed."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def make_project(repo: Path, clips: int = 30, intents: int | None = None, **sections: dict[str, Any]) -> Path:
    """This repository's tracked and new files (not its dvc.lock), a `clips`-clip corpus (of `intents`
    learnable intents, or one intent per clip), tiny model
    and training params updated by `sections` (e.g. data={"configs": ["massive"]}), one git commit."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in files:
        if name == "dvc.lock" or not (ROOT / name).is_file():
            continue
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    make_zenodo(repo / "data" / "tiny", n=clips, intents=intents)
    set_params(repo, data={"source": "zenodo", "path": "data/tiny"}, model={"channels": [8, 16]},
               train={"epochs": 2, "batch_size": 4, "max_seconds": 0.5, "threads": 1})  # fmt: skip
    set_params(repo, **sections)
    sh(repo, "git", "init", "-q")
    sh(repo, "git", "config", "user.email", "ci@example.com")
    sh(repo, "git", "config", "user.name", "ci")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-qm", "tiny project")
    return repo


def set_params(repo: Path, **sections: dict[str, Any]) -> None:
    """Update params.yaml section by section, as a user editing it would."""
    params = yaml.safe_load((repo / "params.yaml").read_text())
    for section, values in sections.items():
        params[section].update(values)
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
