"""Greedy CTC decoding and the transcript reader, written so that TorchScript compiles them.

They compute what `pipeline.alphabet.greedy_decode` and `TranscriptReader.log_probs` compute (the
reader through scikit-learn's TfidfVectorizer): character n-grams of 2 to 5 within each word padded
with spaces (`char_wb`), counted over the vocabulary, tf = 1 + ln(count), times idf, L2-normalized,
then a linear layer and log-softmax. Transcripts are already lower-case (the CTC alphabet has no
capitals), so the vectorizer's lower-casing has nothing to do. A test holds both to the reference.
"""

from typing import Dict  # noqa: UP035 - TorchScript reads the annotation

import torch
from torch import nn

from pipeline.alphabet import ALPHABET
from pipeline.inference.transcript_reader import NGRAMS, TranscriptReader

SPACE = ALPHABET.index(" ")
BASE = len(ALPHABET)  # an n-gram of alphabet indices as one integer: sum(index * BASE**position)


def greedy_paths(chars: torch.Tensor, steps: torch.Tensor) -> list[list[int]]:
    """Best path per clip as alphabet indices: argmax per step, repeats merged, blanks (0) dropped."""
    best = chars.argmax(-1)
    paths: list[list[int]] = []
    for row in range(best.shape[0]):
        path: list[int] = []
        previous = -1
        for step in range(int(steps[row])):
            index = int(best[row, step])
            if index != 0 and index != previous:
                path.append(index)
            previous = index
        paths.append(path)
    return paths


def spell(path: list[int], alphabet: list[str]) -> str:
    text = ""
    for index in path:
        text += alphabet[index]
    return text


def ngram_code(letters: list[int], base: int) -> int:
    code = 0
    for index in letters:
        code = code * base + index
    return code


def term_codes(terms: list[str]) -> dict[int, int]:
    """Each vocabulary n-gram as the integer of its alphabet indices -> its column. TorchScript strings
    are UTF-8 bytes (len and slices count bytes, and è is two), so n-grams are matched as indices; a
    term with a character outside the alphabet can never occur in a transcript and is left out."""
    index = {c: i for i, c in enumerate(ALPHABET) if i != 0}
    return {ngram_code([index[c] for c in term], BASE): column for column, term in enumerate(terms)
            if all(c in index for c in term)}  # fmt: skip


class ScriptedReader(nn.Module):
    """The reader's n-gram vocabulary and weights; forward fuses it with the intent head's logits."""

    vocabulary: Dict[int, int]  # noqa: UP006 - TorchScript reads the annotation

    def __init__(self, reader: "TranscriptReader | None", n_labels: int):
        super().__init__()
        self.vocabulary = term_codes(reader.terms) if reader is not None else {}
        terms = len(reader.terms) if reader is not None else 0
        self.register_buffer("idf", reader.idf.float().clone() if reader is not None else torch.zeros(0))
        self.register_buffer("coef", reader.coef.float().clone() if reader is not None else torch.zeros(n_labels, 0))
        self.register_buffer(
            "intercept", reader.intercept.float().clone() if reader is not None else torch.zeros(n_labels)
        )
        self.weight = float(reader.weight) if reader is not None else 0.0
        self.smallest, self.largest = NGRAMS
        self.terms = terms
        self.space, self.base = SPACE, BASE  # attributes: TorchScript reads no module globals

    def counts(self, paths: list[list[int]]) -> torch.Tensor:
        """[B, terms] how often each vocabulary n-gram occurs in each transcript (scikit-learn's char_wb)."""
        out = torch.zeros(len(paths), self.terms)
        for row, path in enumerate(paths):
            start = 0
            for end in range(len(path) + 1):  # words are runs between spaces (word lists are never aliased)
                if end < len(path) and path[end] != self.space:
                    continue
                if end > start:
                    padded = [self.space] + path[start:end] + [self.space]  # noqa: RUF005
                    for n in range(self.smallest, self.largest + 1):
                        offset = 0
                        while True:
                            column = self.vocabulary.get(ngram_code(padded[offset : offset + n], self.base), -1)
                            if column >= 0:
                                out[row, column] += 1.0
                            if offset + n >= len(padded):
                                break
                            offset += 1
                        if offset == 0:  # a word shorter than n counts once, then no longer n-grams
                            break
                start = end + 1
        return out

    def forward(self, logits: torch.Tensor, paths: list[list[int]]) -> torch.Tensor:
        """The product's scores: the intent head's logits, fused with the reader where its weight is not 0."""
        if self.weight == 0.0:
            return logits
        counts = self.counts(paths)
        tf = torch.where(counts > 0, 1.0 + torch.log(counts.clamp(min=1.0)), torch.zeros_like(counts)) * self.idf
        norm = torch.sqrt((tf * tf).sum(dim=1, keepdim=True))
        tf = tf / torch.where(norm > 0, norm, torch.ones_like(norm))
        reading = torch.log_softmax(tf @ self.coef.t() + self.intercept, dim=1)
        return torch.log_softmax(logits, dim=1) + self.weight * reading
