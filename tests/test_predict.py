"""`italic-cnn predict` on a tiny trained model: same features and predictions as featurize/evaluate."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch

from pipeline.alphabet import LETTERS
from pipeline.evaluate.stage import run_evaluate
from pipeline.features.reader import FeatureStore
from pipeline.inference import load_model
from pipeline.predict import Predictor
from pipeline.splits import split_ids
from tests.corpus import trained_project


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    root = trained_project(tmp_path_factory.mktemp("predict"))
    shutil.copy(root / "models" / "massive" / "model.pt", root / "model.pt")
    return root


def head_alone(path: Path) -> Predictor:
    """A predictor of the intent head without the transcript reader: what the exports hold."""
    loaded = load_model(path)
    loaded.checkpoint.pop("reader", None)
    return Predictor(loaded, torch.device("cpu"))


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_every_recording_is_classified_and_a_split_scores_as_evaluate_scores_it(trained, cli):
    result = cli("predict", "--model", trained / "model.pt", "--top-k", "3", trained / "corpus" / "recordings")
    assert result.exit_code == 0, result.stderr
    predictions = {int(Path(p["path"]).stem): p for p in lines(result.stdout)}
    assert sorted(predictions) == list(range(1, 37))
    for p in predictions.values():
        assert set(p) == {"path", "intent", "scenario", "confidence", "top", "heard"}
        assert set(p["heard"]) <= set(LETTERS) and p["heard"] == p["heard"].strip()
        assert len(p["top"]) == 3 and p["top"][0] == [p["intent"], p["confidence"]]
        assert [prob for _, prob in p["top"]] == sorted((prob for _, prob in p["top"]), reverse=True)
        assert p["scenario"] == p["intent"].split("_")[0] and 0 < p["confidence"] <= 1
    evaluated = run_evaluate("massive", trained / "model.pt", trained / "features", trained / "raw", trained / "eval")
    confusion = json.loads((trained / "eval" / "plots" / "sklearn" / "confusion.json").read_text())
    test_ids = split_ids("massive", "test", trained / "raw")
    assert [predictions[i]["intent"] for i in test_ids] == [row["predicted"] for row in confusion]
    correct = sum(predictions[i]["intent"] == row["actual"] for i, row in zip(test_ids, confusion, strict=True))
    assert correct / len(test_ids) == pytest.approx(evaluated.metrics["accuracy"])
    with open(trained / "eval" / "errors.csv", encoding="utf-8") as handle:
        errors = list(csv.DictReader(handle))
    assert len(errors) == round((1 - evaluated.metrics["accuracy"]) * len(test_ids))
    assert all(row["heard"] == predictions[int(row["id"])]["heard"] for row in errors)


def test_predict_features_equal_the_featurize_shards(trained):
    predictor = Predictor(load_model(trained / "model.pt"), torch.device("cpu"))
    store = FeatureStore(trained / "features")
    for rid in (1, 17, 36):
        ours = predictor.features_of((trained / "corpus" / "recordings" / f"{rid}.wav").read_bytes())
        np.testing.assert_array_equal(ours.numpy(), store.array(rid).astype(np.float32))


def test_a_corrupt_and_a_silent_file_fail_alone(trained, tmp_path, cli):
    folder = tmp_path / "mine"
    (folder / "nested").mkdir(parents=True)
    for rid in (3, 4, 5):
        shutil.copy(trained / "corpus" / "recordings" / f"{rid}.wav", folder / "nested" / f"{rid}.wav")
    (folder / "broken.wav").write_bytes(b"RIFF....WAVEfmt garbage")
    sf.write(folder / "quiet.flac", np.zeros(8000), 16000)
    result = cli("predict", "--model", trained / "model.pt", folder)
    assert result.exit_code == 1
    assert sorted(Path(p["path"]).name for p in lines(result.stdout)) == ["3.wav", "4.wav", "5.wav"]
    assert sorted(result.stderr.strip().splitlines()) == [
        f"error: {folder / 'broken.wav'}: corrupt: cannot decode (Error opening the audio bytes: Error in WAV/W64/RF64 file. Malformed 'fmt ' chunk.)",
        f"error: {folder / 'quiet.flac'}: silent: all samples are zero",
    ]


def test_table_format_and_usage_errors(trained, tmp_path, cli):
    result = cli(
        "predict", "--model", trained / "model.pt", "--format", "table", trained / "corpus" / "recordings" / "2.wav"
    )
    assert result.exit_code == 0
    header, row = result.stdout.splitlines()
    assert header == "path\tintent\tconfidence\theard" and row.split("\t")[0].endswith("2.wav")
    missing = cli("predict", "--model", tmp_path / "none.pt", trained / "corpus" / "recordings" / "2.wav")
    assert missing.exit_code == 2 and "no model checkpoint" in missing.stderr
    bad_format = cli("predict", "--model", trained / "model.pt", "--format", "xml", trained / "corpus")
    assert bad_format.exit_code == 2 and bad_format.stderr.strip() == "error: --format must be json or table, got 'xml'"
    nothing = cli("predict", "--model", trained / "model.pt", tmp_path / "nowhere")
    assert nothing.exit_code == 2 and nothing.stderr.strip() == f"error: {tmp_path / 'nowhere'}: no such file or folder"
    checkpoint = torch.load(trained / "model.pt", weights_only=True)
    checkpoint["state_dict"]["ctc_head.weight"] = torch.zeros(39, 7)  # a head of another shape: an older network
    torch.save(checkpoint, tmp_path / "old.pt")
    old = cli("predict", "--model", tmp_path / "old.pt", trained / "corpus" / "recordings" / "2.wav")
    assert old.exit_code == 2 and old.stderr.strip() == (
        f"error: {tmp_path / 'old.pt'}: its weights do not fit this version's tcnn_pooled network; re-run train"
    )


def test_a_model_trained_without_the_ctc_head_reports_no_transcript(trained, tmp_path, cli):
    """With ctc_weight 0 the CTC head stays untrained, so predict's `heard`, the errors file and the
    metrics carry no transcript, rather than noise spelled by random weights."""
    from pipeline.params import parse_params
    from pipeline.train.stage import run_train
    from tests.corpus import TINY_TRAINING

    raw_params = TINY_TRAINING | {
        "data": {"source": "zenodo", "path": str(trained / "corpus")},
        "model": {"arch": "tcnn_pooled", "channels": [8, 16]},
        "train": TINY_TRAINING["train"] | {"ctc_weight": 0},
    }
    model = tmp_path / "pooled.pt"
    run_train(parse_params(raw_params), "massive", trained / "features", trained / "raw", model,
              tmp_path / "train", tmp_path / "resume")  # fmt: skip
    result = cli("predict", "--model", model, trained / "corpus" / "recordings")
    assert result.exit_code == 0, result.stderr
    predictions = lines(result.stdout)
    assert len(predictions) == 36 and {p["heard"] for p in predictions} == {""}
    evaluated = run_evaluate("massive", model, trained / "features", trained / "raw", tmp_path / "eval")
    assert "cer" not in evaluated.metrics and evaluated.metrics["clips"] == len(
        split_ids("massive", "test", trained / "raw")
    )
    with open(tmp_path / "eval" / "errors.csv", encoding="utf-8") as handle:
        assert {row["heard"] for row in csv.DictReader(handle)} <= {""}
    spelled = lines(cli("predict", "--model", trained / "model.pt", trained / "corpus" / "recordings").stdout)
    assert any(p["heard"] for p in spelled)  # the CTC-trained model of the same corpus does spell


def test_evaluate_and_predict_score_the_fused_product_and_evaluate_reports_the_head_alone(trained, tmp_path, cli):
    """A checkpoint whose reader validation weighed in: evaluate's accuracy is the fused one, its
    head_accuracy the intent head's alone, predict agrees with evaluate, and export says what it leaves out."""
    from pipeline.inference.clips import load_split
    from pipeline.inference.scoring import score_split
    from pipeline.inference.transcript_reader import TranscriptReader

    checkpoint = torch.load(trained / "model.pt", weights_only=True)
    assert checkpoint["reader"] is not None and checkpoint["reading"]["weight"] == checkpoint["reader"]["weight"]
    checkpoint["reader"]["weight"] = 2.0  # whatever the tiny validation chose, make the reader count
    torch.save(checkpoint, tmp_path / "fused.pt")
    evaluated = run_evaluate("massive", tmp_path / "fused.pt", trained / "features", trained / "raw", tmp_path / "e")
    loaded = load_model(tmp_path / "fused.pt")
    test_ids = split_ids("massive", "test", trained / "raw")
    data = load_split(FeatureStore(trained / "features"), test_ids, trained / "raw", torch.device("cpu"))
    logits, heard = score_split(loaded.model, data, loaded.mean, loaded.std, 128, torch.device("cpu"), transcribe=True)
    fused = TranscriptReader.from_state(checkpoint["reader"]).fuse(logits, heard)
    assert not torch.equal(fused.argmax(1), logits.argmax(1))  # the reader changes decisions here
    labels = data.labels
    assert evaluated.metrics["accuracy"] == pytest.approx(float((fused.argmax(1) == labels).float().mean()))
    assert evaluated.metrics["head_accuracy"] == pytest.approx(float((logits.argmax(1) == labels).float().mean()))
    assert evaluated.metrics["reader_weight"] == 2.0 and "intent head alone" in evaluated.summary(tmp_path / "e")
    result = cli("predict", "--model", tmp_path / "fused.pt", trained / "corpus" / "recordings")
    predicted = {int(Path(p["path"]).stem): p["intent"] for p in lines(result.stdout)}
    assert [predicted[i] for i in test_ids] == [loaded.labels[i] for i in fused.argmax(1).tolist()]
    exported = cli("export", "--model", tmp_path / "fused.pt", "--out", tmp_path / "fused.ts")
    assert exported.exit_code == 0 and "intent head fused with the transcript reader (weight 2)" in exported.stderr
    from_export = cli("predict", "--model", tmp_path / "fused.ts", trained / "corpus" / "recordings")
    assert [json.loads(line)["intent"] for line in from_export.stdout.splitlines()] == [
        json.loads(line)["intent"] for line in result.stdout.splitlines()
    ]
