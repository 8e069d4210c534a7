"""The results of one revision: a git revision read through DVC (outputs come from the DVC cache as
that revision's dvc.lock names them), or the workspace as it is on disk."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import UserError

WORKSPACE = "workspace"


@dataclass
class Revision:
    """`name` is what the user asked for (`origin/main`, `HEAD~1`, `workspace`); `label` adds the short sha."""

    name: str
    label: str
    root: Path
    fs: Any = None  # DVCFileSystem at the revision; None for the workspace

    def read_text(self, path: str) -> str | None:
        """The file's text at this revision, or None where the revision has no such file (a first run)."""
        if self.fs is None:
            target = self.root / path
            return target.read_text(encoding="utf-8") if target.is_file() else None
        try:
            if not self.fs.isfile(path):
                return None
            return self.fs.read_text(path, encoding="utf-8")
        except OSError:
            return None  # listed in that revision's dvc.lock but absent from the cache

    def read_bytes(self, path: str) -> bytes | None:
        if self.fs is None:
            target = self.root / path
            return target.read_bytes() if target.is_file() else None
        try:
            if not self.fs.isfile(path):
                return None
            with self.fs.open(path, "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def read_json(self, path: str) -> Any | None:
        text = self.read_text(path)
        return json.loads(text) if text else None

    def read_tsv(self, path: str) -> list[dict[str, str]]:
        """A dvclive metric history (`timestamp, step, <name>` columns); empty where absent."""
        text = self.read_text(path)
        return list(csv.DictReader(io.StringIO(text), delimiter="\t")) if text else []


def open_revision(repo: Any, name: str | None) -> Revision:
    """`repo` is a dvc.repo.Repo; `name` None or "workspace" means the files on disk."""
    root = Path(repo.root_dir)
    if name in (None, WORKSPACE):
        return Revision(WORKSPACE, WORKSPACE, root)
    from dvc.api import DVCFileSystem

    try:
        sha = repo.scm.resolve_rev(name)
    except Exception as exc:
        raise UserError(
            f"{name!r} is not a git revision of {root} ({type(exc).__name__}); give a branch, tag or commit, "
            "e.g. --base origin/main (fetch it first: git fetch origin main)"
        ) from exc
    return Revision(name, f"{name} ({sha[:7]})" if not sha.startswith(name) else sha[:7], root,
                    DVCFileSystem(repo=str(root), rev=sha))  # fmt: skip


def folder_revision(folder: Path, label: str) -> Revision:
    """A project folder as it is on disk (a worktree where the pipeline ran), named `label`."""
    folder = Path(folder)
    if not (folder / "results").is_dir():
        raise UserError(f"{folder}: no results/ folder; run the pipeline there first (dvc repro)")
    return Revision(label, label, folder)
