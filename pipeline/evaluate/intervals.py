"""How sure a test score is: bootstrap intervals over test clips, and base-against-head comparisons of
two models on the same clips (paired), with scipy doing the statistics.

A test split of a few hundred clips moves accuracy by several points between two runs of the same
code; a number without its interval invites reading noise as progress.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats
from sklearn.metrics import f1_score

RESAMPLES = 1000
CONFIDENCE = 0.95


def bootstrap_interval(
    statistic: Callable[..., float], samples: Sequence[np.ndarray], seed: int, vectorized: bool = False
) -> tuple[float, float]:
    """Percentile bootstrap interval of `statistic(*samples)`, resampling clips (rows shared by all
    samples). Percentile rather than BCa: scores on a few clips are discrete and often saturated, where
    BCa's corrections are undefined."""
    if len(samples[0]) == 0:
        return float("nan"), float("nan")
    if len(samples[0]) == 1:  # every resample is that one clip (a slice holding a single clip)
        value = float(statistic(*samples, axis=-1) if vectorized else statistic(*samples))
        return value, value
    result = stats.bootstrap(
        tuple(samples), statistic, paired=True, vectorized=vectorized, n_resamples=RESAMPLES,
        confidence_level=CONFIDENCE, method="percentile", random_state=np.random.default_rng(seed),
    )  # fmt: skip
    low, high = result.confidence_interval
    return float(low), float(high)


def accuracy_interval(y_true: np.ndarray, y_pred: np.ndarray, seed: int) -> tuple[float, float]:
    correct = (np.asarray(y_true) == np.asarray(y_pred)).astype(float)
    return bootstrap_interval(lambda c, axis: c.mean(axis=axis), [correct], seed, vectorized=True)


def macro_f1_interval(y_true: np.ndarray, y_pred: np.ndarray, labels: np.ndarray, seed: int) -> tuple[float, float]:
    """Over the same labels as the point estimate (the intents present in the test split)."""

    def macro_f1(t: np.ndarray, p: np.ndarray) -> float:
        return float(f1_score(t, p, labels=labels, average="macro", zero_division=0))

    return bootstrap_interval(macro_f1, [np.asarray(y_true), np.asarray(y_pred)], seed)


@dataclass(frozen=True)
class PairedComparison:
    """Head against base on the clips both scored."""

    clips: int
    base_accuracy: float
    head_accuracy: float
    only_base_right: int  # discordant pairs
    only_head_right: int
    mcnemar_p: float  # exact (binomial) McNemar test on the discordant pairs
    difference: float  # head accuracy - base accuracy
    interval: tuple[float, float]  # paired bootstrap, 95%

    @property
    def verdict(self) -> str:
        """better / worse only when the interval of the difference excludes 0."""
        low, high = self.interval
        if low > 0:
            return "better"
        if high < 0:
            return "worse"
        return "no significant change"


def compare_paired(base_correct: np.ndarray, head_correct: np.ndarray, seed: int) -> PairedComparison:
    """`*_correct`: bool per clip, the same clips in the same order."""
    base = np.asarray(base_correct, dtype=bool)
    head = np.asarray(head_correct, dtype=bool)
    if base.shape != head.shape:
        raise ValueError(f"paired comparison needs the same clips: {base.shape} vs {head.shape}")
    only_base, only_head = int((base & ~head).sum()), int((head & ~base).sum())
    discordant = only_base + only_head
    p = stats.binomtest(only_head, discordant, 0.5).pvalue if discordant else 1.0
    if discordant == 0:  # every resample gives exactly 0
        interval = (0.0, 0.0)
    else:
        interval = bootstrap_interval(
            lambda h, b, axis: h.mean(axis=axis) - b.mean(axis=axis), [head.astype(float), base.astype(float)], seed,
            vectorized=True,
        )  # fmt: skip
    return PairedComparison(
        clips=len(base), base_accuracy=float(base.mean()) if len(base) else float("nan"),
        head_accuracy=float(head.mean()) if len(head) else float("nan"), only_base_right=only_base,
        only_head_right=only_head, mcnemar_p=float(p), difference=float(head.mean() - base.mean()) if len(base) else 0.0,
        interval=interval,
    )  # fmt: skip
