"""results/<config>/evaluate/index.html: one self-contained page to read a model's test run and listen
to its errors, and results/index.html linking every config's page.

Everything the page shows is in the file: the clips as Ogg Vorbis data URIs (16 kHz mono, about
4.5 kB a second), the rows as JSON the page's script filters, sorts and draws. No server, no CDN: it opens from
disk and from a CI artifact. The HTML comes from a Jinja2 template (`templates/page.html.j2`) with
autoescaping; data reaches the script only through `tojson`, which escapes `<`, `>`, `&` and `'`.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import soundfile as sf

from pipeline.atomic import atomic_file
from pipeline.audio import AudioProblem
from pipeline.evaluate.intervals import accuracy_interval
from pipeline.evaluate.ogg import with_serial
from pipeline.features.stage import iter_raw
from pipeline.features.transform import prepare_waveform
from pipeline.params import FeatureParams

# every speaker and recording column ITALIC has, each a slice of the test clips (age in bands)
SLICE_COLUMNS = ("gender", "age", "region", "education", "nationality", "lisp", "environment", "device", "field")
# not ITALIC's: which synthesizer spoke a synthetic clip; a slice only where the corpus records it
EXTRA_SLICE_COLUMNS = ("voice_family",)
AGE_BANDS = ((0, 25, "< 25"), (25, 35, "25–34"), (35, 45, "35–44"), (45, 55, "45–54"), (55, 65, "55–64"),
             (65, 200, "65 +"))  # fmt: skip
AUDIO_RATE = 16000
# libsndfile's lowest Vorbis quality: about 36 kbit/s at 16 kHz, clear speech. Opus would be half the
# size, but libsndfile encodes it at a few times real time (0.16 s a clip): 8 minutes for ITALIC's
# test split, against 30 s for Vorbis
VORBIS_COMPRESSION = 1.0
TOP_PAIRS = 15

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("pipeline.evaluate", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class PageInputs:
    """What evaluate knows about a test run, as the page needs it."""

    config: str
    labels: list[str]
    ids: list[int]
    y_true: np.ndarray
    probs: np.ndarray
    heard: list[str]
    meta: list[dict[str, Any]]  # per clip: utt and the SLICE_COLUMNS
    metrics: dict[str, Any]
    checkpoint: dict[str, Any]
    source: str  # where data/raw came from (its manifest's `source`)
    seed: int


def slice_value(column: str, value: Any) -> str:
    if value is None or value == "":
        return "unknown"
    if column == "age":  # an age outside every band (a typo, -1 for "not given") is unknown, not a crash
        age = int(value)
        return next((name for low, high, name in AGE_BANDS if low <= age < high), "unknown")
    return str(value)


def page_columns(meta: Sequence[dict[str, Any]]) -> tuple[str, ...]:
    """ITALIC's slice columns, then each extra column that some clip has a value for."""
    extra = tuple(c for c in EXTRA_SLICE_COLUMNS if any(m.get(c) not in (None, "") for m in meta))
    return (*SLICE_COLUMNS, *extra)


def slice_table(inputs: PageInputs, y_pred: np.ndarray, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Per column, per value: clips, accuracy and its 95% bootstrap interval, worst first."""
    correct = inputs.y_true == y_pred
    table = []
    for column in columns:
        values = np.array([slice_value(column, m.get(column)) for m in inputs.meta])
        rows = []
        for value in sorted(set(values.tolist())):
            chosen = values == value
            low, high = accuracy_interval(inputs.y_true[chosen], y_pred[chosen], inputs.seed)
            rows.append({"value": value, "clips": int(chosen.sum()), "accuracy": float(correct[chosen].mean()),
                         "low": low, "high": high})  # fmt: skip
        table.append({"column": column, "rows": sorted(rows, key=lambda r: (r["accuracy"], r["value"]))})
    return table


def confusion(labels: Sequence[str], y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, Any]:
    """Counts [true, predicted] over the intents present (as truth or prediction), row shares, and
    the most-confused pairs."""
    present = sorted(set(y_true.tolist()) | set(y_pred.tolist()))
    position = {label: i for i, label in enumerate(present)}
    counts = np.zeros((len(present), len(present)), dtype=np.int64)
    np.add.at(counts, ([position[t] for t in y_true], [position[p] for p in y_pred]), 1)
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    off = [
        (int(counts[i, j]), i, j) for i in range(len(present)) for j in range(len(present)) if i != j and counts[i, j]
    ]
    pairs = [{"true": labels[present[i]], "predicted": labels[present[j]], "count": n,
              "share": float(shares[i, j])} for n, i, j in sorted(off, key=lambda c: (-c[0], c[1], c[2]))[:TOP_PAIRS]]  # fmt: skip
    return {"labels": [labels[i] for i in present], "counts": counts.tolist(),
            "shares": np.round(shares, 4).tolist(), "pairs": pairs}  # fmt: skip


def audio_data_uri(wave: np.ndarray, rate: int, serial: int) -> str:
    """Ogg Vorbis with a fixed stream serial (the clip's id), so a rerun writes the same page."""
    buffer = io.BytesIO()
    sf.write(buffer, wave, rate, format="OGG", subtype="VORBIS", compression_level=VORBIS_COMPRESSION)
    data = with_serial(buffer.getvalue(), serial)
    return "data:audio/ogg;codecs=vorbis;base64," + base64.b64encode(data).decode("ascii")


def clip_audio(raw_dir: Path, ids: Sequence[int]) -> dict[int, str]:
    """Each clip as an Ogg Vorbis data URI, read, decoded, downmixed and resampled as featurize does;
    a clip that cannot be decoded gets "" (it could not have been scored either, so this does not happen)."""
    wanted = {int(i) for i in ids}
    params = FeatureParams(sample_rate=AUDIO_RATE)
    out: dict[int, str] = {}
    for rid, data in iter_raw(raw_dir):
        if rid not in wanted:
            continue
        try:
            out[rid] = audio_data_uri(prepare_waveform(data, params).numpy(), AUDIO_RATE, rid)
        except AudioProblem:
            out[rid] = ""
    return out


def clip_rows(
    inputs: PageInputs, y_pred: np.ndarray, audio: dict[int, str], columns: Sequence[str]
) -> list[dict[str, Any]]:
    top = np.argsort(-inputs.probs, axis=1, kind="stable")[:, :5]
    rows = []
    for n, rid in enumerate(inputs.ids):
        meta = inputs.meta[n]
        rows.append({
            "id": int(rid), "utt": meta.get("utt") or "", "heard": inputs.heard[n],
            "true": inputs.labels[inputs.y_true[n]], "predicted": inputs.labels[y_pred[n]],
            "confidence": round(float(inputs.probs[n, y_pred[n]]), 4),
            "top5": [[inputs.labels[k], round(float(inputs.probs[n, k]), 4)] for k in top[n]],
            "slices": {c: slice_value(c, meta.get(c)) for c in columns},
            "audio": audio.get(int(rid), ""),
        })  # fmt: skip
    return rows


def page_context(inputs: PageInputs, audio: dict[int, str]) -> dict[str, Any]:
    y_pred = inputs.probs.argmax(axis=1)
    columns = page_columns(inputs.meta)
    checkpoint = inputs.checkpoint
    m = inputs.metrics
    headline = [("accuracy", m["accuracy"], m["accuracy_ci"]), ("macro-F1", m["macro_f1"], m["macro_f1_ci"]),
                ("top-5 accuracy", m["top5_accuracy"], None), ("scenario accuracy", m["scenario_accuracy"], None)]  # fmt: skip
    if "cer" in m:
        headline.append((f"CER ({m['cer_clips']} transcripts)", m["cer"], None))
    for family, cer in m.get("cer_by_family", {}).items():
        headline.append((f"CER, {family} voices ({cer['clips']} transcripts)", cer["cer"], None))
    if "head_accuracy" in m:
        headline.append((f"intent head alone (reader weight {m['reader_weight']:g})", m["head_accuracy"], None))
    best = checkpoint.get("best", {})
    return {
        "config": inputs.config,
        "headline": headline,
        "clips": m["clips"],
        "errors": int((inputs.y_true != y_pred).sum()),
        "best": best,
        "sizes": checkpoint.get("clips", {}),
        "source": inputs.source,
        "params": {
            "model": {"arch": checkpoint.get("arch"), **checkpoint.get("model", {})},
            "features": checkpoint.get("features", {}),
            "train": checkpoint.get("train", {}),
            # the keys this config's own recipe set over the shared sections (checkpoints since recipes)
            **({"recipe": checkpoint["recipe"]} if checkpoint.get("recipe") else {}),
        },
        "confusion": confusion(inputs.labels, inputs.y_true, y_pred),
        "slices": slice_table(inputs, y_pred, columns),
        "slice_columns": list(columns),
        "intents": sorted({inputs.labels[i] for i in inputs.y_true}),
        "rows": clip_rows(inputs, y_pred, audio, columns),
    }


def write_page(path: Path, inputs: PageInputs, raw_dir: Path) -> None:
    html = _TEMPLATES.get_template("page.html.j2").render(page_context(inputs, clip_audio(raw_dir, inputs.ids)))
    with atomic_file(path) as handle:
        handle.write(html)


def write_index(path: Path, table: dict[str, Any], results: Path) -> None:
    """results/index.html: a link to every config's page, with the scores `italic-cnn summarize` reads."""
    path = Path(path)
    links = {config: os.path.relpath(Path(results) / config / "evaluate" / "index.html", path.parent)
             for config in table}  # fmt: skip
    html = _TEMPLATES.get_template("index.html.j2").render(table=table, links=links)
    with atomic_file(path) as handle:
        handle.write(html)
