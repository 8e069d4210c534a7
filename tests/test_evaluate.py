"""The evaluate stage and the cross-config summary on a tiny trained model."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import matplotlib.image
import numpy as np
import pyarrow.parquet as pq
import pytest
import torch

from pipeline.evaluate.stage import run_evaluate
from pipeline.evaluate.view import validation_accuracy
from pipeline.features.stage import run_featurize
from pipeline.inference import load_model
from pipeline.inference.clips import load_split
from pipeline.inference.scoring import predict_split
from pipeline.params import parse_params
from pipeline.splits import recording_metadata, split_ids
from tests.corpus import dump_params, trained_project


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    return trained_project(tmp_path_factory.mktemp("evaluate"), ("massive", "hard_noisy"))


def evaluate(root: Path, config: str = "massive"):
    return run_evaluate(config, root / "models" / config / "model.pt", root / "features", root / "raw",
                        root / "results" / config / "evaluate")  # fmt: skip


def test_metrics_confusion_and_errors_agree_with_the_model_predictions(trained):
    result = evaluate(trained)
    out = trained / "results" / "massive" / "evaluate"
    loaded = load_model(trained / "models" / "massive" / "model.pt")
    from pipeline.features.reader import FeatureStore

    ids = split_ids("massive", "test", trained / "raw")
    data = load_split(FeatureStore(trained / "features"), ids, trained / "raw", torch.device("cpu"))
    predicted = predict_split(loaded.model, data, loaded.mean, loaded.std, 16, torch.device("cpu")).argmax(1)
    wrong = {rid for rid, p, t in zip(ids, predicted.tolist(), data.labels.tolist(), strict=True) if p != t}

    metrics = json.loads((out / "metrics.json").read_text())
    details = json.loads((out / "details.json").read_text())
    assert metrics["clips"] == len(ids) == 12
    assert metrics["accuracy"] == pytest.approx(1 - len(wrong) / len(ids))
    assert details["top5_accuracy"] >= metrics["accuracy"]
    assert set(details["slices"]) == {"environment", "device", "field", "gender"}
    assert set(details["slices"]["gender"]) == {"female", "male"}
    # every intent of make_zenodo's corpus appears once, so no test intent was seen in training
    assert details["unseen_intent_clips"] == len(ids)
    assert result.metrics["accuracy"] == metrics["accuracy"]
    # DVC compares only the figures people compare: no slice, no per-intent score, no count but clips
    assert set(metrics) == {"accuracy", "accuracy_ci", "macro_f1", "macro_f1_ci", "cer", "head_accuracy", "clips",
                            "massive"} - ({"head_accuracy"} - set(result.metrics))  # fmt: skip
    half = max(
        metrics["accuracy"] - metrics["accuracy_ci"]["low"], metrics["accuracy_ci"]["high"] - metrics["accuracy"]
    )
    validation = validation_accuracy(loaded.checkpoint)
    assert validation is not None
    assert metrics["massive"] == (
        f"{metrics['accuracy']:.3f} ±{half:.3f}\nF1  {metrics['macro_f1']:.3f}\nCER {metrics['cer']:.3f}\n"
        f"val {validation:.3f}"
    )

    with open(out / "errors.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {int(r["id"]) for r in rows} == wrong
    intents = recording_metadata(["intent", "utt"], trained / "raw")
    for row in rows:
        assert row["true"] == intents[int(row["id"])]["intent"] and row["true"] != row["predicted"]
        assert row["utterance"] == intents[int(row["id"])]["utt"]
        assert 0.0 < float(row["confidence"]) <= 1.0

    confusion = json.loads((out / "plots" / "sklearn" / "confusion.json").read_text())
    assert len(confusion) == len(ids)
    assert sorted(c["actual"] for c in confusion) == sorted(intents[i]["intent"] for i in ids)
    assert sum(c["actual"] != c["predicted"] for c in confusion) == len(wrong)
    per_intent = json.loads((out / "plots" / "custom" / "per_intent_f1.json").read_text())
    assert {p["intent"] for p in per_intent} == {intents[i]["intent"] for i in ids}

    # intervals: seeded percentile bootstrap over the test clips, around the point estimate
    for name in ("accuracy", "macro_f1"):
        low, high = metrics[f"{name}_ci"]["low"], metrics[f"{name}_ci"]["high"]
        assert low <= metrics[name] <= high
        assert high - low > 0.05 or metrics[name] in (0.0, 1.0)  # 12 clips: wide, unless all wrong or right
    again = json.loads((out / "metrics.json").read_text())
    assert again["accuracy_ci"] == metrics["accuracy_ci"]
    # per-clip predictions: every test clip once, the model's own top-5 in order
    table = pq.read_table(out / "predictions.parquet").to_pylist()
    assert [r["id"] for r in table] == ids
    for row, p, t in zip(table, predicted.tolist(), data.labels.tolist(), strict=True):
        assert row["predicted"] == loaded.labels[p] == row["top5_intents"][0]
        assert row["true"] == loaded.labels[t]
        assert row["confidence"] == pytest.approx(row["top5_probs"][0]) and len(row["top5_intents"]) == 5
        assert row["top5_probs"] == sorted(row["top5_probs"], reverse=True)
    assert {r["id"] for r in table if r["true"] != r["predicted"]} == wrong

    image = matplotlib.image.imread(out / "plots" / "images" / "confusion.png")
    assert image.shape[0] >= 1300 and image.shape[1] >= 1300  # 60 named rows stay readable
    assert float(np.std(image[..., :3])) > 0.01  # not a blank canvas


def test_a_checkpoint_made_for_other_features_is_refused_naming_both(trained, tmp_path, cli):
    other = parse_params({"features": {"n_mels": 40}})
    run_featurize(other.features, 0.0, trained / "raw", tmp_path / "features40")
    model = trained / "models" / "massive" / "model.pt"
    result = cli("evaluate", "--config", "massive", "--model", model, "--features", tmp_path / "features40",
                 "--raw", trained / "raw", "--results", tmp_path / "results")  # fmt: skip
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert str(tmp_path / "features40") in line and str(model) in line
    assert "n_mels=40 (wanted 64)" in line


def test_a_missing_checkpoint_is_one_line(trained, tmp_path, cli):
    result = cli("evaluate", "--config", "massive", "--model", tmp_path / "none.pt", "--features",
                 trained / "features", "--raw", trained / "raw", "--results", tmp_path / "results")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {tmp_path / 'none.pt'}: no model checkpoint; run `dvc repro` (train) first or pass --model PATH"
    )


def test_summary_table_holds_every_config_as_its_metrics_are_now(trained, cli, tmp_path):
    evaluate(trained, "massive")
    evaluate(trained, "hard_noisy")
    params = dump_params(tmp_path / "params.yaml", {"data": {"configs": ["massive", "hard_noisy"]}})
    shown = cli("summarize", "--params", params, "--results", trained / "results", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    table = json.loads(shown.stdout)
    for config in ("massive", "hard_noisy"):
        metrics = json.loads((trained / "results" / config / "evaluate" / "metrics.json").read_text())
        assert table[config]["accuracy"] == metrics["accuracy"]
    assert not list((trained / "results").glob("summary.*"))  # nothing a checkout could leave stale
    written = cli("summarize", "--params", params, "--results", trained / "results", "--out", tmp_path / "s.md")
    lines = written.stdout.splitlines()
    assert (tmp_path / "s.md").read_text().splitlines() == lines
    assert lines[0] == (
        "| config | accuracy (95% CI) | intent head alone | macro-F1 (95% CI) | top-5 | scenario acc. | CER | test clips "
        "| recipe |"
    )
    massive = json.loads((trained / "results" / "massive" / "evaluate" / "metrics.json").read_text())
    massive |= json.loads((trained / "results" / "massive" / "evaluate" / "details.json").read_text())
    acc, f1 = massive["accuracy_ci"], massive["macro_f1_ci"]
    assert lines[2] == (
        f"| massive | {massive['accuracy']:.3f} ({acc['low']:.3f}–{acc['high']:.3f}) | {massive['head_accuracy']:.3f} | "
        f"{massive['macro_f1']:.3f} ({f1['low']:.3f}–{f1['high']:.3f}) | "
        f"{massive['top5_accuracy']:.3f} | {massive['scenario_accuracy']:.3f} | {massive['cer']:.3f} | "
        f"{massive['clips']} | shared recipe |"
    )
    # after a checkout of other metrics, the table shows those
    edited = json.loads((trained / "results" / "massive" / "evaluate" / "metrics.json").read_text())
    (trained / "results" / "massive" / "evaluate" / "metrics.json").write_text(json.dumps(edited | {"accuracy": 0.5}))
    again = cli("summarize", "--params", params, "--results", trained / "results", "--format", "json")
    assert json.loads(again.stdout)["massive"]["accuracy"] == 0.5
    bad = cli("summarize", "--params", params, "--results", tmp_path / "nothing")
    assert bad.exit_code == 2 and "not found; run `dvc repro` (evaluate@massive) first" in bad.stderr


def test_score_on_a_hand_made_prediction_set():
    from pipeline.evaluate.report import score

    labels = ["alarm_query", "alarm_set", "music_query", "weather_query"]
    y_true = np.array([0, 0, 1, 1, 2, 3])
    predicted = [0, 1, 1, 1, 3, 3]  # 4 of 6 right; one alarm_query called alarm_set (same scenario)
    probs = np.full((6, 4), 0.1)
    for row, label in enumerate(predicted):
        probs[row, label] = 0.7
    probs[4, 2] = 0.2  # music_query is the runner-up for the clip it missed
    meta = [{"environment": e, "device": "phone", "gender": g, "field": f}
            for e, g, f in zip(["silent", "noisy", "silent", "noisy", "silent", "noisy"], "mfmfmf",
                               ["close"] * 4 + ["far"] * 2, strict=True)]  # fmt: skip
    metrics = score(labels, y_true, probs, meta)
    assert metrics["accuracy"] == pytest.approx(4 / 6)
    # per-intent F1: alarm_query 2/3, alarm_set 0.8, music_query 0, weather_query 2/3
    assert metrics["macro_f1"] == pytest.approx((2 / 3 + 0.8 + 0 + 2 / 3) / 4)
    assert metrics["weighted_f1"] == pytest.approx((2 * 2 / 3 + 2 * 0.8 + 0 + 2 / 3) / 6)
    assert metrics["scenario_accuracy"] == pytest.approx(5 / 6)
    assert metrics["top5_accuracy"] == 1.0
    assert metrics["per_intent"]["alarm_set"] == {"precision": pytest.approx(2 / 3), "recall": 1.0,
                                                  "f1": pytest.approx(0.8), "support": 2}  # fmt: skip
    assert metrics["slices"]["environment"] == {"noisy": pytest.approx(2 / 3), "silent": pytest.approx(2 / 3)}
    assert metrics["slices"]["device"] == {"phone": pytest.approx(4 / 6)}
    assert metrics["slices"]["gender"] == {"f": pytest.approx(2 / 3), "m": pytest.approx(2 / 3)}
    assert metrics["slices"]["field"] == {"close": pytest.approx(3 / 4), "far": pytest.approx(1 / 2)}


def improved(base: np.ndarray, fixed: int, broken: int) -> np.ndarray:
    """A head that gets `fixed` more of base's wrong clips right and `broken` of its right clips wrong."""
    head = base.copy()
    head[np.flatnonzero(~base)[:fixed]] = True
    head[np.flatnonzero(base)[:broken]] = False
    return head


def test_paired_comparison_equals_a_direct_computation_and_says_better_only_beyond_noise():
    from scipy.stats import binomtest

    from pipeline.evaluate.intervals import compare_paired

    rng = np.random.default_rng(0)
    base = rng.random(400) < 0.6
    head = improved(base, fixed=40, broken=10)  # +7.5 points on 400 clips
    result = compare_paired(base, head, seed=1)
    assert (result.only_base_right, result.only_head_right) == (10, 40)
    assert result.mcnemar_p == pytest.approx(binomtest(40, 50, 0.5).pvalue)
    assert result.difference == pytest.approx(head.mean() - base.mean()) == pytest.approx(0.075)
    low, high = result.interval
    assert 0 < low < result.difference < high
    assert result.verdict == "better" and compare_paired(head, base, seed=1).verdict == "worse"
    same = compare_paired(base, base, seed=1)
    assert same.interval == (0.0, 0.0) and same.mcnemar_p == 1.0 and same.verdict == "no significant change"
    few = rng.random(40) < 0.6
    noise = compare_paired(few, improved(few, fixed=4, broken=1), seed=1)  # +7.5 points on 40 clips
    assert noise.interval[0] <= 0 < noise.interval[1] and noise.verdict == "no significant change"


def test_accuracy_interval_is_about_the_binomial_one():
    from pipeline.evaluate.intervals import accuracy_interval

    y_true = np.zeros(200, dtype=int)
    y_pred = np.r_[np.zeros(60, dtype=int), np.ones(140, dtype=int)]  # 30% right
    low, high = accuracy_interval(y_true, y_pred, seed=3)
    half = 1.96 * np.sqrt(0.3 * 0.7 / 200)  # normal approximation, 0.064
    assert low == pytest.approx(0.3 - half, abs=0.015) and high == pytest.approx(0.3 + half, abs=0.015)
    assert accuracy_interval(y_true, y_pred, seed=3) == (low, high)  # seeded


def test_an_interval_over_one_clip_is_that_clip_and_over_none_is_undefined():
    from pipeline.evaluate.intervals import accuracy_interval, macro_f1_interval

    assert accuracy_interval(np.array([3]), np.array([3]), seed=1) == (1.0, 1.0)
    assert accuracy_interval(np.array([3]), np.array([4]), seed=1) == (0.0, 0.0)
    assert macro_f1_interval(np.array([3]), np.array([3]), np.array([3]), seed=1) == (1.0, 1.0)
    assert all(np.isnan(accuracy_interval(np.array([], int), np.array([], int), seed=1)))
