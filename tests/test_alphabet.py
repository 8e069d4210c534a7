"""CTC targets and decoding: the alphabet round-trips Italian text; everything else maps as documented."""

from __future__ import annotations

import torch

from pipeline import alphabet
from pipeline.alphabet import ALPHABET, BLANK, LETTERS


def test_italian_text_round_trips_through_targets_and_decoding():
    text = "svegliami alle nove e un quarto, perché l'allarme è già lì: più tardi sarò là"
    expected = "svegliami alle nove e un quarto perché l'allarme è già lì più tardi sarò là"
    assert alphabet.normalize_text(text) == expected
    assert alphabet.decode(alphabet.encode(text)) == expected
    assert len(ALPHABET) == len(LETTERS) + 1 and ALPHABET[BLANK] == "<blank>"


def test_unknown_characters_map_as_documented():
    assert alphabet.normalize_text("Ciao  MONDO!") == "ciao mondo"  # lower-case, punctuation -> space, collapsed
    assert alphabet.normalize_text("Håkon Muñoz façade") == "hakon munoz facade"  # diacritics outside -> base
    assert alphabet.normalize_text("dell’acqua `e") == "dell'acqua 'e"  # typographic apostrophes
    assert alphabet.normalize_text("alle 7:30 €5") == "alle"  # digits and symbols -> space
    assert alphabet.normalize_text(None) == "" and alphabet.encode("") == []
    assert alphabet.unknown_characters("alle 7:30, Håkon!") == {"7", ":", "3", "0", ",", "!"}


def test_targets_pad_with_zero_and_keep_each_length():
    targets, lengths = alphabet.targets(["sì", None, "ok là"])
    assert lengths.tolist() == [2, 0, 5]
    assert alphabet.decode(targets[0, :2].tolist()) == "sì" and targets[0, 2:].eq(0).all()
    assert alphabet.decode(targets[2].tolist()) == "ok là"


def test_greedy_decoding_merges_repeats_and_drops_blanks_within_each_length():
    s, i, a = (alphabet.INDEX[c] for c in "sia")
    path = torch.tensor([[s, s, BLANK, i, i, a, BLANK, a, a, s], [a, BLANK, BLANK, a, s, s, s, s, s, s]])
    log_probs = torch.nn.functional.one_hot(path, len(ALPHABET)).float().log()
    assert alphabet.greedy_decode(log_probs, torch.tensor([9, 4])) == ["siaa", "aa"]


def test_character_error_rate_counts_edits_over_reference_characters():
    cer, clips = alphabet.character_error_rate(["ciao", "", "sveglia"], ["cia", "ignored", "sveglio"])
    assert clips == 2 and cer == 2 / 11
