"""The characters the CTC head spells transcripts with, and the mapping of any text onto them.

The alphabet is fixed here (never read from data, so two corpora give the same head) and stored in
every checkpoint. Index 0 is the CTC blank. Normalisation, in order:
- lower-case, Unicode NFC;
- a letter outside the alphabet loses its diacritic when that leaves one inside it (å -> a, ñ -> n,
  ç -> c); typographic apostrophes (’ ‘ `) become ';
- every other character (digits, punctuation, symbols) becomes a space, and runs of spaces collapse to
  one, trimmed at both ends.
`unknown_characters` tells a caller what a text lost, so nothing is dropped silently.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import torch
import torchaudio

BLANK = 0
# Italian letters, the accented vowels Italian writes, the apostrophe of elisions (l'allarme) and space
LETTERS = " '" + "abcdefghijklmnopqrstuvwxyz" + "àèéìíîòóùú"
ALPHABET = ("<blank>", *LETTERS)
INDEX = {c: i for i, c in enumerate(ALPHABET) if i != BLANK}
APOSTROPHES = {"’": "'", "‘": "'", "`": "'", "´": "'"}


def _fold(character: str) -> str:
    if character in INDEX:
        return character
    if character in APOSTROPHES:
        return APOSTROPHES[character]
    base = unicodedata.normalize("NFKD", character)[:1]
    return base if base in INDEX and base != " " else " "


def normalize_text(text: str | None) -> str:
    """The transcript as the head spells it (see the module docstring); None -> ""."""
    if not text:
        return ""
    folded = "".join(_fold(c) for c in unicodedata.normalize("NFC", text.lower()))
    return " ".join(folded.split())


def unknown_characters(text: str | None) -> set[str]:
    """Characters of `text` that normalisation turns into a space (not whitespace itself)."""
    lowered = unicodedata.normalize("NFC", (text or "").lower())
    return {c for c in lowered if not c.isspace() and _fold(c) == " "}


def encode(text: str | None) -> list[int]:
    """Indices into ALPHABET of the normalised transcript; [] when there is none."""
    return [INDEX[c] for c in normalize_text(text)]


def decode(indices: Sequence[int]) -> str:
    return "".join(ALPHABET[i] for i in indices if i != BLANK)


def greedy_decode(log_probs: torch.Tensor, lengths: torch.Tensor) -> list[str]:
    """Best path per clip: argmax per step, repeats merged, blanks dropped. log_probs [B, T, len(ALPHABET)]."""
    best = log_probs.argmax(dim=-1).cpu()
    texts = []
    for row, length in zip(best, lengths.cpu().tolist(), strict=True):
        path = row[: int(length)].tolist()
        merged = [c for i, c in enumerate(path) if c != BLANK and (i == 0 or c != path[i - 1])]
        texts.append(" ".join(decode(merged).split()))
    return texts


def targets(texts: Sequence[str | None]) -> tuple[torch.Tensor, torch.Tensor]:
    """Padded CTC targets [N, longest] (0 past each end) and their lengths [N]; an empty transcript has length 0."""
    encoded = [encode(t) for t in texts]
    width = max((len(e) for e in encoded), default=0)
    padded = torch.zeros(len(encoded), max(width, 1), dtype=torch.long)
    for i, e in enumerate(encoded):
        padded[i, : len(e)] = torch.tensor(e, dtype=torch.long)
    return padded, torch.tensor([len(e) for e in encoded], dtype=torch.long)


def character_error_rate(references: Sequence[str], hypotheses: Sequence[str]) -> tuple[float, int]:
    """(character edits / reference characters, clips scored) over the clips that have a reference."""
    edits = characters = clips = 0
    for reference, hypothesis in zip(references, hypotheses, strict=True):
        if not reference:
            continue
        edits += torchaudio.functional.edit_distance(reference, hypothesis)
        characters += len(reference)
        clips += 1
    return (edits / characters if characters else float("nan")), clips
