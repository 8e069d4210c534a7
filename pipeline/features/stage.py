"""`italic-cnn featurize`: every recording of data/raw, once, into feature shards in data/features.

Threads decode, downmix and resample clips (soundfile and torch release the GIL) while the main
thread runs the transform on batches of similar length, on the GPU when there is one.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import torch
from tqdm import tqdm

from pipeline.atomic import atomic_dir
from pipeline.audio import AudioProblem
from pipeline.errors import DataError
from pipeline.features.shards import FeatureShardWriter
from pipeline.features.transform import FeatureExtractor, prepare_waveform
from pipeline.parallel import ordered_map
from pipeline.params import FeatureParams, resolve_workers
from pipeline.skips import by_reason, check_skipped_fraction, reasons_text

CHUNK = 256  # clips transformed together; sorted by length inside a chunk to waste little padding
SUB_BATCH = 64


@dataclass(frozen=True)
class FeaturizeResult:
    manifest: dict[str, Any]

    def summary(self, out: Path) -> str:
        m = self.manifest
        skipped = f" ({reasons_text(m['skipped'])})" if m["skipped"] else ""
        return (
            f"featurize: {m['clips']['in']} in, {m['clips']['out']} out, {m['clips']['skipped']} skipped{skipped}; "
            f"{m['features']['kind']} {m['n_bins']} bins x {m['frames']['mean']:.0f} frames (mean); "
            f"{m['audio_seconds'] / 3600:.2f} h of audio in {m['seconds']:.1f} s "
            f"({m['clips_per_s']:.0f} clips/s, {m['real_time_factor']:.0f}x real time) on {m['device']} -> {out}"
        )


def pick_device(choice: str) -> torch.device:
    if choice == "cuda" and not torch.cuda.is_available():
        raise DataError("features.device is cuda but no CUDA GPU is visible; set features.device: auto or cpu")
    if choice == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(choice)


def iter_raw(raw: Path) -> Iterator[tuple[int, bytes]]:
    """(id, audio bytes) of every recording in data/raw, in id order, a row group at a time."""
    shards = sorted(Path(raw).glob("recordings-*.parquet"))
    if not shards:
        raise DataError(f"{raw}: no recordings-*.parquet; run `dvc repro download` first")
    last = None
    for shard in shards:
        for batch in pq.ParquetFile(shard).iter_batches(batch_size=64, columns=["id", "audio"]):
            ids = batch.column("id").to_pylist()
            audio = batch.column("audio").field("bytes").to_pylist()
            for rid, data in zip(ids, audio, strict=True):
                if last is not None and rid <= last:
                    raise DataError(f"{shard}: ids not in increasing order at id {rid}; re-run download")
                last = rid
                yield rid, data or b""


def count_raw(raw: Path) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in sorted(Path(raw).glob("recordings-*.parquet")))


def run_featurize(features: FeatureParams, max_skipped_fraction: float, raw: Path, out: Path) -> FeaturizeResult:
    started = time.perf_counter()
    device = pick_device(features.device)
    extractor = FeatureExtractor(features).to(device)
    workers = resolve_workers(features.workers)
    total = count_raw(raw)
    skipped: list[dict[str, Any]] = []
    frames: list[int] = []
    audio_seconds = 0.0

    def prepare(item: tuple[int, bytes]) -> tuple[int, torch.Tensor | AudioProblem]:
        rid, data = item
        try:
            return rid, prepare_waveform(data, features)
        except AudioProblem as problem:
            return rid, problem

    with atomic_dir(out) as tmp:
        writer = FeatureShardWriter(tmp, features.metadata(), features.shard_rows)
        bar = tqdm(total=total, desc="featurize", unit="clip", disable=not sys.stderr.isatty(), file=sys.stderr)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            chunk: list[tuple[int, torch.Tensor]] = []
            for rid, wave in ordered_map(pool, prepare, iter_raw(raw), ahead=4 * CHUNK):
                bar.update()
                if isinstance(wave, AudioProblem):
                    skipped.append({"id": rid, "reason": wave.reason, "detail": wave.detail})
                    continue
                chunk.append((rid, wave))
                if len(chunk) == CHUNK:
                    audio_seconds += _transform_and_write(chunk, extractor, device, writer, frames, features)
                    chunk = []
            audio_seconds += _transform_and_write(chunk, extractor, device, writer, frames, features)
        bar.close()
        check_skipped_fraction("featurize", "clips", total, skipped, max_skipped_fraction)
        shards = writer.close()
        seconds = time.perf_counter() - started
        manifest = {
            "features": features.metadata(),
            "n_bins": extractor.n_bins(),
            "clips": {"in": total, "out": len(frames), "skipped": len(skipped)},
            "skipped_by_reason": by_reason(skipped),
            "skipped": skipped,
            "frames": {
                "min": int(min(frames, default=0)),
                "mean": float(np.mean(frames)) if frames else 0.0,
                "max": int(max(frames, default=0)),
            },
            "audio_seconds": round(audio_seconds, 3),
            "seconds": round(seconds, 3),
            "clips_per_s": round(total / seconds, 1) if seconds else 0.0,
            "real_time_factor": round(audio_seconds / seconds, 1) if seconds else 0.0,
            "device": str(device),
            "workers": workers,
            "shards": shards,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return FeaturizeResult(manifest)


def _transform_and_write(
    chunk: list[tuple[int, torch.Tensor]],
    extractor: FeatureExtractor,
    device: torch.device,
    writer: FeatureShardWriter,
    frames: list[int],
    features: FeatureParams,
) -> float:
    """Transform a chunk in length-sorted sub-batches, then write it back in id order."""
    if not chunk:
        return 0.0
    order = sorted(range(len(chunk)), key=lambda i: len(chunk[i][1]))
    results: dict[int, torch.Tensor] = {}
    for start in range(0, len(order), SUB_BATCH):
        picked = order[start : start + SUB_BATCH]
        for i, feat in zip(picked, extractor.batch([chunk[i][1] for i in picked], device), strict=True):
            results[i] = feat
    seconds = 0.0
    for i, (rid, wave) in enumerate(chunk):
        duration = len(wave) / features.sample_rate
        writer.add(rid, results[i].numpy(), duration)
        frames.append(results[i].shape[1])
        seconds += duration
    return seconds
