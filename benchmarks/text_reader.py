"""The reader of true transcripts every ceiling figure uses: a linear SVM on TF-IDF n-grams. One
definition, so the ceilings in models.py and text_ceiling.py are the same measure."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def fit_text_reader(
    texts: Sequence[str], intents: Sequence[str], analyzer: str = "char_wb", ngrams: tuple[int, int] = (2, 5)
) -> Callable[[Sequence[str]], list[str]]:
    """Train on (text, intent) pairs; return a function that predicts the intent of new texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True)
    classifier = LinearSVC().fit(vectorizer.fit_transform(list(texts)), list(intents))
    return lambda new: list(classifier.predict(vectorizer.transform(list(new))))
