"""Every benchmark script the README names runs end to end on a tiny input and prints its comparison.

These are smoke tests: they check that a script still works with today's code and prints the ratio
or table it promises, never the figures themselves (those are measured on a quiet machine and
recorded in docs/experiments.md)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.evaluate.stage import run_evaluate
from tests.conftest import ROOT
from tests.corpus import trained_project

pytestmark = pytest.mark.slow


def bench(*args: str, timeout: int = 600, codes: tuple[int, ...] = (0,)) -> str:
    """Run benchmarks/<script> with this interpreter; it must exit with one of `codes`. Its stdout and
    stderr together."""
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode in codes, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = trained_project(tmp_path_factory.mktemp("bench"), ("massive",), n=36)
    run_evaluate("massive", root / "models" / "massive" / "model.pt", root / "features", root / "raw",
                 root / "results" / "massive" / "evaluate")  # fmt: skip
    return root


def test_resample_prints_soxr_against_torchaudio():
    # not 16,001 or 48,337 Hz: there torchaudio's kernel alone takes 4 and 13 GB
    out = bench("benchmarks/resample.py", "--seconds", "0.25", "--repeat", "1", "--rates", "8000", "44100")
    assert re.search(r"\| 44100 \| soxr \| [0-9.]+ \| [0-9.]+x", out), out


def test_text_ceiling_prints_both_template_sets_and_their_ratio():
    out = bench("benchmarks/text_ceiling.py", "--recordings", "400")
    assert re.search(r"\d+\.\d+x", out), out


def test_featurize_prints_its_speedup_over_per_clip_torchaudio():
    out = bench("benchmarks/featurize.py", "--clips", "24", "--repeat", "1", "--device", "cpu")
    assert re.search(r"speedup vs per-clip torchaudio: \d+\.\d+x", out), out


def test_train_prints_the_in_memory_input_path_against_on_the_fly(project):
    out = bench("benchmarks/train.py", "--steps", "2", "--batch-size", "4", "--workers", "1", "--device", "cpu",
                "--raw", str(project / "raw"), "--features", str(project / "features"))  # fmt: skip
    assert re.search(r"speedup vs on-the-fly: \d+\.\d+x", out), out


def test_models_trains_an_architecture_and_prints_its_table(project, tmp_path):
    out = bench("benchmarks/models.py", "--raw", str(project / "raw"), "--logmel", str(project / "features"),
                "--archs", "tcnn_pooled", "--epochs", "1", "--configs", "massive", "--device", "cpu",
                "--work", str(tmp_path), "--out", str(tmp_path / "runs.jsonl"))  # fmt: skip
    runs = [json.loads(line) for line in (tmp_path / "runs.jsonl").read_text().splitlines()]
    assert runs and runs[0]["arch"] == "tcnn_pooled", out


def test_precision_prints_both_precisions_and_their_ratio_per_arch(project):
    out = bench("benchmarks/precision.py", "--raw", str(project / "raw"), "--features", str(project / "features"),
                "--archs", "tcnn_pooled", "--steps", "2", "--warmup", "1", "--threads", "1")  # fmt: skip
    row = re.search(
        r"\| tcnn_pooled \| (\d+) \| (\d+) \| (\d+\.\d\d)× \| (\d+) \| (\d+) \| ([0-9.]+) / ([0-9.]+) \|", out
    )
    assert row, out
    fp32, bf16, ratio = int(row[1]), int(row[2]), float(row[3])
    assert fp32 > 0 and bf16 > 0 and ratio == pytest.approx(bf16 / fp32, rel=0.1)
    assert float(row[7]) == pytest.approx(float(row[6]), rel=0.05)  # the same step in either precision


def test_serve_compares_predict_with_every_export(project):
    out = bench("benchmarks/serve.py", "--model", str(project / "models" / "massive" / "model.pt"),
                "--raw", str(project / "raw"), "--repeat", "1")  # fmt: skip
    for runner in ("predict", "torchscript", "onnx fp32", "onnx int8"):
        assert f"| {runner} |" in out, out


def test_page_times_a_results_page_with_and_without_its_audio(project):
    if not shutil.which("chromedriver"):
        pytest.skip("no Chromium with chromedriver here; on Debian: apt install chromium chromium-driver")
    page = project / "results" / "massive" / "evaluate" / "index.html"
    out = bench("benchmarks/page.py", str(page), "--repeat", "1")
    assert re.search(r"load time with audio / without: \d+\.\d+x", out), out


def test_hostile_probes_run_through_the_cli_of_a_checkout(tmp_path):
    bench("benchmarks/hostile_probes.py", "--json", str(tmp_path / "probes.json"))
    probes = json.loads((tmp_path / "probes.json").read_text())
    assert len(probes) > 10 and all(outcome["code"] for outcome in probes.values())
    assert probes["synth --out a folder holding .git/ and params.yaml"]["code"] == "2"  # refused, nothing deleted


def test_scale_runs_every_stage_on_a_small_corpus_and_checks_its_budgets(tmp_path):
    # budgets meant for ITALIC's size may be missed on 400 recordings (exit 1); the run must still finish
    out = bench(
        "benchmarks/scale.py", "--recordings", "400", "--kinds", "logmel", "--work", str(tmp_path), codes=(0, 1)
    )
    assert re.search(r"budgets: (all met|\d+ missed)", out), out


def test_gpu_runs_its_stages_on_the_cpu_where_there_is_no_gpu(project, tmp_path):
    out = bench("benchmarks/gpu.py", "--raw", str(project / "raw"), "--epochs", "1", "--cpu-epochs", "1",
                "--predict-files", "4", "--export-files", "4", "--skip", "ddp", "profile",
                "--work", str(tmp_path), timeout=900)  # fmt: skip
    assert "featurize" in out and "train" in out, out


def test_voices_scores_one_model_on_every_voice_family_through_the_same_channel(project):
    out = bench("benchmarks/voices.py", "--model", f"m={project / 'models' / 'massive' / 'model.pt'}",
                "--recordings", "400", "--sentences", "3", "--workers", "1")  # fmt: skip
    rows = {line.split("|")[2].strip(): line for line in out.splitlines() if line.startswith("| m |")}
    assert {"espeak-ng", "kokoro"} <= set(rows), out
    assert set(rows) == {"espeak-ng", "kokoro", "festival pc", "festival lp"} or "festival rows skipped" in out
    assert rows["espeak-ng"].rstrip(" |").endswith("1.00×")


def test_cross_family_trains_on_each_family_alone_and_scores_both(synth_raw, tmp_path):
    from pipeline.features.stage import run_featurize
    from pipeline.params import FeatureParams
    from pipeline.splits import split_ids, voice_families

    run_featurize(FeatureParams(), 0.0, synth_raw, tmp_path / "features")
    out = bench("benchmarks/cross_family.py", "--raw", str(synth_raw), "--features", str(tmp_path / "features"),
                "--work", str(tmp_path / "work"), "--config", "hard_speaker", "--epochs", "1")  # fmt: skip
    rows = [line.split("|")[1:3] for line in out.splitlines() if re.match(r"\| (espeak-ng|kokoro) \|", line)]
    assert sorted((a.strip(), b.strip()) for a, b in rows) == [
        ("espeak-ng", "espeak-ng"), ("espeak-ng", "kokoro"), ("kokoro", "espeak-ng"), ("kokoro", "kokoro")
    ], out  # fmt: skip
    families = voice_families(synth_raw)
    for family in ("espeak-ng", "kokoro"):
        view = tmp_path / "work" / family / "raw"
        trained = split_ids("hard_speaker", "train", view) + split_ids("hard_speaker", "validation", view)
        assert {families[i] for i in trained} == {family}
        assert split_ids("hard_speaker", "test", view) == split_ids("hard_speaker", "test", synth_raw)
