"""What every fault case asserts about a failure: one line naming the problem and the fix, exit code
2, no traceback, and nothing half-written."""

from __future__ import annotations

from pathlib import Path

from tests import conftest


def one_line_error(result) -> str:
    """The user error's line without its `error: ` prefix."""
    return conftest.one_line_error(result).removeprefix("error: ")


def leftovers(folder: Path) -> list[str]:
    """Temp or half-written outputs left in `folder` (atomic writers name them `.NAME.tmp-...`)."""
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name)
