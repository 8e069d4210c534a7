"""Hostile recordings through the real CLI, download then featurize then train and evaluate: each is
skipped with its reason by the stage that finds it, or kept and converted to 16 kHz mono, and every
stage's counts add up (rows in = rows out + rows skipped)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf

from pipeline.features.reader import FeatureStore
from tests.corpus import dump_params, make_zenodo, read_split, tone, write_split
from tests.faults.helpers import leftovers, one_line_error

N = 45  # ids 1..N; rid % 3 picks the split: 0 train, 1 validation, 2 test


def wav_header_only(path: Path) -> None:
    sf.write(path, np.zeros(0, dtype="float32"), 16000)


def nonfinite(value: float):
    def write(path: Path) -> None:
        signal = tone(0.5).astype("float32")
        signal[200:210] = value
        sf.write(path, signal, 16000, subtype="FLOAT")

    return write


def truncated(path: Path) -> None:
    sf.write(path, tone(1.0), 16000)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 3])


# id -> (how the file is made, outcome): ("download", reason) / ("featurize", reason) / ("kept", rate, channels)
CASES = {
    1: (truncated, ("download", "corrupt")),
    4: (lambda p: p.write_bytes(b""), ("download", "empty")),
    7: (wav_header_only, ("download", "empty")),
    10: (nonfinite(np.nan), ("download", "non_finite")),
    13: (nonfinite(np.inf), ("download", "non_finite")),
    18: (lambda p: sf.write(p, np.zeros(8000), 16000), ("featurize", "silent")),
    19: (lambda p: sf.write(p, tone(0.8, rate=8000), 8000), ("kept", 8000, 1)),
    22: (lambda p: sf.write(p, tone(0.8, rate=44100), 44100), ("kept", 44100, 1)),
    25: (lambda p: sf.write(p, tone(0.8, channels=2), 16000), ("kept", 16000, 2)),
    28: (lambda p: sf.write(p, tone(0.8), 16000, subtype="PCM_24"), ("kept", 16000, 1)),
    31: (lambda p: sf.write(p, tone(0.05), 16000), ("kept", 16000, 1)),
    34: (lambda p: sf.write(p, tone(60.0), 16000), ("kept", 16000, 1)),
    37: (lambda p: p.write_text("RIFF? no: just a text file that says hello\n" * 40), ("download", "corrupt")),
    40: (lambda p: p.unlink(), ("download", "missing_file")),
    3: (lambda p: sf.write(p, tone(0.01), 16000), ("featurize", "too_short")),  # 160 samples < n_fft 400
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    make_zenodo(root / "corpus", n=N, intents=5)
    for rid, (make, _) in CASES.items():
        make(root / "corpus" / "recordings" / f"{rid}.wav")
    raw = {"source": "zenodo", "path": str(root / "corpus"), "max_skipped_fraction": 0.5, "configs": ["massive"]}
    params = {"data": raw, "model": {"channels": [8, 16]}, "train": {"epochs": 2, "batch_size": 4, "threads": 1}}
    dump_params(root / "params.yaml", params)
    return root


def stage(cli, root: Path, *args):
    return cli(*args, "--params", root / "params.yaml")


def expect(where: str) -> dict[int, str]:
    return {rid: outcome[1] for rid, (_, outcome) in CASES.items() if outcome[0] == where}


def test_download_skips_what_cannot_be_decoded_and_keeps_every_readable_format(cli, hostile):
    result = stage(cli, hostile, "download", "--out", hostile / "raw")
    assert result.exit_code == 0, result.output
    manifest = json.loads((hostile / "raw" / "manifest.json").read_text())
    skipped = expect("download")
    assert {s["id"]: s["reason"] for s in manifest["skipped"]} == skipped
    assert manifest["recordings"] == {"in": N, "out": N - len(skipped), "skipped": len(skipped)}
    reasons = ", ".join(f"{r} {n}" for r, n in sorted(manifest["skipped_by_reason"].items()))
    assert f"download: {N} in, {N - len(skipped)} out, {len(skipped)} skipped ({reasons});" in result.stderr
    rows = {r["id"]: r for shard in sorted((hostile / "raw").glob("recordings-*.parquet"))
            for r in pq.read_table(shard, columns=["id", "sampling_rate", "channels", "num_samples"]).to_pylist()}  # fmt: skip
    assert set(rows) == set(range(1, N + 1)) - set(skipped)
    for rid, (_, outcome) in CASES.items():
        if outcome[0] == "kept":
            assert (rows[rid]["sampling_rate"], rows[rid]["channels"]) == outcome[1:]
    assert rows[34]["num_samples"] == 60 * 16000
    for split in ("train", "validation", "test"):
        cell = manifest["splits"]["massive"][split]
        assert cell["listed"] == cell["kept"] + cell["skipped"] == len(read_split(hostile / "corpus", "massive", split))
    assert leftovers(hostile) == []


def test_featurize_skips_silent_and_too_short_clips_and_resamples_the_rest(cli, hostile):
    result = stage(cli, hostile, "featurize", "--raw", hostile / "raw", "--out", hostile / "features")
    assert result.exit_code == 0, result.output
    manifest = json.loads((hostile / "features" / "manifest.json").read_text())
    kept_by_download = N - len(expect("download"))
    skipped = expect("featurize")
    assert {s["id"]: s["reason"] for s in manifest["skipped"]} == skipped
    assert manifest["clips"] == {
        "in": kept_by_download,
        "out": kept_by_download - len(skipped),
        "skipped": len(skipped),
    }
    assert (
        f"featurize: {kept_by_download} in, {kept_by_download - len(skipped)} out, {len(skipped)} skipped"
        in result.stderr
    )
    store = FeatureStore(hostile / "features")
    seconds = {19: 0.8, 22: 0.8, 25: 0.8, 28: 0.8, 31: 0.05, 34: 60.0}
    for rid, duration in seconds.items():  # every clip at 16 kHz: 1 + samples // hop frames
        assert store.array(rid).shape == (64, 1 + round(duration * 16000) // 160)
    assert np.isfinite(store.array(22).astype(np.float32)).all()


def test_train_leaves_out_and_names_the_clips_without_features(cli, hostile):
    result = stage(cli, hostile, "train", "--config", "massive", "--features", hostile / "features",
                   "--raw", hostile / "raw", "--models", hostile / "models", "--results", hostile / "results")  # fmt: skip
    assert result.exit_code == 0, result.output
    train_ids = [r["id"] for r in read_split(hostile / "corpus", "massive", "train")]
    gone = set(expect("download"))
    listed = [i for i in train_ids if i not in gone]
    missing = {i: r for i, r in expect("featurize").items() if i in listed}
    assert missing == {3: "too_short", 18: "silent"}
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith(
        f"train massive (shared recipe): train {len(listed)} in, {len(listed) - 2} used, 2 (silent 1, too_short 1; ids 3, 18) "
        "skipped, no features; validation "
    )


def test_evaluate_refuses_a_test_split_with_clips_featurize_skipped(cli, hostile, tmp_path):
    corpus = hostile / "corpus"
    test_rows = read_split(corpus, "massive", "test")
    moved = next(r for r in read_split(corpus, "massive", "train") if r["id"] == 18)  # the silent clip
    write_split(corpus, "massive", "test", [*test_rows, moved])
    write_split(corpus, "massive", "train", [r for r in read_split(corpus, "massive", "train") if r["id"] != 18])
    for args in (("download", "--out", tmp_path / "raw"),
                 ("featurize", "--raw", tmp_path / "raw", "--out", tmp_path / "features")):  # fmt: skip
        assert stage(cli, hostile, *args).exit_code == 0
    listed = len(test_rows) + 1 - sum(1 for r in test_rows if r["id"] in expect("download"))
    line = one_line_error(stage(cli, hostile, "evaluate", "--config", "massive", "--model",
                                hostile / "models" / "massive" / "model.pt", "--features", tmp_path / "features",
                                "--raw", tmp_path / "raw", "--results", tmp_path / "results"))  # fmt: skip
    assert line == (
        f"evaluate massive: {listed} test clips listed, {listed - 1} with features, 1 (silent 1; ids 18) missing; "
        "featurize skipped them (data/features/manifest.json); fix those recordings, or score a split without them"
    )
    assert not (tmp_path / "results").exists()
