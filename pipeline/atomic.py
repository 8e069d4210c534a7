"""Atomic outputs: a stage's result appears whole or not at all, so DVC never caches a half-written one."""

from __future__ import annotations

import contextlib
import fnmatch
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import UserError

# Written into every folder atomic_dir makes; its text names the command that wrote it. A folder is
# only ever replaced when it is missing, empty, or holds this marker from the same command: `--out`
# pointing at a user's project must fail, never swap it for a corpus.
OUTPUT_MARKER = ".italic-cnn-output"


class NotOurFolder(UserError):
    """`--out` names a folder this command did not write; replacing it would delete someone's files."""


def check_replaceable(out: Path, owner: str, legacy: tuple[str, ...] = ()) -> None:
    """Refuse, in one line, to replace anything but a missing or empty folder or this command's own
    output: one holding its marker, or (written before markers) only names matching `legacy` patterns."""
    out = Path(out)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise NotOurFolder(f"{out}: exists and is not a folder; pass --out a new or empty folder (nothing was changed)")
    if not out.exists():
        return
    marker = out / OUTPUT_MARKER
    if marker.is_file() and not marker.is_symlink():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if marker.read_text(encoding="utf-8").strip() == owner:
                return
    entries = [entry.name for entry in out.iterdir()]
    if all(any(fnmatch.fnmatchcase(name, pattern) for pattern in legacy) for name in entries):
        return  # empty, or an output written before markers: nothing but this command's own names
    raise NotOurFolder(
        f"{out}: not empty and not an earlier output of `italic-cnn {owner}` (no {OUTPUT_MARKER} marker); "
        "pass --out a new or empty folder, or delete this one yourself (nothing was changed)"
    )


@contextlib.contextmanager
def atomic_dir(out: Path, owner: str, legacy: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a temp folder beside `out`; rename it over `out` only if the block succeeds.

    The temp folder lives in the same parent so the final rename is a same-filesystem move; on any
    error (including KeyboardInterrupt) it is removed and the previous `out` stays untouched. `owner`
    is the command writing it: `out` is replaced only where check_replaceable allows.
    """
    out = Path(out)
    check_replaceable(out, owner, legacy)
    out.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
    tmp.chmod(0o777 & ~_umask())  # mkdtemp makes 0700; the output should look like any other folder
    try:
        yield tmp
        (tmp / OUTPUT_MARKER).write_text(owner + "\n", encoding="utf-8")
        check_replaceable(out, owner, legacy)  # again: the folder may have appeared while this ran
        _fsync_tree(tmp)
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextlib.contextmanager
def atomic_file(out: Path, mode: str = "w") -> Iterator:
    """Open a temp file beside `out` for writing; replace `out` with it only on success."""
    out = Path(out)
    if out.is_dir():
        raise NotOurFolder(f"{out}: is a folder; pass a file path to write (nothing was changed)")
    out.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(out)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o666 & ~_umask())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sweep_stale(out: Path) -> list[Path]:
    """Remove what a killed writer of `out` left beside it (`.name.tmp-PID-*`, `.name.old-PID`), when
    that process is gone, so `kill -9` costs disk space only until the next run."""
    removed = []
    for path in out.parent.glob(f".{out.name}.*-*"):
        kind, _, rest = path.name[len(out.name) + 2 :].partition("-")
        pid = rest.split("-", 1)[0]
        if kind not in ("tmp", "old") or not pid.isdigit() or _alive(int(pid)):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        pass
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_tree(root: Path) -> None:
    """Flush every file so a crash right after the rename cannot expose empty files."""
    for path in root.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
