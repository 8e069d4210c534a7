"""Build the three ITALIC configs over the demo recordings, the way ITALIC builds them.

- massive: a random 70/12/18 split (stratified by intent so every split sees every intent);
- hard_speaker: speaker pools disjoint across splits;
- hard_noisy: test holds only the noisiest recordings (lowest SNR), the rest split at random.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FRACTIONS = {"train": 0.70, "validation": 0.12, "test": 0.18}


@dataclass(frozen=True)
class PlannedRecording:
    id: int
    intent: str
    speaker_id: int
    snr_db: float | None  # None: silent environment


def massive_split(recs: Sequence[PlannedRecording], rng: np.random.Generator) -> dict[int, str]:
    out: dict[int, str] = {}
    for group in _by_intent(recs).values():
        order = rng.permutation(len(group))
        n_train, n_val = _counts(len(group))
        for rank, idx in enumerate(order):
            out[group[idx].id] = "train" if rank < n_train else "validation" if rank < n_train + n_val else "test"
    return out


def hard_speaker_split(
    recs: Sequence[PlannedRecording],
    speaker_ids: Sequence[int],
    pools: tuple[int, int, int],
    rng: np.random.Generator,
) -> dict[int, str]:
    shuffled = [int(s) for s in rng.permutation(list(speaker_ids))]
    n_train, n_val, _ = pools
    pool = {s: "train" for s in shuffled[:n_train]}
    pool.update({s: "validation" for s in shuffled[n_train : n_train + n_val]})
    pool.update({s: "test" for s in shuffled[n_train + n_val :]})
    return {rec.id: pool[rec.speaker_id] for rec in recs}


def hard_noisy_split(recs: Sequence[PlannedRecording], rng: np.random.Generator) -> dict[int, str]:
    out: dict[int, str] = {}
    for group in _by_intent(recs).values():
        n_train, n_val = _counts(len(group))
        n_test = len(group) - n_train - n_val
        noisy = sorted((r for r in group if r.snr_db is not None), key=lambda r: (r.snr_db, r.id))
        test = {r.id for r in noisy[:n_test]}
        rest = [r for r in group if r.id not in test]
        order = rng.permutation(len(rest))
        for rank, idx in enumerate(order):
            out[rest[idx].id] = "train" if rank < round(len(rest) * 0.70 / 0.82) else "validation"
        out.update({i: "test" for i in test})
    return out


def _by_intent(recs: Sequence[PlannedRecording]) -> dict[str, list[PlannedRecording]]:
    groups: dict[str, list[PlannedRecording]] = defaultdict(list)
    for rec in sorted(recs, key=lambda r: r.id):
        groups[rec.intent].append(rec)
    return dict(sorted(groups.items()))


def _counts(n: int) -> tuple[int, int]:
    n_val = max(1, round(n * FRACTIONS["validation"]))
    n_test = max(1, round(n * FRACTIONS["test"]))
    return n - n_val - n_test, n_val
