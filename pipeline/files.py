"""Reading a file a user named, safely: only a regular file, and never more bytes than a cap.

`Path.read_bytes()` on a FIFO blocks forever, and on a link to `/dev/zero` reads until memory runs
out; both pass a suffix check (`x.wav`). Opening without blocking and checking what the descriptor is
(not what the name was a moment earlier) closes both.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pipeline.errors import DataError

KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


class FileRefused(Exception):
    """A file that is not read; `reason` is a short key counted in manifests (`not_a_file`, `too_large`)."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

    def __reduce__(self):  # crosses process boundaries in worker pools
        return (FileRefused, (self.reason, self.detail))


def read_capped(path: Path, cap: int) -> bytes:
    """The whole file, if it is a regular file of at most `cap` bytes; otherwise FileRefused.
    OSError (missing, forbidden) passes through for the caller to word."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused("not_a_file", f"{KINDS.get(stat.S_IFMT(mode), 'not a regular file')}, not a regular file")
        size = os.fstat(fd).st_size
        if size > cap:
            raise FileRefused("too_large", f"{size / 1e6:.1f} MB, over the {cap / 1e6:.0f} MB cap")
        data = handle.read(cap + 1)
    if len(data) > cap:  # grew while being read
        raise FileRefused("too_large", f"over the {cap / 1e6:.0f} MB cap")
    return data


def read_regular_file(path: Path, cap: int, what: str) -> bytes:
    """read_capped for an input the run cannot go on without: a refusal is a one-line DataError."""
    try:
        return read_capped(path, cap)
    except FileRefused as refused:
        raise DataError(f"{path}: {refused.detail}; a {what} must be a regular file") from None
    except FileNotFoundError:
        raise DataError(f"{path}: {what} not found") from None
