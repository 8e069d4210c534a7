"""The download stage on the synthetic corpus, on tiny zenodo folders, and on every bad input it names."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf

from pipeline.italic import CONFIGS, METADATA_COLUMNS, SPLITS, split_file_name
from tests.conftest import one_line_error
from tests.corpus import make_zenodo, meta_row, read_split, tone, write_params, write_split


def run(cli, tmp_path: Path, corpus: Path, **data):
    params = write_params(tmp_path / "params.yaml", source="zenodo", path=str(corpus), **data)
    return cli("download", "--params", params, "--out", tmp_path / "raw")


def recordings(raw: Path) -> list[dict]:
    rows = []
    for shard in sorted(raw.glob("recordings-*.parquet")):
        rows += pq.read_table(shard).to_pylist()
    return rows


def test_the_synthetic_corpus_becomes_a_raw_table_whose_manifest_matches_its_splits(synth_raw):
    manifest = json.loads((synth_raw / "manifest.json").read_text())
    splits = pq.read_table(synth_raw / "splits.parquet").to_pylist()
    listed = {(r["id"], r["config"], r["split"]) for r in splits}
    ids = sorted({i for i, _, _ in listed})
    assert len(listed) == len(splits) == 3 * len(ids)  # every recording in every config
    assert manifest["recordings"] == {"in": len(ids), "out": len(ids), "skipped": 0}
    for c in CONFIGS:
        for s in SPLITS:
            n = sum(1 for _, config, split in listed if (config, split) == (c, s))
            assert manifest["splits"][c][s] == {"listed": n, "kept": n, "skipped": 0}
    assert manifest["intents_missing"] == [] and min(manifest["intents"].values()) >= 8
    assert manifest["sample_rates"] == {"16000": len(ids)} and manifest["channels"] == {"1": len(ids)}
    rows = recordings(synth_raw)
    assert [r["id"] for r in rows] == ids  # each recording once, sorted by id
    first = rows[0]
    samples, rate = sf.read(io.BytesIO(first["audio"]["bytes"]))
    assert rate == 16000 and first["num_samples"] == len(samples)
    assert first["duration_s"] == pytest.approx(len(samples) / 16000, abs=1e-3)
    assert manifest["audio_seconds"] == pytest.approx(sum(r["duration_s"] for r in rows), rel=1e-4)


def test_raw_table_reads_back_through_datasets_with_the_audio_type(tmp_path, cli):
    import datasets

    corpus = tmp_path / "corpus"
    make_zenodo(corpus, n=9)
    assert run(cli, tmp_path, corpus).exit_code == 0
    files = sorted(str(p) for p in (tmp_path / "raw").glob("recordings-*.parquet"))
    ds = datasets.load_dataset("parquet", data_files={"train": files}, split="train")
    assert isinstance(ds.features["audio"], datasets.Audio) and ds.features["audio"].decode is False
    assert ds.column_names[: len(METADATA_COLUMNS)] == list(METADATA_COLUMNS)
    assert ds["id"] == list(range(1, 10))
    samples, rate = sf.read(io.BytesIO(ds[3]["audio"]["bytes"]))
    expected, _ = sf.read(corpus / "recordings" / "4.wav")
    assert rate == 16000
    np.testing.assert_allclose(samples, expected)


def test_any_soundfile_format_rate_and_channel_count_is_kept_and_recorded(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus, n=6)
    (corpus / "recordings" / "2.wav").unlink()
    sf.write(corpus / "recordings" / "2.flac", tone(0.5, rate=44100, channels=2), 44100, subtype="PCM_24")
    (corpus / "recordings" / "3.wav").unlink()
    sf.write(corpus / "recordings" / "3.wav", tone(0.5, rate=8000), 8000)
    assert run(cli, tmp_path, corpus).exit_code == 0
    by_id = {r["id"]: r for r in recordings(tmp_path / "raw")}
    assert (by_id[2]["sampling_rate"], by_id[2]["channels"], by_id[2]["audio"]["path"]) == (
        44100,
        2,
        "recordings/2.flac",
    )
    assert (by_id[3]["sampling_rate"], by_id[3]["channels"]) == (8000, 1)
    assert by_id[2]["num_samples"] == 22050
    manifest = json.loads((tmp_path / "raw" / "manifest.json").read_text())
    assert manifest["sample_rates"] == {"8000": 1, "16000": 4, "44100": 1}
    assert manifest["channels"] == {"1": 5, "2": 1}


def damage(corpus: Path) -> dict[int, str]:
    """Break five of the recordings, each in another way; returns id -> expected skip reason."""
    rec = corpus / "recordings"
    (rec / "1.wav").write_bytes(b"")
    (rec / "2.wav").write_bytes(b"this is not audio at all" * 20)
    whole = (rec / "3.wav").read_bytes()
    (rec / "3.wav").write_bytes(whole[: len(whole) // 2])
    nan = tone(0.3).astype("float32")
    nan[100] = np.nan
    sf.write(rec / "4.wav", nan, 16000, subtype="FLOAT")
    (rec / "5.wav").unlink()
    return {1: "empty", 2: "corrupt", 3: "corrupt", 4: "non_finite", 5: "missing_file"}


def test_bad_recordings_are_skipped_counted_by_reason_and_listed_by_id(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus, n=20)
    expected = damage(corpus)
    result = run(cli, tmp_path, corpus, max_skipped_fraction=0.3)
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "raw" / "manifest.json").read_text())
    assert manifest["recordings"] == {"in": 20, "out": 15, "skipped": 5}
    assert manifest["skipped_by_reason"] == {"corrupt": 2, "empty": 1, "missing_file": 1, "non_finite": 1}
    assert {s["id"]: s["reason"] for s in manifest["skipped"]} == expected
    assert "truncated" in next(s["detail"] for s in manifest["skipped"] if s["id"] == 3)
    for config in CONFIGS:
        for split in SPLITS:
            cell = manifest["splits"][config][split]
            assert cell["listed"] == cell["kept"] + cell["skipped"]
    assert sum(manifest["splits"]["massive"][s]["skipped"] for s in SPLITS) == 5
    assert {r["id"] for r in recordings(tmp_path / "raw")} == set(range(6, 21))
    assert not {r["id"] for r in pq.read_table(tmp_path / "raw" / "splits.parquet").to_pylist()} & set(expected)
    summary = result.stderr.strip().splitlines()[-1]
    assert "20 in, 15 out, 5 skipped (corrupt 2, empty 1, missing_file 1, non_finite 1)" in summary


def test_too_many_bad_recordings_fail_the_stage_and_leave_the_old_output_intact(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus, n=20)
    assert run(cli, tmp_path, corpus).exit_code == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "raw").iterdir()}
    damage(corpus)
    line = one_line_error(run(cli, tmp_path, corpus))
    assert line == (
        "error: download: 5 of 20 recordings unusable (25.0% > data.max_skipped_fraction 0.01): "
        "corrupt 2, empty 1, missing_file 1, non_finite 1 (ids 1, 2, 3, 4, 5); "
        "fix or remove those files, or raise data.max_skipped_fraction in params.yaml"
    )
    assert {p.name: p.read_bytes() for p in (tmp_path / "raw").iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_missing_data_path(tmp_path, cli):
    line = one_line_error(run(cli, tmp_path, tmp_path / "nowhere"))
    assert f"data.path '{tmp_path / 'nowhere'}' is not a folder" in line
    assert "zenodo.org/records/8040649" in line
    assert not (tmp_path / "raw").exists()


def test_missing_split_file(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus)
    (corpus / split_file_name("hard_noisy", "validation")).unlink()
    line = one_line_error(run(cli, tmp_path, corpus))
    assert f"error: {corpus}: missing split file hard_noisy_validation.json;" in line
    assert not (tmp_path / "raw").exists()


def test_unknown_intent_names_the_row_id_and_value(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus)
    rows = read_split(corpus, "massive", "test")
    rows[1]["intent"] = "alarm_snooze"
    write_split(corpus, "massive", "test", rows)
    line = one_line_error(run(cli, tmp_path, corpus))
    assert line == (
        f"error: massive_test.json line 2: row id {rows[1]['id']} has unknown intent 'alarm_snooze'; "
        "allowed: the 60 MASSIVE intents (pipeline/labels.py)"
    )


def test_duplicate_id_within_a_config(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus)
    train = read_split(corpus, "hard_speaker", "train")
    write_split(corpus, "hard_speaker", "validation", [*read_split(corpus, "hard_speaker", "validation"), train[0]])
    line = one_line_error(run(cli, tmp_path, corpus))
    assert f"duplicate id {train[0]['id']} in config hard_speaker (first at hard_speaker_train.json line 1)" in line


def test_same_id_with_other_metadata_in_another_config(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus)
    rows = read_split(corpus, "hard_noisy", "train")
    rows[0]["utt"] = "un'altra frase"
    write_split(corpus, "hard_noisy", "train", rows)
    line = one_line_error(run(cli, tmp_path, corpus))
    assert f"hard_noisy_train.json line 1: id {rows[0]['id']} has other utt than at massive_train.json line 1" in line


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r.pop("speaker_id"), "massive_train.json line 1: missing column speaker_id;"),
        (lambda r: r.update(id="3"), "massive_train.json line 1: column id must be an integer, got '3'"),
        (lambda r: r.update(utt=42), "massive_train.json line 1: column utt must be a string, got 42"),
        (lambda r: r.update(scenario="music"), "has scenario 'music' but intent"),
    ],
)
def test_bad_metadata_rows(tmp_path, cli, mutate, expected):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus)
    rows = read_split(corpus, "massive", "train")
    mutate(rows[0])
    write_split(corpus, "massive", "train", rows)
    assert expected in one_line_error(run(cli, tmp_path, corpus))


def test_empty_and_non_json_split_files(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus)
    (corpus / "massive_test.json").write_text("\n")
    assert "massive_test.json: empty split file" in one_line_error(run(cli, tmp_path, corpus))
    (corpus / "massive_test.json").write_text("id,intent\n1,alarm_set\n")
    assert "massive_test.json line 1: not JSON" in one_line_error(run(cli, tmp_path, corpus))


def test_output_folder_is_readable_like_any_other(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus, n=3)
    assert run(cli, tmp_path, corpus).exit_code == 0
    mode = (tmp_path / "raw").stat().st_mode & 0o777
    assert mode == 0o777 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_meta_row_helper_matches_italic_columns():
    assert list(meta_row(1)) == list(METADATA_COLUMNS)
