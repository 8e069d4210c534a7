"""Hear, then read: a text classifier over the CTC head's own transcripts, fused with the intent head.

The intent head maps sounds straight to intents and generalises to new phrasings only as far as its
pooled features do. The CTC head spells the clip, and a linear classifier on the character n-grams of
that spelling generalises another way: a word carries the same n-grams in any sentence, and a
misspelt word still shares most of them with the right one. Summing the two heads' log-probabilities
(the reader's scaled by a weight chosen on validation, where 0 is the intent head alone) is late
fusion of two views of one network; it costs one pass over the training clips after training and a
sparse product per clip at inference.

The reader trains on the training clips' true transcripts and on the CTC head's transcripts of the
same clips, so it learns both the words and how the head misspells them. Its whole state is tensors
and a list of strings, so checkpoints still load with `weights_only=True`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from pipeline.metrics import better, classification_metrics

NGRAMS = (2, 5)  # character n-grams within words, padded with spaces (scikit-learn's char_wb)
MAX_TERMS = 20_000  # the most frequent n-grams: 4.8 MB of weights for 60 intents, no accuracy lost on validation
INVERSE_REGULARIZATION = 10.0  # LogisticRegression C, chosen on validation (1: -0.005, 100: +0.001)
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)  # the reader's weights validation chooses among
ABSENT = -30.0  # the bias of an intent the reader never saw: its log-probability is ~ -30


def _vectorizer(vocabulary: Sequence[str] | None = None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAMS,
        sublinear_tf=True,
        max_features=None if vocabulary else MAX_TERMS,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


def combine(logits: torch.Tensor, reading: torch.Tensor, weight: float) -> torch.Tensor:
    """The intent head's log-probabilities plus `weight` x the reader's."""
    return torch.log_softmax(logits.float(), dim=1) + weight * reading


@dataclass
class TranscriptReader:
    terms: list[str]  # the n-grams, in column order
    idf: torch.Tensor  # [n_terms]
    coef: torch.Tensor  # [n_classes, n_terms]
    intercept: torch.Tensor  # [n_classes]
    weight: float = 0.0  # of the reader's log-probabilities in the fused score; 0 = the intent head alone
    _vectorizer: Any = field(default=None, init=False, repr=False, compare=False)  # built once, on first use

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[int], n_classes: int) -> TranscriptReader | None:
        """None where there is nothing to read: no transcript with an n-gram, or a single intent."""
        from sklearn.linear_model import LogisticRegression

        pairs = [(t, y) for t, y in zip(texts, labels, strict=True) if t.strip()]
        if len({y for _, y in pairs}) < 2:
            return None
        vectorizer = _vectorizer()
        try:
            features = vectorizer.fit_transform([t for t, _ in pairs])
        except ValueError:  # an empty vocabulary: transcripts of single characters
            return None
        classifier = LogisticRegression(C=INVERSE_REGULARIZATION, max_iter=3000)
        classifier.fit(features, [y for _, y in pairs])
        coef = torch.zeros(n_classes, features.shape[1])
        intercept = torch.full((n_classes,), ABSENT)
        seen = torch.as_tensor(classifier.classes_)
        if len(seen) == 2:  # scikit-learn keeps one row for two classes: the second's score against the first
            half = torch.as_tensor(classifier.coef_[0], dtype=torch.float32) / 2
            coef[seen] = torch.stack([-half, half])
            intercept[seen] = torch.tensor([-classifier.intercept_[0] / 2, classifier.intercept_[0] / 2])
        else:
            coef[seen] = torch.as_tensor(classifier.coef_, dtype=torch.float32)
            intercept[seen] = torch.as_tensor(classifier.intercept_, dtype=torch.float32)
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        return cls(terms, torch.as_tensor(vectorizer.idf_, dtype=torch.float32), coef, intercept)

    def log_probs(self, texts: Sequence[str]) -> torch.Tensor:
        """[N, n_classes] log-probabilities of each intent given each transcript."""
        if self._vectorizer is None:
            self._vectorizer = _vectorizer(self.terms)
            self._vectorizer.idf_ = self.idf.numpy()
        scores = self._vectorizer.transform(list(texts)) @ self.coef.numpy().T  # sparse [N, terms] x dense
        return torch.log_softmax(torch.from_numpy(np.asarray(scores)) + self.intercept, dim=1)

    def fuse(self, logits: torch.Tensor, texts: Sequence[str]) -> torch.Tensor:
        """The product's scores, whose softmax is its probabilities (the logits alone where the weight is 0)."""
        if self.weight == 0:
            return logits
        return combine(logits, self.log_probs(texts).to(logits.device), self.weight)

    def choose_weight(
        self, logits: torch.Tensor, texts: Sequence[str], labels: np.ndarray, select_by: str
    ) -> dict[float, dict[str, float]]:
        """Set `weight` to the one of WEIGHTS that scores best on these (validation) clips by
        `select_by`, the smallest on a tie, and return every weight's metrics."""
        reading = self.log_probs(texts)  # once: only the weight changes
        scored: dict[float, dict[str, float]] = {}
        for weight in WEIGHTS:
            fused = torch.log_softmax(combine(logits, reading, weight), dim=1)
            loss = float(torch.nn.functional.nll_loss(fused, torch.as_tensor(labels)))
            scored[weight] = {"loss": loss, **classification_metrics(labels, fused.argmax(1).numpy())}
        chosen = None
        for weight, metrics in scored.items():
            if better(select_by, metrics, scored[chosen] if chosen is not None else None):
                chosen = weight
        self.weight = float(chosen)
        return scored

    def state_dict(self) -> dict[str, Any]:
        return {"terms": self.terms, "idf": self.idf, "coef": self.coef, "intercept": self.intercept,
                "weight": self.weight}  # fmt: skip

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TranscriptReader:
        return cls(list(state["terms"]), state["idf"], state["coef"], state["intercept"], float(state["weight"]))
