"""What every fault case asserts about a failure: one line naming the problem and the fix, exit code
2, no traceback, and nothing half-written."""

from __future__ import annotations

from pathlib import Path


def one_line_error(result) -> str:
    """`result` of the in-process CLI (typer's CliRunner); returns the line without `error: `."""
    assert result.exit_code == 2, f"exit {result.exit_code}: {result.output}"
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0][len("error: ") :]


def leftovers(folder: Path) -> list[str]:
    """Temp or half-written outputs left in `folder` (atomic writers name them `.NAME.tmp-...`)."""
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name)
