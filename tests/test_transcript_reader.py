"""The transcript reader: it reads intents from words in sentences it never saw, survives a weights-only
checkpoint, scores as scikit-learn does, and validation decides how much it counts."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch

from pipeline.inference.transcript_reader import ABSENT, WEIGHTS, TranscriptReader

KEYWORDS = {0: "sveglia", 1: "luce", 2: "meteo", 3: "musica"}
CARRIERS = ["metti la {}", "vorrei la {} adesso", "per favore la {}", "dimmi della {}", "controlla la {} ora"]
NEW_CARRIERS = ["ehi senti la {} grazie", "potresti cambiare {} subito"]  # wording training never uses


def corpus(carriers: list[str], misspell: bool = False) -> tuple[list[str], list[int]]:
    texts, labels = [], []
    for label, word in KEYWORDS.items():
        for carrier in carriers:
            spelt = word[:-2] + word[-1] if misspell else word  # a letter dropped, as the CTC head drops them
            texts.append(carrier.format(spelt))
            labels.append(label)
    return texts, labels


def test_it_reads_intents_from_words_in_new_and_misspelt_sentences():
    reader = TranscriptReader.fit(*corpus(CARRIERS), n_classes=6)
    for misspell in (False, True):
        texts, labels = corpus(NEW_CARRIERS, misspell)
        predicted = reader.log_probs(texts).argmax(1).tolist()
        assert predicted == labels, (misspell, texts)
    assert reader.log_probs(["metti la luce"])[0, 4:].max() < ABSENT + 5  # intents it never saw stay out


@pytest.mark.parametrize("n_intents", [2, 4])  # scikit-learn stores two classes as one row
def test_its_state_survives_a_weights_only_checkpoint_and_scores_as_scikit_learn(n_intents):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from pipeline.inference.transcript_reader import INVERSE_REGULARIZATION, NGRAMS

    texts, labels = corpus(CARRIERS)
    texts, labels = zip(*[(t, y) for t, y in zip(texts, labels, strict=True) if y < n_intents], strict=True)
    reader = TranscriptReader.fit(texts, labels, n_classes=60)
    reader.weight = 0.75
    buffer = io.BytesIO()
    torch.save({"reader": reader.state_dict()}, buffer)
    buffer.seek(0)
    restored = TranscriptReader.from_state(torch.load(buffer, weights_only=True)["reader"])
    new, _ = corpus(NEW_CARRIERS, misspell=True)
    assert restored.weight == 0.75 and torch.equal(restored.log_probs(new), reader.log_probs(new))
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True)
    reference = LogisticRegression(C=INVERSE_REGULARIZATION, max_iter=3000).fit(vectorizer.fit_transform(texts), labels)
    expected = reference.predict_log_proba(vectorizer.transform(new))
    ours = restored.log_probs(new)[:, :n_intents]
    np.testing.assert_allclose(ours.numpy(), expected, atol=1e-4)


def test_validation_weighs_a_useful_reader_in_and_a_useless_one_out():
    texts, labels = corpus(CARRIERS)
    val_texts, val_labels = corpus(NEW_CARRIERS, misspell=True)
    y = np.array(val_labels)
    deaf_head = torch.zeros(len(y), 6)  # an intent head that heard nothing
    useful = TranscriptReader.fit(texts, labels, n_classes=6)
    by_weight = useful.choose_weight(deaf_head, val_texts, y, "accuracy")
    assert set(by_weight) == set(WEIGHTS) and useful.weight > 0
    assert by_weight[0.0]["accuracy"] < 0.5 and by_weight[useful.weight]["accuracy"] == 1.0
    assert (useful.fuse(deaf_head, val_texts).argmax(1).numpy() == y).all()

    sure_head = 20 * torch.nn.functional.one_hot(torch.as_tensor(y), 6).float()  # right, and sure of it
    shuffled = TranscriptReader.fit(texts, list(np.random.default_rng(0).permutation(labels)), n_classes=6)
    shuffled.choose_weight(sure_head, val_texts, y, "accuracy")
    assert shuffled.weight == 0.0  # no weight beats the head alone; a tie keeps the smallest
    assert torch.equal(shuffled.fuse(sure_head, val_texts), sure_head)


def test_nothing_to_read_is_no_reader():
    assert TranscriptReader.fit(["", "  ", ""], [0, 1, 2], n_classes=3) is None  # an untrained head spells nothing
    assert TranscriptReader.fit(["metti la luce", "accendi la luce"], [1, 1], n_classes=3) is None
