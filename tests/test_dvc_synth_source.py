"""`dvc repro` on the default source: the corpus synthesized, trained on and scored, in a project of
its own (its own file, so that a parallel test run can give it a worker of its own)."""

from __future__ import annotations

import json

from tests.conftest import SYNTH_KOKORO_SHARE
from tests.dvc_project import make_project, sh


def test_dvc_repro_on_the_default_synthetic_source_synthesizes_trains_and_scores_held_out_phrasings(tmp_path):
    from pipeline.synth.plan import minimum_recordings, plan_corpus

    size = minimum_recordings()
    repo = make_project(tmp_path / "synth", data={"source": "synth", "synth_recordings": size, "path": None,
                                                  "synth_kokoro_share": SYNTH_KOKORO_SHARE})  # fmt: skip
    result = sh(repo, "dvc", "repro")
    assert f"download: {size} in, {size} out, 0 skipped" in result.stderr + result.stdout
    raw = json.loads((repo / "data" / "raw" / "manifest.json").read_text())
    assert raw["source"].startswith(f"synth {size} recordings, seed 20231124, espeak-ng")
    assert (repo / "data" / "raw" / "synth.parquet").is_file()
    plan = plan_corpus(size, 20231124, SYNTH_KOKORO_SHARE)
    expected = plan.sizes()
    for config in ("massive", "hard_speaker", "hard_noisy"):
        evaluated = json.loads((repo / "results" / config / "evaluate" / "metrics.json").read_text())
        assert evaluated["clips"] == expected[config]["test"] == raw["splits"][config]["test"]["kept"]
    details = json.loads((repo / "results" / "hard_speaker" / "evaluate" / "details.json").read_text())
    test = [r for r in plan.recordings if r.split("hard_speaker") == "test"]
    assert set(details["slices"]["voice_family"]) == {r.speaker.family for r in test} == {"espeak-ng", "kokoro"}
    assert sum(cell["clips"] for cell in details["cer_by_family"].values()) == len(test)
    assert "up to date" in sh(repo, "dvc", "status").stdout
