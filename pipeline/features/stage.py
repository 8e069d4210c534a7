"""`italic-cnn featurize`: every recording of data/raw, once, into feature shards in data/features.

Work is cut into data/raw's row groups. On CPU, forked worker processes (one torch thread each) read,
decode, resample, transform and float16-encode whole row groups, and the main process only writes;
threads alone left 40% of the second core idle on the GIL. With a GPU, the forked workers only read,
decode and resample (they never touch CUDA), and the main process transforms on the device.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import torch
from tqdm import tqdm

from pipeline.atomic import atomic_dir
from pipeline.audio import AudioProblem
from pipeline.device import pick_device
from pipeline.errors import DataError
from pipeline.features.shards import FeatureShardWriter, encode
from pipeline.features.transform import FeatureExtractor, cut_to_max, prepare_waveform
from pipeline.parallel import die_with_parent, ordered_map
from pipeline.params import FeatureParams, resolve_workers
from pipeline.skips import by_reason, check_skipped_fraction, reasons_text

SUB_BATCH = 16  # clips transformed together, after sorting a row group by length
GPU_SUB_BATCH = 128  # on a GPU: fewer, larger transfers


@dataclass(frozen=True)
class FeaturizeResult:
    manifest: dict[str, Any]
    seconds: float  # kept out of the manifest: a DVC output must not change between identical runs

    def summary(self, out: Path) -> str:
        m = self.manifest
        rate = m["clips"]["in"] / self.seconds if self.seconds else 0.0
        real_time = m["audio_seconds"] / self.seconds if self.seconds else 0.0
        skipped = f" ({reasons_text(m['skipped'])})" if m["skipped"] else ""
        cut = f", {m['cut']['count']} cut to {m['cut']['max_seconds']:g} s" if m["cut"]["count"] else ""
        return (
            f"featurize: {m['clips']['in']} in, {m['clips']['out']} out, {m['clips']['skipped']} skipped{skipped}{cut}; "
            f"{m['features']['kind']} {m['n_bins']} bins x {m['frames']['mean']:.0f} frames (mean); "
            f"{m['audio_seconds'] / 3600:.2f} h of audio in {self.seconds:.1f} s "
            f"({rate:.0f} clips/s, {real_time:.0f}x real time) on {m['device']} -> {out}"
        )


def raw_row_groups(raw: Path) -> list[tuple[Path, int]]:
    """(shard, row group) units of data/raw, in id order; each is read by the worker that featurizes it."""
    shards = sorted(Path(raw).glob("recordings-*.parquet"))
    if not shards:
        raise DataError(f"{raw}: no recordings-*.parquet; run `dvc repro download` first")
    return [(shard, g) for shard in shards for g in range(pq.ParquetFile(shard).metadata.num_row_groups)]


def read_row_group(unit: tuple[Path, int]) -> list[tuple[int, bytes]]:
    shard, group = unit
    table = pq.ParquetFile(shard).read_row_group(group, columns=["id", "audio"])
    ids = table.column("id").to_pylist()
    audio = table.column("audio").combine_chunks().field("bytes").to_pylist()
    return [(rid, data or b"") for rid, data in zip(ids, audio, strict=True)]


def iter_raw(raw: Path) -> Iterator[tuple[int, bytes]]:
    """(id, audio bytes) of every recording in data/raw, in id order, a row group at a time."""
    for unit in raw_row_groups(raw):
        yield from read_row_group(unit)


def count_raw(raw: Path) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in sorted(Path(raw).glob("recordings-*.parquet")))


@dataclass(frozen=True)
class Featurized:
    id: int
    data: bytes  # float16 little-endian [n_bins, n_frames]
    n_bins: int
    n_frames: int
    duration_s: float  # of the audio the features cover
    cut_from_s: float | None = None  # the recording's length, where features.max_seconds cut it


def decode_chunk(
    items: list[tuple[int, bytes]], params: FeatureParams
) -> list[tuple[int, torch.Tensor | AudioProblem]]:
    """Decode, downmix and resample a run of clips: the CPU half of featurizing."""
    decoded: list[tuple[int, torch.Tensor | AudioProblem]] = []
    for rid, data in items:
        try:
            decoded.append((rid, prepare_waveform(data, params)))
        except AudioProblem as problem:
            decoded.append((rid, problem))
    return decoded


def transform_decoded(
    decoded: list[tuple[int, torch.Tensor | np.ndarray | AudioProblem]],
    extractor: FeatureExtractor,
    device: torch.device,
) -> list[Featurized | tuple[int, AudioProblem]]:
    """Features of decoded clips, transformed together in groups of similar length, in input order."""
    params = extractor.params
    results: list[Featurized | tuple[int, AudioProblem] | None] = [None] * len(decoded)
    waves: list[tuple[int, torch.Tensor]] = []
    cut_from: dict[int, float] = {}
    for index, (rid, wave) in enumerate(decoded):
        if isinstance(wave, AudioProblem):
            results[index] = (rid, wave)
            continue
        wave, whole_s = cut_to_max(torch.as_tensor(wave), params)
        if whole_s is not None:
            cut_from[index] = whole_s
        waves.append((index, wave))
    waves.sort(key=lambda item: len(item[1]))  # similar lengths together: little padding
    group_size = SUB_BATCH if device.type == "cpu" else GPU_SUB_BATCH
    for start in range(0, len(waves), group_size):
        group = waves[start : start + group_size]
        for (index, wave), feature in zip(group, extractor.batch([w for _, w in group], device), strict=True):
            results[index] = Featurized(
                id=decoded[index][0],
                data=encode(feature.numpy()),
                n_bins=feature.shape[0],
                n_frames=feature.shape[1],
                duration_s=len(wave) / params.sample_rate,
                cut_from_s=cut_from.get(index),
            )
    return results  # type: ignore[return-value]


def featurize_chunk(
    items: list[tuple[int, bytes]], extractor: FeatureExtractor, device: torch.device
) -> list[Featurized | tuple[int, AudioProblem]]:
    """Decode and transform a run of clips, in one worker."""
    return transform_decoded(decode_chunk(items, extractor.params), extractor, device)


_WORKER: dict[str, Any] = {}


def _init_worker(features: FeatureParams, device: str, threads: int | None) -> None:
    if threads is not None:
        torch.set_num_threads(threads)  # one per process: the processes already fill the cores
    _WORKER["extractor"] = FeatureExtractor(features).to(device)
    _WORKER["device"] = torch.device(device)


def _init_forked_worker(parent: int, features: FeatureParams, device: str, threads: int | None) -> None:
    die_with_parent(parent)  # killed with featurize, not left holding its memory
    _init_worker(features, device, threads)


def _featurize_unit(unit: tuple[Path, int]) -> list[Featurized | tuple[int, AudioProblem]]:
    return featurize_chunk(read_row_group(unit), _WORKER["extractor"], _WORKER["device"])


def _decode_unit(unit: tuple[Path, int]) -> list[tuple[int, np.ndarray | AudioProblem]]:
    """numpy, not tensors: torch would pass each tensor through its own shared-memory file."""
    decoded = decode_chunk(read_row_group(unit), _WORKER["extractor"].params)
    return [(rid, wave.numpy() if isinstance(wave, torch.Tensor) else wave) for rid, wave in decoded]


def can_fork(workers: int) -> bool:
    return workers > 1 and "fork" in mp.get_all_start_methods()


def featurized_units(
    features: FeatureParams,
    extractor: FeatureExtractor,
    device: torch.device,
    raw: Path,
    workers: int,
    decode_apart: bool | None = None,
) -> Iterator[list[Featurized | tuple[int, AudioProblem]]]:
    """Each row group of data/raw featurized, in order.

    On CPU, forked processes do everything. With a GPU, forked processes (which never touch CUDA)
    decode and resample, and this process transforms on the device: decoding in threads instead
    held the GIL, so the GPU path ran at a third of the CPU path's speed on 16 cores. `decode_apart`
    (default: on a GPU) picks the second way on any device."""
    units = raw_row_groups(raw)
    if decode_apart is None:
        decode_apart = device.type != "cpu"
    if not can_fork(workers):
        with make_pool(features, device, workers) as pool:
            yield from ordered_map(pool, _featurize_unit, units, ahead=2 * workers)
        return
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=_init_forked_worker,
                             initargs=(os.getpid(), features, "cpu", 1)) as pool:  # fmt: skip
        if not decode_apart:
            yield from ordered_map(pool, _featurize_unit, units, ahead=2 * workers)
            return
        for decoded in ordered_map(pool, _decode_unit, units, ahead=2 * workers):
            yield transform_decoded(decoded, extractor, device)


def make_pool(features: FeatureParams, device: torch.device, workers: int) -> Executor:
    """Threads, where fork is unavailable or there is one worker."""
    _init_worker(features, str(device), None)
    return ThreadPoolExecutor(workers)


def run_featurize(features: FeatureParams, max_skipped_fraction: float, raw: Path, out: Path) -> FeaturizeResult:
    started = time.perf_counter()
    device = pick_device(features.device, "features.device")
    extractor = FeatureExtractor(features).to(device)
    workers = resolve_workers(features.workers)
    total = count_raw(raw)
    skipped: list[dict[str, Any]] = []
    cut: list[dict[str, Any]] = []
    frames: list[int] = []
    audio_seconds = 0.0

    with atomic_dir(out, "featurize", ("*.parquet", "manifest.json")) as tmp:
        writer = FeatureShardWriter(tmp, features.metadata(), features.shard_rows)
        bar = tqdm(total=total, desc="featurize", unit="clip", disable=not sys.stderr.isatty(), file=sys.stderr)
        last_id = None
        for results in featurized_units(features, extractor, device, raw, workers):
            bar.update(len(results))
            for result in results:
                rid = result.id if isinstance(result, Featurized) else result[0]
                if last_id is not None and rid <= last_id:
                    raise DataError(f"{raw}: ids not in increasing order at id {rid}; re-run download")
                last_id = rid
                if isinstance(result, Featurized):
                    writer.add_encoded(result.id, result.data, result.n_bins, result.n_frames, result.duration_s)
                    frames.append(result.n_frames)
                    audio_seconds += result.duration_s
                    if result.cut_from_s is not None:
                        cut.append({"id": result.id, "seconds": round(result.cut_from_s, 3)})
                else:
                    rid, problem = result
                    skipped.append({"id": rid, "reason": problem.reason, "detail": problem.detail})
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
            # clips longer than features.max_seconds: their features hold the first max_seconds only
            "cut": {"max_seconds": features.max_seconds, "count": len(cut), "clips": cut},
            "frames": {
                "min": int(min(frames, default=0)),
                "mean": float(np.mean(frames)) if frames else 0.0,
                "max": int(max(frames, default=0)),
            },
            "audio_seconds": round(audio_seconds, 3),
            "device": str(device),
            "shards": shards,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return FeaturizeResult(manifest, seconds)
