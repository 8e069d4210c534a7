"""The validation split training selects epochs on: ITALIC's own, or train speakers held out whole, so
`train.val_split: speaker` measures how the model does on voices it never trained on."""

from __future__ import annotations

import pytest

from pipeline.errors import StageParamsError
from pipeline.params import TrainParams
from pipeline.splits import recording_metadata, split_ids
from pipeline.train.data import choose_ids


def test_italic_validation_is_the_configs_own_split(synth_raw):
    train_ids, val_ids = choose_ids("massive", TrainParams(val_split="italic"), 0, synth_raw)
    assert train_ids == split_ids("massive", "train", synth_raw)
    assert val_ids == split_ids("massive", "validation", synth_raw)


def test_a_speaker_hold_out_splits_train_by_whole_speakers(synth_raw):
    train = TrainParams(val_split="speaker", val_fraction=0.2)
    train_ids, val_ids = choose_ids("massive", train, 7, synth_raw)
    speaker_of = {rid: row["speaker_id"] for rid, row in recording_metadata(["speaker_id"], synth_raw).items()}
    listed = split_ids("massive", "train", synth_raw)
    assert sorted(train_ids + val_ids) == listed
    train_speakers, val_speakers = {speaker_of[i] for i in train_ids}, {speaker_of[i] for i in val_ids}
    assert not train_speakers & val_speakers
    assert len(val_speakers) == round(len(train_speakers | val_speakers) * 0.2)
    assert choose_ids("massive", train, 7, synth_raw) == (train_ids, val_ids)  # the seed fixes it
    others = [choose_ids("massive", train, seed, synth_raw)[1] for seed in (8, 9)]
    assert any(other != val_ids for other in others)


def test_holding_out_every_speaker_is_a_params_error_naming_the_key(synth_raw):
    speakers = {row["speaker_id"] for row in recording_metadata(["speaker_id"], synth_raw).values()}
    assert len(speakers) < 500  # so 0.999 rounds to all of them
    with pytest.raises(
        StageParamsError, match=r"^train.val_fraction 0.999 holds out all \d+ train speakers of massive"
    ):
        choose_ids("massive", TrainParams(val_split="speaker", val_fraction=0.999), 0, synth_raw)
