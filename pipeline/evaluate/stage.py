"""`italic-cnn evaluate --config C`: the best checkpoint of C on C's test split.

Writes results/C/evaluate (dvclive): metrics.json (what experiments are compared by: accuracy and
macro-F1 with their 95% bootstrap intervals, CER, the intent head alone, and the `dvc exp show` cell),
details.json (top-5, scenario accuracy, weighted F1, per-slice accuracy, counts), per_intent.json,
plots/sklearn/confusion.json
(DVC `confusion` data with intent names), plots/images/confusion.png, plots/metrics-free per-intent F1
data, errors.csv, and predictions.parquet (every test clip: true, predicted, confidence, top-5, heard).
"""

from __future__ import annotations

import csv
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import torch

from pipeline.alphabet import character_error_rate
from pipeline.atomic import atomic_dir, atomic_file
from pipeline.device import pick_device
from pipeline.errors import DataError
from pipeline.evaluate.intervals import CONFIDENCE, RESAMPLES, accuracy_interval, macro_f1_interval
from pipeline.evaluate.page import SLICE_COLUMNS, PageInputs, write_page
from pipeline.evaluate.plots import confusion_figure, pyplot
from pipeline.evaluate.report import cer_by_family, score
from pipeline.evaluate.view import experiment_cell, validation_accuracy
from pipeline.inference import LoadedModel, load_model, open_features_for
from pipeline.inference.clips import Split, load_split
from pipeline.inference.scoring import score_split
from pipeline.skips import missing_text
from pipeline.splits import recording_metadata, split_ids, voice_families

# what results/<config>/evaluate held before it carried a marker (atomic_dir replaces only its own folders)
EVALUATE_NAMES = ("metrics.json", "plots", "errors.csv", "predictions.parquet", "per_intent.json", "index.html")
# what metrics.json keeps (with accuracy_ci, macro_f1_ci and the `dvc exp show` cell)
COMPARED = ("accuracy", "macro_f1", "cer", "head_accuracy", "clips")
INTERVALS = ("accuracy_ci", "macro_f1_ci")


@dataclass
class EvaluateResult:
    config: str
    metrics: dict[str, Any]
    seconds: float

    def summary(self, out: Path) -> str:
        m = self.metrics
        unseen = f", {m['unseen_intent_clips']} of an intent absent from training" if m["unseen_intent_clips"] else ""
        cer = f", CER {m['cer']:.3f} on {m['cer_clips']} transcripts" if "cer" in m else ""
        head = (
            f", intent head alone {m['head_accuracy']:.3f} (reader weight {m['reader_weight']:g})"
            if "head_accuracy" in m
            else ""
        )
        return (
            f"evaluate {self.config}: {m['clips']} test clips in, {m['clips']} scored{unseen}; accuracy "
            f"{m['accuracy']:.3f} ({m['accuracy_ci']['low']:.3f}–{m['accuracy_ci']['high']:.3f}), macro-F1 {m['macro_f1']:.3f}, top-5 {m['top5_accuracy']:.3f}, scenario "
            f"{m['scenario_accuracy']:.3f}{cer}{head}{self._families()}; {self.seconds:.1f} s -> {out}"
        )

    def _families(self) -> str:
        """Per voice family: clips, accuracy and CER (synthetic corpora that record the family)."""
        by_family = self.metrics["slices"].get("voice_family", {})
        cers = self.metrics.get("cer_by_family", {})
        parts = [
            f"{family} {accuracy:.3f}"
            + (f" (CER {cers[family]['cer']:.3f} on {cers[family]['clips']})" if family in cers else "")
            for family, accuracy in by_family.items()
        ]
        return f"; per voice family: {', '.join(parts)}" if parts else ""


@dataclass
class TestScores:
    """A checkpoint's scores on a config's test split: what evaluate's metrics and files are made of."""

    loaded: LoadedModel
    data: Split
    logits: torch.Tensor  # [N, n_labels] float32, CPU: the product's scores (fused with the reader, if any)
    heard: list[str]  # the CTC head's greedy transcripts
    head_logits: torch.Tensor  # the intent head's alone


def score_test(
    config: str, model_path: Path, features_dir: Path, raw_dir: Path, device: torch.device | None = None
) -> TestScores:
    """Every test clip of `config` through the checkpoint, on `device` (the GPU when there is one)."""
    device = device or pick_device()
    loaded = load_model(model_path, device)
    if loaded.checkpoint.get("config") not in (None, config):
        print(
            f"note: {model_path} was trained on {loaded.checkpoint['config']}, scoring it on {config}", file=sys.stderr
        )
    store = open_features_for(loaded, features_dir, model_path)
    test_ids = split_ids(config, "test", raw_dir)
    _, missing = store.split_by_presence(test_ids)
    if missing:  # a test score over fewer clips than the split holds would not be comparable
        raise DataError(
            f"evaluate {config}: {len(test_ids)} test clips listed, {len(test_ids) - len(missing)} with features, "
            f"{missing_text(missing)} missing; featurize skipped them (data/features/manifest.json); "
            "fix those recordings, or score a split without them"
        )
    data = load_split(store, test_ids, raw_dir, device)
    store.close()
    logits, heard = score_split(loaded.model, data, loaded.mean, loaded.std, 128, device, transcribe=loaded.spells)
    heard = heard if loaded.spells else [""] * len(data)
    return TestScores(loaded, data, loaded.intent_scores(logits, heard), heard, logits)


def run_evaluate(config: str, model_path: Path, features_dir: Path, raw_dir: Path, out: Path) -> EvaluateResult:
    started = time.perf_counter()
    scores = score_test(config, model_path, features_dir, raw_dir)
    loaded, data, heard = scores.loaded, scores.data, scores.heard
    test_ids = data.ids
    probs = torch.softmax(scores.logits, dim=1).numpy()
    y_true = data.labels.cpu().numpy()
    meta_rows = recording_metadata(["utt", "intent", *SLICE_COLUMNS], raw_dir)
    families = voice_families(raw_dir)
    meta = [{**meta_rows[i], "voice_family": families.get(i)} for i in test_ids]
    metrics = score(loaded.labels, y_true, probs, meta)
    seed = int(loaded.checkpoint.get("seed", 0))
    y_pred = probs.argmax(axis=1)
    for name, (low, high) in (
        ("accuracy_ci", accuracy_interval(y_true, y_pred, seed)),
        ("macro_f1_ci", macro_f1_interval(y_true, y_pred, np.unique(y_true), seed)),
    ):
        metrics[name] = {"low": low, "high": high}
    train_intents = _train_intents(config, raw_dir, meta_rows)
    metrics["unseen_intent_clips"] = int(sum(1 for m in meta if m["intent"] not in train_intents))
    if loaded.spells:
        metrics["cer"], metrics["cer_clips"] = character_error_rate(data.texts, heard)
        if families:
            metrics["cer_by_family"] = cer_by_family(data.texts, heard, [m["voice_family"] for m in meta])
    if loaded.reader is not None:  # what the transcript reader adds: the intent head alone, on the same clips
        metrics["reader_weight"] = loaded.reader.weight
        metrics["head_accuracy"] = float((scores.head_logits.argmax(1).numpy() == y_true).mean())
    page = PageInputs(config, loaded.labels, test_ids, y_true, probs, heard, meta, metrics, loaded.checkpoint,
                      raw_source(raw_dir), seed)  # fmt: skip
    # one unit: a failure anywhere leaves the previous run's metrics, files and page together
    with atomic_dir(out, "evaluate", EVALUATE_NAMES) as tmp:
        write_outputs(tmp, config, loaded.labels, test_ids, y_true, probs, meta, metrics, heard,
                      validation_accuracy(loaded.checkpoint), loaded.checkpoint.get("recipe"))  # fmt: skip
        write_page(tmp / "index.html", page, raw_dir)
    return EvaluateResult(config, metrics, time.perf_counter() - started)


def raw_source(raw_dir: Path) -> str:
    """Where data/raw came from, as its manifest says."""
    manifest = Path(raw_dir) / "manifest.json"
    return json.loads(manifest.read_text()).get("source", "unknown") if manifest.is_file() else "unknown"


def _train_intents(config: str, raw_dir: Path, meta_rows: dict[int, dict]) -> set[str]:
    return {meta_rows[i]["intent"] for i in split_ids(config, "train", raw_dir)}


def write_outputs(
    out: Path,
    config: str,
    labels: list[str],
    ids: list[int],
    y_true: np.ndarray,
    probs: np.ndarray,
    meta: list[dict],
    metrics: dict[str, Any],
    heard: list[str],
    validation: float | None = None,
    recipe: dict[str, Any] | None = None,
) -> None:
    from dvclive import Live  # here, so scoring (score_test) runs where dvclive is not installed

    y_pred = probs.argmax(axis=1)
    live = Live(dir=str(out), dvcyaml=False, save_dvc_exp=False, report=None)
    # metrics.json, which DVC compares across experiments, holds only the figures people compare;
    # details.json the rest (top-5, scenario, weighted F1, slices, counts), which DVC does not read
    for name in COMPARED:
        if name in metrics:
            live.log_metric(name, metrics[name], plot=False)
    true_names = [labels[i] for i in y_true]
    pred_names = [labels[i] for i in y_pred]
    live.log_sklearn_plot("confusion_matrix", true_names, pred_names, name="confusion.json",
                          title=f"{config}: confusion matrix", x_label="predicted", y_label="true")  # fmt: skip
    figure = confusion_figure(labels, y_true, y_pred, f"{config} test: row-normalized confusion")
    live.log_image("confusion.png", figure)
    pyplot().close(figure)
    per_intent = [{"intent": name, "f1": v["f1"], "precision": v["precision"], "recall": v["recall"],
                   "support": v["support"]} for name, v in sorted(metrics["per_intent"].items())]  # fmt: skip
    live.log_plot("per_intent_f1", per_intent, x="f1", y="intent", template="bar_horizontal",
                  title=f"{config}: F1 per intent", x_label="F1", y_label="intent")  # fmt: skip
    for name in INTERVALS:  # {low, high}: `dvc metrics diff` shows both ends
        live.summary[name] = metrics[name]
    live.summary[config] = experiment_cell(metrics, validation)  # the column `dvc exp show` prints
    live.make_summary()
    live.end()
    details = {key: value for key, value in metrics.items() if key not in (*COMPARED, *INTERVALS, "per_intent")}
    details["ci"] = {"confidence": CONFIDENCE, "bootstrap_resamples": RESAMPLES}
    details["recipe"] = recipe
    (out / "details.json").write_text(json.dumps(details, indent=2, sort_keys=True) + "\n")
    write_predictions(out / "predictions.parquet", labels, ids, y_true, probs, heard)
    (out / "per_intent.json").write_text(json.dumps(metrics["per_intent"], indent=2, sort_keys=True) + "\n")
    with open(out / "errors.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "utterance", "heard", "true", "predicted", "confidence"])
        for rid, row, text, t, p, pr in zip(ids, meta, heard, y_true, y_pred, probs, strict=True):
            if t != p:
                writer.writerow([rid, csv_cell(row["utt"]), csv_cell(text), labels[t], labels[p], f"{pr[p]:.4f}"])


def csv_cell(text: str | None) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @, a tab or a carriage return would be
    run as a formula (OWASP's CSV-injection rule), so it gets a leading apostrophe."""
    text = "" if text is None else str(text)
    return "'" + text if text[:1] in FORMULA_STARTS else text


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_predictions(
    path: Path, labels: list[str], ids: list[int], y_true: np.ndarray, probs: np.ndarray, heard: list[str]
) -> None:
    """One row per test clip: the raw material for paired comparisons between runs and for browsing
    errors (`id, true, predicted, confidence, top5_intents, top5_probs, heard`)."""
    top = np.argsort(-probs, axis=1, kind="stable")[:, :5]
    table = pa.table({
        "id": pa.array(ids, pa.int64()),
        "true": [labels[i] for i in y_true],
        "predicted": [labels[row[0]] for row in top],
        "confidence": pa.array(probs[np.arange(len(probs)), top[:, 0]], pa.float32()),
        "top5_intents": [[labels[i] for i in row] for row in top],
        "top5_probs": pa.array([probs[r, row].tolist() for r, row in enumerate(top)], pa.list_(pa.float32())),
        "heard": heard,
    })  # fmt: skip
    with atomic_file(path, "wb") as handle:
        pq.write_table(table, handle)
