"""Skipped-row accounting shared by the stages: nothing is dropped without being counted and named."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from pipeline.errors import DataError


def by_reason(skipped: Sequence[dict[str, Any]]) -> dict[str, int]:
    return dict(sorted(Counter(s["reason"] for s in skipped).items()))


def reasons_text(skipped: Sequence[dict[str, Any]]) -> str:
    return ", ".join(f"{k} {v}" for k, v in by_reason(skipped).items())


def missing_text(missing: dict[int, str]) -> str:
    """`2 (silent 1, too_short 1; ids 5, 9)` for {id: reason}."""
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(Counter(missing.values()).items()))
    ids = ", ".join(map(str, list(missing)[:8])) + (", ..." if len(missing) > 8 else "")
    return f"{len(missing)} ({reasons}; ids {ids})"


def check_skipped_fraction(stage: str, noun: str, total: int, skipped: Sequence[dict[str, Any]], limit: float) -> None:
    """Fail the stage when more than `data.max_skipped_fraction` of its input is unusable."""
    if total == 0:
        raise DataError(f"{stage}: the input holds no {noun}")
    if len(skipped) / total > limit:
        ids = ", ".join(str(s["id"]) for s in skipped[:8]) + (", ..." if len(skipped) > 8 else "")
        raise DataError(
            f"{stage}: {len(skipped)} of {total} {noun} unusable ({len(skipped) / total:.1%} > "
            f"data.max_skipped_fraction {limit:g}): {reasons_text(skipped)} (ids {ids}); "
            "fix or remove those files, or raise data.max_skipped_fraction in params.yaml"
        )
