"""Feature values, storage and the featurize stage (tiny raw tables built in tmp_path)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import soundfile as sf
import torch
import torchaudio

from pipeline.audio import AudioInfo, AudioProblem, probe
from pipeline.download.raw_table import ShardWriter
from pipeline.errors import DataError, ParamsError
from pipeline.features.reader import FeatureStore
from pipeline.features.shards import FeatureShardWriter, encode, feature_schema
from pipeline.features.stage import Featurized, featurized_units, run_featurize
from pipeline.features.transform import FeatureExtractor, prepare_waveform
from pipeline.params import FeatureParams, parse_params
from tests.corpus import meta_row, tone


def wav_bytes(samples: np.ndarray, rate: int = 16000, subtype: str = "PCM_16") -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, samples, rate, format="WAV", subtype=subtype)
    return buffer.getvalue()


def make_raw(folder: Path, clips: dict[int, bytes]) -> Path:
    """A data/raw table holding exactly `clips` (id -> encoded audio), bypassing download's checks."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = ShardWriter(folder)
    for rid, data in sorted(clips.items()):
        writer.add_recording(meta_row(rid), AudioInfo(16000, 1, 1), data, f"recordings/{rid}.wav")
    writer.close()
    return folder


def sine(freq: float, seconds: float = 1.0, rate: int = 16000) -> torch.Tensor:
    t = torch.arange(int(seconds * rate)) / rate
    return 0.5 * torch.sin(2 * torch.pi * freq * t)


@pytest.mark.parametrize("freq", [300.0, 1000.0, 2500.0, 5000.0])
def test_log_mel_of_a_tone_peaks_in_the_mel_bin_of_its_frequency(freq):
    params = FeatureParams()
    logmel = FeatureExtractor(params).batch([sine(freq)])[0]
    # HTK mel scale: 64 triangular filters with centres evenly spaced in mel between 0 and 8 kHz
    mel = 2595 * np.log10(1 + freq / 700)
    centres = np.linspace(0, 2595 * np.log10(1 + 8000 / 700), 64 + 2)[1:-1]
    bin_of_freq = int(np.argmin(np.abs(centres - mel)))
    assert int(logmel.mean(dim=1).argmax()) == bin_of_freq
    # and the peak stands far above the bins away from it
    assert float(logmel.mean(dim=1).max() - logmel.mean(dim=1)[(bin_of_freq + 32) % 64]) > 5.0


def test_stft_of_a_tone_peaks_in_its_fft_bin():
    stft = FeatureExtractor(FeatureParams(kind="stft")).batch([sine(1000.0)])[0]
    assert stft.shape[0] == 201
    assert int(stft.mean(dim=1).argmax()) == round(1000 / 8000 * 200)


def test_features_match_torchaudio_reference_transforms():
    wave = torch.randn(20000) * 0.1
    mel = torchaudio.transforms.MelSpectrogram(16000, n_fft=400, hop_length=160, n_mels=64)(wave)
    db = torchaudio.transforms.AmplitudeToDB("power", top_db=80)(mel)
    ours_db = FeatureExtractor(FeatureParams(log="db")).batch([wave])[0]
    torch.testing.assert_close(ours_db, db, atol=1e-4, rtol=0)
    ours_ln = FeatureExtractor(FeatureParams()).batch([wave])[0]
    torch.testing.assert_close(ours_ln, db * np.log(10) / 10, atol=1e-4, rtol=0)
    mfcc = torchaudio.transforms.MFCC(16000, 40, melkwargs={"n_fft": 400, "hop_length": 160, "n_mels": 64})(wave)
    torch.testing.assert_close(FeatureExtractor(FeatureParams(kind="mfcc", log="db")).batch([wave])[0], mfcc,
                               atol=1e-3, rtol=0)  # fmt: skip


@pytest.mark.parametrize("kind", ["logmel", "stft", "mfcc", "waveform"])
def test_a_clip_alone_and_in_a_batch_gives_the_same_features(kind):
    extractor = FeatureExtractor(FeatureParams(kind=kind))
    waves = [torch.randn(n) * 0.2 for n in (4000, 16000, 9001)]
    batched = extractor.batch(waves)
    for wave, together in zip(waves, batched, strict=True):
        alone = extractor.batch([wave])[0]
        assert together.shape == alone.shape == (extractor.n_bins(), extractor.n_frames(len(wave)))
        torch.testing.assert_close(together, alone, atol=1e-5, rtol=0)


def test_float16_round_trip_error_on_log_mels_is_below_0_01(tmp_path):
    params = FeatureParams()
    extractor = FeatureExtractor(params)
    waves = [torch.from_numpy(tone(1.5, seed=s).astype(np.float32)) for s in range(5)] + [torch.randn(24000) * 0.05]
    exact = extractor.batch(waves)
    writer = FeatureShardWriter(tmp_path, params.metadata(), shard_rows=4)
    for rid, feat in enumerate(exact, start=1):
        writer.add_array(rid, feat.numpy(), 1.0)
    assert writer.close() == ["features-00000.parquet", "features-00001.parquet"]
    store = FeatureStore(tmp_path, expected=params.metadata())
    worst = max(float(np.abs(store.array(i + 1).astype(np.float32) - e.numpy()).max()) for i, e in enumerate(exact))
    assert 0 < worst < 1e-2


def test_a_shard_written_then_read_equals_its_input_and_selects_by_id(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {rid: rng.standard_normal((7, 3 + rid)).astype(np.float16) for rid in (3, 5, 8, 13)}
    writer = FeatureShardWriter(tmp_path, {"kind": "test"}, shard_rows=3)
    for rid, array in arrays.items():
        writer.add_array(rid, array, 0.5)
    writer.close()
    store = FeatureStore(tmp_path, expected={"kind": "test"})
    assert store.ids.tolist() == [3, 5, 8, 13]
    for rid, array in arrays.items():
        np.testing.assert_array_equal(store.array(rid), array)
    selected = store.arrays([13, 3])
    np.testing.assert_array_equal(selected[0], arrays[13])
    frames, starts, lengths = store.packed([5, 13])
    assert frames.shape == (8 + 16, 7) and starts.tolist() == [0, 8] and lengths.tolist() == [8, 16]
    np.testing.assert_array_equal(frames[:8].numpy().T, arrays[5])
    np.testing.assert_array_equal(frames[8:].numpy().T, arrays[13])
    with pytest.raises(DataError, match=r"2 of 3 requested ids have no features \(ids 4, 99\)"):
        store.rows_of([3, 4, 99])


def test_shards_made_with_other_parameters_are_refused(tmp_path):
    made = FeatureParams(n_mels=64)
    writer = FeatureShardWriter(tmp_path, made.metadata(), shard_rows=10)
    writer.add_array(1, np.zeros((64, 5), np.float16), 0.1)
    writer.close()
    with pytest.raises(DataError) as info:
        FeatureStore(tmp_path, expected=FeatureParams(n_mels=40).metadata())
    message = str(info.value)
    assert "n_mels=64 (wanted 40)" in message and "re-run `dvc repro featurize`" in message
    assert "\n" not in message


def test_featurize_stage_writes_every_kind_with_the_right_shapes(tmp_path):
    clips = {rid: wav_bytes(tone(0.5 + 0.1 * rid, seed=rid)) for rid in range(1, 6)}
    clips[6] = wav_bytes(np.stack([tone(0.7, rate=44100)] * 2, axis=1), rate=44100, subtype="PCM_24")
    raw = make_raw(tmp_path / "raw", clips)
    for kind, n_bins in (("logmel", 64), ("stft", 201), ("mfcc", 40), ("waveform", 1)):
        params = FeatureParams(kind=kind)
        out = tmp_path / f"features-{kind}"
        result = run_featurize(params, 0.0, raw, out)
        assert result.manifest["clips"] == {"in": 6, "out": 6, "skipped": 0}
        store = FeatureStore(out, expected=params.metadata())
        assert store.ids.tolist() == [1, 2, 3, 4, 5, 6]
        for rid in range(1, 6):
            samples = int((0.5 + 0.1 * rid) * 16000)
            frames = samples if kind == "waveform" else 1 + samples // 160
            assert store.array(rid).shape == (n_bins, frames)
        # the 44.1 kHz stereo clip was downmixed and resampled to 16 kHz
        assert store.duration_s[5] == pytest.approx(0.7, abs=1e-3)
        assert store.array(6).shape[0] == n_bins


def test_featurize_matches_the_shared_prepare_and_extract_path(tmp_path):
    data = wav_bytes(tone(1.2, rate=22050, channels=2, seed=3), rate=22050)
    raw = make_raw(tmp_path / "raw", {7: data})
    params = FeatureParams()
    run_featurize(params, 0.0, raw, tmp_path / "features")
    stored = FeatureStore(tmp_path / "features").array(7).astype(np.float32)
    direct = FeatureExtractor(params).batch([prepare_waveform(data, params)])[0].numpy()
    assert np.abs(stored - direct).max() < 1e-2


def bad_clips() -> tuple[dict[int, bytes], dict[int, str]]:
    good = {rid: wav_bytes(tone(0.5, seed=rid)) for rid in range(1, 21)}
    whole = good[2]
    nan = tone(0.5).astype(np.float32)
    nan[10] = np.inf
    good[2] = whole[: len(whole) // 3]
    good[3] = wav_bytes(np.zeros(8000))
    good[4] = wav_bytes(nan, subtype="FLOAT")
    good[5] = wav_bytes(tone(0.02))  # 320 samples < n_fft 400
    return good, {2: "corrupt", 3: "silent", 4: "non_finite", 5: "too_short"}


def test_bad_clips_are_skipped_counted_and_listed(tmp_path):
    clips, expected = bad_clips()
    raw = make_raw(tmp_path / "raw", clips)
    result = run_featurize(FeatureParams(), 0.25, raw, tmp_path / "features")
    manifest = json.loads((tmp_path / "features" / "manifest.json").read_text())
    assert manifest["clips"] == {"in": 20, "out": 16, "skipped": 4}
    assert manifest["skipped_by_reason"] == {"corrupt": 1, "non_finite": 1, "silent": 1, "too_short": 1}
    assert {s["id"]: s["reason"] for s in manifest["skipped"]} == expected
    assert FeatureStore(tmp_path / "features").ids.tolist() == [1, *range(6, 21)]
    assert "20 in, 16 out, 4 skipped (corrupt 1, non_finite 1, silent 1, too_short 1)" in result.summary(Path("x"))


def test_too_many_bad_clips_fail_and_keep_the_previous_features(tmp_path):
    clips, _ = bad_clips()
    good = {rid: data for rid, data in clips.items() if rid > 5}
    run_featurize(FeatureParams(), 0.01, make_raw(tmp_path / "raw-good", good), tmp_path / "features")
    before = (tmp_path / "features" / "features-00000.parquet").read_bytes()
    with pytest.raises(DataError) as info:
        run_featurize(FeatureParams(), 0.01, make_raw(tmp_path / "raw", clips), tmp_path / "features")
    assert str(info.value).startswith("featurize: 4 of 20 clips unusable (20.0% > data.max_skipped_fraction 0.01)")
    assert (tmp_path / "features" / "features-00000.parquet").read_bytes() == before


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ({"n_mels": 300}, "features.n_mels must be <= n_fft/2+1 = 201 (features.n_fft 400), got 300"),
        (
            {"hop_length": 500},
            "features.hop_length must be <= the window (features.win_length or n_fft = 400), got 500",
        ),
        ({"win_length": 512}, "features.win_length must be <= features.n_fft (400), got 512"),
        ({"f_max": 9000}, "features.f_max must be <= sample_rate/2 = 8000, got 9000"),
        ({"kind": "cqt"}, "features.kind must be one of logmel, stft, mfcc, waveform; got 'cqt'"),
        ({"n_mfcc": 80, "kind": "mfcc"}, "features.n_mfcc must be <= features.n_mels (64), got 80"),
        ({"power": 3}, "features.power must be one of 1.0, 2.0; got 3.0"),
        ({"top_db": -5}, "features.top_db must be > 0.0, got -5.0"),
        ({"device": "tpu"}, "features.device must be one of auto, cpu, cuda; got 'tpu'"),
    ],
)
def test_bad_feature_params_are_one_line_errors(features, message):
    with pytest.raises(ParamsError) as info:
        parse_params({"features": features})
    assert str(info.value) == f"params.yaml: {message}"


def test_cli_featurize_missing_raw_is_one_line(cli, tmp_path):
    result = cli("featurize", "--raw", tmp_path / "nothing", "--out", tmp_path / "features")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"error: {tmp_path / 'nothing'}: no recordings-*.parquet; run `dvc repro download` first"
    )


def test_prepare_waveform_reasons():
    params = FeatureParams()
    with pytest.raises(AudioProblem, match="silent"):
        prepare_waveform(wav_bytes(np.zeros(4000)), params)
    wave = prepare_waveform(wav_bytes(tone(0.5, rate=8000), rate=8000), params)
    assert len(wave) == 8000  # resampled 8 kHz -> 16 kHz
    assert probe(wav_bytes(tone(0.5, rate=8000), rate=8000)).sample_rate == 8000


def test_split_ids_select_a_config_split_and_the_store_returns_its_features(tmp_path, cli):
    from pipeline.splits import split_ids
    from tests.corpus import make_zenodo, write_params

    make_zenodo(tmp_path / "corpus", n=12)
    params = write_params(tmp_path / "params.yaml", source="zenodo", path=str(tmp_path / "corpus"))
    assert cli("download", "--params", params, "--out", tmp_path / "raw").exit_code == 0
    run_featurize(FeatureParams(), 0.0, tmp_path / "raw", tmp_path / "features")
    test_ids = split_ids("hard_speaker", "test", tmp_path / "raw")
    assert test_ids == [2, 5, 8, 11]  # make_zenodo puts id % 3 == 2 in test
    store = FeatureStore(tmp_path / "features", expected=FeatureParams().metadata())
    frames, _, lengths = store.packed(test_ids)
    assert frames.shape == (int(lengths.sum()), 64) and lengths.tolist() == [
        1 + int((0.4 + 0.05 * i) * 16000) // 160 for i in test_ids
    ]
    with pytest.raises(DataError, match="unknown config/split massive/dev"):
        split_ids("massive", "dev", tmp_path / "raw")


def test_decoding_in_worker_processes_and_transforming_here_gives_what_the_workers_alone_give(tmp_path):
    """The GPU path's split (processes decode, this process transforms) run on CPU: the same features,
    in the same order, and the same skipped clips as the CPU path."""
    clips, expected = bad_clips()
    clips |= {rid: wav_bytes(tone(0.3 + rid / 40, rate=22050, seed=rid), rate=22050) for rid in range(30, 45)}
    raw = make_raw(tmp_path / "raw", clips)
    params = FeatureParams()
    extractor = FeatureExtractor(params)
    cpu = torch.device("cpu")

    def flat(decode_apart: bool) -> list:
        units = featurized_units(params, extractor, cpu, raw, 2, decode_apart=decode_apart)
        return [r if isinstance(r, Featurized) else (r[0], r[1].reason) for unit in units for r in unit]

    apart, together = flat(True), flat(False)
    assert apart == together
    assert {r[0]: r[1] for r in apart if not isinstance(r, Featurized)} == expected
    assert len(apart) == len(clips)


@pytest.mark.parametrize("column_type", [pa.large_binary(), pa.binary()])
def test_features_are_read_chunk_by_chunk_without_combining(tmp_path, column_type):
    """Each row group comes back as its own chunk; the reader never combines them, so the 2 GiB a
    combined `binary` chunk can address is no limit. Shards written as `binary` still read."""
    rng = np.random.default_rng(1)
    arrays = {rid: rng.standard_normal((5, 2 + rid % 7)).astype(np.float16) for rid in range(1, 24)}
    schema = feature_schema({"kind": "test"})
    schema = schema.set(schema.get_field_index("features"), pa.field("features", column_type))
    rows = [{"id": rid, "features": encode(a), "n_bins": 5, "n_frames": a.shape[1], "duration_s": 0.1}
            for rid, a in arrays.items()]  # fmt: skip
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp_path / "features-00000.parquet", row_group_size=4)
    store = FeatureStore(tmp_path, expected={"kind": "test"})
    assert len(store._chunks) == 6  # 23 rows in row groups of 4
    for rid, array in arrays.items():
        np.testing.assert_array_equal(store.array(rid), array)
    frames, starts, lengths = store.packed([23, 1, 12])
    for rid, start, length in zip([23, 1, 12], starts.tolist(), lengths.tolist(), strict=True):
        np.testing.assert_array_equal(frames[start : start + length].numpy().T, arrays[rid])


def test_feature_shards_are_written_with_64_bit_offsets(tmp_path):
    writer = FeatureShardWriter(tmp_path, {"kind": "test"}, shard_rows=10)
    for rid in range(3):
        writer.add_array(rid, np.ones((4, 3000), dtype=np.float16), 1.0)
    writer.close()
    shard = pq.ParquetFile(tmp_path / "features-00000.parquet")
    assert shard.schema_arrow.field("features").type == pa.large_binary()
    store = FeatureStore(tmp_path, expected={"kind": "test"})
    assert store.array(2).shape == (4, 3000) and float(store.array(2).astype(np.float32).sum()) == 12000


def test_clips_over_max_seconds_keep_their_start_and_are_counted(tmp_path, cli):
    """Recording i lasts 0.4 + 0.05 i s: with max_seconds 0.6, ids 5..8 are cut (id 4 is exactly 0.6 s)."""
    from tests.corpus import make_zenodo, write_params

    make_zenodo(tmp_path / "corpus", n=8)
    params = write_params(tmp_path / "params.yaml", source="zenodo", path=str(tmp_path / "corpus"))
    assert cli("download", "--params", params, "--out", tmp_path / "raw").exit_code == 0
    whole = run_featurize(FeatureParams(), 0.0, tmp_path / "raw", tmp_path / "whole")
    capped = FeatureParams(max_seconds=0.6)
    result = run_featurize(capped, 0.0, tmp_path / "raw", tmp_path / "cut")
    cut = result.manifest["cut"]
    assert cut["max_seconds"] == 0.6 and cut["count"] == 4
    assert cut["clips"] == [{"id": i, "seconds": round(0.4 + 0.05 * i, 3)} for i in (5, 6, 7, 8)]
    assert "4 cut to 0.6 s" in result.summary(tmp_path / "cut") and whole.manifest["cut"]["count"] == 0
    full, short = FeatureStore(tmp_path / "whole"), FeatureStore(tmp_path / "cut", expected=capped.metadata())
    for rid in range(1, 9):
        frames = min(1 + int((0.4 + 0.05 * rid) * 16000) // 160, 1 + 9600 // 160)
        assert short.array(rid).shape == (64, frames)
        # the kept start is the whole clip's start, up to the last frames (whose windows reach the cut)
        np.testing.assert_array_equal(short.array(rid)[:, : frames - 3], full.array(rid)[:, : frames - 3])
    with pytest.raises(DataError, match=r"max_seconds=None \(wanted 0.6\)"):
        FeatureStore(tmp_path / "whole", expected=capped.metadata())
