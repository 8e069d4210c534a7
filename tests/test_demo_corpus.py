"""The committed demo corpus is a faithful, hard-enough stand-in for ITALIC."""

from __future__ import annotations

import json
import shutil
from collections import Counter, defaultdict

import numpy as np
import pytest
import soundfile as sf

from pipeline.demo.templates import TEMPLATES
from pipeline.italic import CONFIGS, METADATA_COLUMNS, SPLITS
from pipeline.labels import INTENTS
from tests.conftest import DEMO
from tests.corpus import read_split

GENERATION = json.loads((DEMO / "generation.json").read_text())
RECORDINGS = {r["id"]: r for r in GENERATION["recordings"]}


def rows(config: str, split: str) -> list[dict]:
    return read_split(DEMO, config, split)


def test_every_intent_has_at_least_30_recordings_from_at_least_6_templates():
    per_intent = Counter(r["intent"] for r in RECORDINGS.values())
    assert set(per_intent) == set(INTENTS)
    assert min(per_intent.values()) >= 30
    templates_used = defaultdict(set)
    for r in RECORDINGS.values():
        templates_used[r["intent"]].add(r["template_index"])
    assert all(len(used) >= 6 for used in templates_used.values())
    assert all(len(TEMPLATES[i]) >= 6 for i in INTENTS)


def test_utterances_vary_within_an_intent():
    utts = defaultdict(set)
    for r in rows("massive", "train") + rows("massive", "validation") + rows("massive", "test"):
        utts[r["intent"]].add(r["utt"])
    # slot filling makes most recordings of an intent say a different sentence
    assert np.median([len(u) for u in utts.values()]) >= 15


def test_each_config_partitions_all_recordings_and_rows_carry_every_italic_column():
    for config in CONFIGS:
        ids = [r["id"] for split in SPLITS for r in rows(config, split)]
        assert sorted(ids) == sorted(RECORDINGS), config
        for split in SPLITS:
            for row in rows(config, split):
                assert list(row) == list(METADATA_COLUMNS)
                assert row["intent"] == RECORDINGS[row["id"]]["intent"]


def test_massive_is_a_random_70_12_18_split_covering_every_intent():
    total = len(RECORDINGS)
    for split, fraction in (("train", 0.70), ("validation", 0.12), ("test", 0.18)):
        part = rows("massive", split)
        assert abs(len(part) / total - fraction) < 0.02
        assert {r["intent"] for r in part} == set(INTENTS)


def test_hard_speaker_pools_are_disjoint_and_there_are_at_least_16_speakers():
    speakers = {split: {r["speaker_id"] for r in rows("hard_speaker", split)} for split in SPLITS}
    assert len(set().union(*speakers.values())) >= 16
    assert not speakers["train"] & speakers["validation"]
    assert not speakers["train"] & speakers["test"]
    assert not speakers["validation"] & speakers["test"]
    assert {r["intent"] for r in rows("hard_speaker", "test")} == set(INTENTS)


def test_hard_noisy_test_holds_only_the_noisiest_recordings():
    test = rows("hard_noisy", "test")
    assert test and all(r["environment"] == "noisy" for r in test)
    rest_snr = defaultdict(list)
    for split in ("train", "validation"):
        for r in rows("hard_noisy", split):
            if RECORDINGS[r["id"]]["snr_db"] is not None:
                rest_snr[r["intent"]].append(RECORDINGS[r["id"]]["snr_db"])
    for r in test:
        # within its intent, every test recording is at least as noisy as any noisy train/validation one
        assert RECORDINGS[r["id"]]["snr_db"] <= min(rest_snr[r["intent"]])
    assert {r["intent"] for r in test} == set(INTENTS)


def test_noise_snr_device_and_speaker_metadata_vary():
    noisy = [r for r in RECORDINGS.values() if r["noise"]]
    assert len({r["noise"] for r in noisy}) >= 4
    assert len({round(r["snr_db"]) for r in noisy}) >= 10
    all_rows = [r for split in SPLITS for r in rows("massive", split)]
    assert {r["device"] for r in all_rows} == {"phone", "laptop"}
    assert {r["environment"] for r in all_rows} == {"silent", "noisy"}
    assert {r["gender"] for r in all_rows} == {"female", "male"}
    assert len({r["region"] for r in all_rows}) >= 8
    assert all(18 <= r["age"] <= 90 for r in all_rows)


def test_audio_files_exist_decode_at_16_khz_and_fit_in_25_mb():
    files = sorted((DEMO / "recordings").iterdir())
    assert {int(p.stem) for p in files} == set(RECORDINGS)
    total_bytes = sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file())
    assert total_bytes <= 25_000_000
    durations = []
    for path in files:
        info = sf.info(path)
        assert (info.samplerate, info.channels, info.format, info.subtype) == (16000, 1, "OGG", "OPUS")
        durations.append(info.duration)
    assert 1.5 < np.mean(durations) < 4.0


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None,
    reason="regenerating the demo needs espeak-ng and sox",
)
def test_the_generator_is_reproducible_from_its_seed(tmp_path):
    from pipeline.demo.generate import generate

    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(first, seed=7, per_intent=2, workers=2)
    generate(second, seed=7, per_intent=2, workers=2)
    generate(other, seed=8, per_intent=2, workers=2)
    names = sorted(p.name for p in first.glob("*.json"))
    assert len(names) == 10
    for name in names:
        assert (first / name).read_text() == (second / name).read_text(), name
    assert (first / "generation.json").read_text() != (other / "generation.json").read_text()
    assert (first / "hard_speaker_train.json").read_text() != (other / "hard_speaker_train.json").read_text()
    for rid in (1, 17, 120):
        a, _ = sf.read(first / "recordings" / f"{rid}.ogg")
        b, _ = sf.read(second / "recordings" / f"{rid}.ogg")
        np.testing.assert_array_equal(a, b)
