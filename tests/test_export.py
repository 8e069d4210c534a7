"""Both exports are the product `predict` scores: fused intent probabilities and what the model heard,
for a batch of clips of different lengths, any length, from the file a user deploys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.alphabet import ALPHABET, LETTERS
from pipeline.features.transform import prepare_waveform
from pipeline.inference import load_model
from pipeline.labels import INTENTS
from pipeline.predict import ExportPredictor, Predictor
from tests.conftest import ROOT
from tests.corpus import tone, trained_project

ort = pytest.importorskip("onnxruntime")
CLIPS = (2, 9, 30, 17, 5)  # five lengths, 0.5 to 1.9 s, scored as one batch


@pytest.fixture(scope="module")
def fused(tmp_path_factory) -> Path:
    """A tiny trained checkpoint whose transcript reader counts (weight 2), so fusion is exercised."""
    root = trained_project(tmp_path_factory.mktemp("export"))
    checkpoint = torch.load(root / "models" / "massive" / "model.pt", weights_only=True)
    assert checkpoint["reader"] is not None
    checkpoint["reader"]["weight"] = 2.0
    torch.save(checkpoint, root / "fused.pt")
    return root


def assert_same_product(probabilities, heard, expected, expected_heard) -> None:
    """The same intents, and the same transcripts but for a rare letter: an export's graph adds in
    another order and its features are rounded to float16 as the shards are, so where two letters'
    logits tie within rounding (common in this barely trained tiny model) the greedy path can flip,
    and the reader then reads one n-gram differently. Wherever the transcript is the same, the
    probabilities agree within 1e-4. (The two halves are held exactly to predict's below.)"""
    from pipeline.alphabet import character_error_rate

    expected = np.asarray(expected)
    assert (np.asarray(probabilities).argmax(1) == expected.argmax(1)).all()
    assert character_error_rate(expected_heard, heard)[0] <= 0.02
    same = [i for i, (a, b) in enumerate(zip(heard, expected_heard, strict=True)) if a == b]
    gap = np.abs(np.asarray(probabilities) - expected).max(axis=1)
    assert not same or gap[same].max() <= 1e-4, gap


def clips(root: Path) -> list[bytes]:
    return [(root / "corpus" / "recordings" / f"{rid}.wav").read_bytes() for rid in CLIPS]


def reference(path: Path, datas: list[bytes]) -> tuple[torch.Tensor, list[str]]:
    predictor = Predictor(load_model(path), torch.device("cpu"))
    return predictor.probabilities([predictor.features_of(d) for d in datas])


def exported(path: Path, datas: list[bytes]) -> tuple[np.ndarray, list[str]]:
    from pipeline.export.products import open_product

    predictor = ExportPredictor(open_product(path))
    probabilities, heard = predictor.score([predictor.prepare(d) for d in datas])
    return probabilities.numpy(), heard


@pytest.mark.parametrize("export_format", ["torchscript", "onnx"])
def test_an_export_is_predicts_product_on_a_batch_of_lengths(fused, tmp_path, cli, export_format):
    out = tmp_path / ("model.ts" if export_format == "torchscript" else "model.onnx")
    result = cli("export", "--format", export_format, "--model", fused / "fused.pt", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "intent head fused with the transcript reader (weight 2)" in result.stderr
    expected, heard = reference(fused / "fused.pt", clips(fused))
    assert len(set(heard)) > 1 and all(heard)  # the model spells, so the reader has something to read
    probabilities, transcripts = exported(out, clips(fused))
    assert_same_product(probabilities, transcripts, expected.numpy(), heard)
    head_alone = Predictor(load_model(fused / "models" / "massive" / "model.pt"), torch.device("cpu"))
    assert not np.allclose(
        probabilities, head_alone.probabilities([head_alone.features_of(d) for d in clips(fused)])[0]
    )


@pytest.mark.parametrize("suffix", [".ts", ".onnx"])
def test_predict_prints_the_same_lines_from_an_export_as_from_its_checkpoint(fused, tmp_path, cli, suffix):
    assert cli("export", "--format", "onnx" if suffix == ".onnx" else "torchscript", "--model", fused / "fused.pt",
               "--out", tmp_path / f"model{suffix}").exit_code == 0  # fmt: skip
    folder = fused / "corpus" / "recordings"
    lines = [json.loads(x) for x in cli("predict", "--model", fused / "fused.pt", folder).stdout.splitlines()]
    from_export = [
        json.loads(x) for x in cli("predict", "--model", tmp_path / f"model{suffix}", folder).stdout.splitlines()
    ]
    assert len(lines) == 36 and [x["path"] for x in from_export] == [x["path"] for x in lines]

    def top(rows):  # each line's top-5, as a row of 60 probabilities (0 outside the top)
        out = np.zeros((len(rows), 60))
        for row, line in zip(out, rows, strict=True):
            for intent, p in line["top"]:
                row[INTENTS.index(intent)] = p
        return out

    assert_same_product(top(from_export), [x["heard"] for x in from_export], top(lines), [x["heard"] for x in lines])


def test_head_only_is_opt_in_and_marks_itself(fused, tmp_path, cli):
    from pipeline.export.torchscript import load_torchscript

    result = cli("export", "--head-only", "--model", fused / "fused.pt", "--out", tmp_path / "head.ts")
    assert result.exit_code == 0 and "--head-only: without the transcript reader" in result.stderr
    _, labels, _, product = load_torchscript(tmp_path / "head.ts")
    assert product["product"] == "head_only" and product["reader_weight"] == 0.0 and len(labels) == 60
    loaded = load_model(fused / "fused.pt")
    loaded.checkpoint["reader"] = None
    predictor = Predictor(loaded, torch.device("cpu"))
    expected, heard = predictor.probabilities([predictor.features_of(d) for d in clips(fused)])
    probabilities, transcripts = exported(tmp_path / "head.ts", clips(fused))
    np.testing.assert_allclose(probabilities, expected.numpy(), atol=1e-4, rtol=0)
    assert transcripts == heard  # the transcript is still returned: only the fusion is left out


def test_a_clip_longer_than_the_old_30_s_limit_is_scored_whole_not_cut(fused, tmp_path, cli):
    long = np.concatenate([tone(1.0, seed=s) for s in range(35)]).astype(np.float32)  # 35 s
    sf.write(tmp_path / "long.wav", long, 16000)
    data = (tmp_path / "long.wav").read_bytes()
    expected, heard = reference(fused / "fused.pt", [data])
    for export_format, name in (("torchscript", "model.ts"), ("onnx", "model.onnx")):
        assert (
            cli("export", "--format", export_format, "--model", fused / "fused.pt", "--out", tmp_path / name).exit_code
            == 0
        )
        probabilities, transcripts = exported(tmp_path / name, [data])
        assert len(transcripts[0]) > 300  # 35 s spelled whole: nothing was cut
        assert_same_product(probabilities, transcripts, expected.numpy(), heard)


def test_the_export_cuts_where_featurize_cuts_with_features_max_seconds(fused, tmp_path):
    from pipeline.export.torchscript import build_product

    loaded = load_model(fused / "fused.pt")
    loaded.checkpoint["features"] = {**loaded.features, "max_seconds": 0.5}
    predictor = Predictor(loaded, torch.device("cpu"))
    datas = clips(fused)
    expected, heard = predictor.probabilities([predictor.features_of(d) for d in datas])
    waves = [prepare_waveform(d, predictor.features) for d in datas]
    lengths = torch.tensor([len(w) for w in waves])
    batch = torch.nn.utils.rnn.pad_sequence(waves, batch_first=True)
    probabilities, transcripts = build_product(loaded)(batch, lengths)
    torch.testing.assert_close(probabilities, expected, atol=1e-4, rtol=0)
    assert list(transcripts) == heard


def test_the_onnx_reference_runs_without_torch(fused, tmp_path, cli):
    assert cli("export", "--format", "onnx", "--model", fused / "fused.pt", "--out", tmp_path / "m.onnx").exit_code == 0
    predictor = Predictor(load_model(fused / "fused.pt"), torch.device("cpu"))
    waves = [prepare_waveform(d, predictor.features).numpy() for d in clips(fused)]
    np.savez(tmp_path / "waves.npz", *waves)
    expected, heard = reference(fused / "fused.pt", clips(fused))
    script = (
        "import sys, json, numpy as np\n"
        "sys.modules['torch'] = None; sys.modules['sklearn'] = None  # importing either now fails\n"
        "from pipeline.export.onnx_runtime import OnnxProduct\n"
        f"waves = list(np.load({str(tmp_path / 'waves.npz')!r}).values())\n"
        f"probabilities, heard = OnnxProduct({str(tmp_path / 'm.onnx')!r})(waves)\n"
        "print(json.dumps({'p': probabilities.tolist(), 'heard': heard}))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert_same_product(np.array(out["p"]), out["heard"], expected.numpy(), heard)


def test_int8_prints_and_stores_validation_accuracy_beside_fp32(fused, tmp_path, cli):
    from pipeline.export.onnx_runtime import OnnxProduct

    result = cli("export", "--format", "onnx", "--int8", "--model", fused / "fused.pt", "--out", tmp_path / "q.onnx",
                 "--raw", fused / "raw")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    product = OnnxProduct(tmp_path / "q.onnx")
    checked = product.product["validation"]
    assert product.product["precision"] == "int8" and checked["clips"] == 12  # ids 1, 4, ... 34
    assert f"fp32 {checked['fp32_accuracy']:.3f}, int8 {checked['int8_accuracy']:.3f}" in result.stderr
    assert "calibrated on 12 training clips" in result.stderr and product.product["calibration_clips"] == 12
    onnx = pytest.importorskip("onnx")
    graph = onnx.load(str(tmp_path / "q.onnx")).graph
    int8_weights = [i.name for i in graph.initializer if i.data_type == onnx.TensorProto.INT8]
    assert len(int8_weights) >= 3 and not [n for n in int8_weights if "extractor." in n]  # features stay float
    assert {"QuantizeLinear", "DequantizeLinear"} <= {node.op_type for node in graph.node}
    assert cli("export", "--int8", "--model", fused / "fused.pt").exit_code == 2  # an ONNX option
    no_raw = cli("export", "--format", "onnx", "--int8", "--model", fused / "fused.pt", "--raw", tmp_path / "none",
                 "--out", tmp_path / "x.onnx")  # fmt: skip
    assert no_raw.exit_code == 2 and "--int8 calibrates on training clips" in no_raw.stderr


def test_a_foreign_or_broken_model_file_is_one_line(fused, tmp_path, cli):
    (tmp_path / "broken.onnx").write_bytes(b"not a model")
    sf.write(tmp_path / "a.wav", tone(0.8), 16000)
    result = cli("predict", "--model", tmp_path / "broken.onnx", tmp_path / "a.wav")
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {tmp_path / 'broken.onnx'}: onnxruntime cannot")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_graph_gives_predicts_logits_and_the_decoder_and_reader_give_predicts_answer_from_them(fused, tmp_path):
    """The two halves exactly: the acoustic graph (traced for TorchScript, ONNX through onnxruntime)
    gives the logits predict's network gives on the feature shards' values; from the same letter
    logits, TorchScript's decoder and reader and the numpy reference give predict's transcripts and
    probabilities."""
    from pipeline.alphabet import greedy_decode
    from pipeline.export.graph import AcousticGraph, pad_batch
    from pipeline.export.onnx import export_onnx
    from pipeline.export.onnx_runtime import OnnxProduct, greedy
    from pipeline.export.reading import ScriptedReader, greedy_paths, spell
    from pipeline.inference.clips import normalize

    loaded = load_model(fused / "fused.pt")
    predictor = Predictor(loaded, torch.device("cpu"))
    features = [predictor.features_of(d) for d in clips(fused)]
    lengths = torch.tensor([f.shape[1] for f in features])
    x = torch.nn.utils.rnn.pad_sequence([f.T for f in features], batch_first=True).transpose(1, 2)
    with torch.inference_mode():
        outputs = loaded.model.outputs(normalize(x, lengths, loaded.mean, loaded.std), lengths)
        waves = [prepare_waveform(d, predictor.features) for d in clips(fused)]
        intent, letters, steps = AcousticGraph(loaded).eval()(*pad_batch(waves, 160))
    export_onnx(loaded, tmp_path / "m.onnx")
    session_out = OnnxProduct(tmp_path / "m.onnx").session.run(
        None, {"waveform": pad_batch(waves, 160)[0].numpy(), "num_samples": pad_batch(waves, 160)[1].numpy()}
    )
    assert torch.equal(steps, outputs.steps) and (session_out[2] == outputs.steps.numpy()).all()
    for got_intent, got_letters in (
        (intent, letters),
        (torch.from_numpy(session_out[0]), torch.from_numpy(session_out[1])),
    ):
        torch.testing.assert_close(got_intent, outputs.intent, atol=2e-3, rtol=0)
        for row, n in enumerate(outputs.steps.tolist()):
            torch.testing.assert_close(got_letters[row, :n], outputs.chars[row, :n], atol=2e-3, rtol=0)
    heard = greedy_decode(outputs.chars.float(), outputs.steps)
    expected = torch.softmax(loaded.intent_scores(outputs.intent.float(), heard), dim=1)
    paths = greedy_paths(outputs.chars, outputs.steps)
    assert (
        [spell(p, list(ALPHABET)) for p in paths]
        == heard
        == greedy(outputs.chars.numpy(), outputs.steps.numpy(), list(ALPHABET))
    )
    scripted = torch.jit.script(ScriptedReader(loaded.reader, 60))
    torch.testing.assert_close(torch.softmax(scripted(outputs.intent, paths), dim=1), expected, atol=1e-5, rtol=0)
    product = OnnxProduct(tmp_path / "m.onnx")
    reference = softmax_np(log_softmax_np(outputs.intent.numpy()) + product.weight * product.read(heard))
    np.testing.assert_allclose(reference, expected.numpy(), atol=1e-5, rtol=0)


def log_softmax_np(x):
    from pipeline.export.onnx_runtime import log_softmax

    return log_softmax(x)


def softmax_np(x):
    from pipeline.export.onnx_runtime import softmax

    return softmax(x)


@settings(derandomize=True, deadline=None, max_examples=60)
@given(texts=st.lists(st.text(alphabet=LETTERS, max_size=60), min_size=1, max_size=6))
def test_the_scripted_reader_counts_every_transcript_as_scikit_learn_does(texts):
    """Any transcripts the CTC alphabet can spell (several words, runs of spaces, one-letter words,
    accented letters): TorchScript's n-gram counts equal CountVectorizer's `char_wb` counts."""
    from sklearn.feature_extraction.text import CountVectorizer

    from pipeline.alphabet import INDEX
    from pipeline.inference.transcript_reader import TranscriptReader

    terms = sorted({t for text in [*texts, "la luce è accesa"] for t in CountVectorizer(
        analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()(text)})  # fmt: skip
    reader = TranscriptReader(terms, torch.ones(len(terms)), torch.zeros(3, len(terms)), torch.zeros(3), 1.0)
    scripted = _scripted(reader)
    expected = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), vocabulary=terms).transform(texts).toarray()
    counts = scripted.counts([[INDEX[c] for c in text] for text in texts])
    assert counts.numpy().tolist() == expected.astype(np.float32).tolist()


def _scripted(reader):
    from pipeline.export.reading import ScriptedReader

    return torch.jit.script(ScriptedReader(reader, 3))
