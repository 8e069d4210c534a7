"""`italic-cnn download`: read the chosen source, validate every row, write data/raw atomically."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from pipeline.atomic import atomic_dir
from pipeline.audio import AudioInfo, AudioProblem, probe
from pipeline.download.hub import read_hub
from pipeline.download.raw_table import ShardWriter, write_manifest, write_provenance, write_splits
from pipeline.download.records import Recording, SourceTable
from pipeline.download.zenodo import read_zenodo
from pipeline.italic import CONFIGS, SPLITS
from pipeline.labels import INTENTS
from pipeline.parallel import ordered_map, process_pool
from pipeline.params import DataParams, resolve_workers
from pipeline.skips import by_reason, check_skipped_fraction, reasons_text
from pipeline.synth.source import read_synth

ProbeResult = tuple[AudioInfo, bytes, str] | AudioProblem


@dataclass(frozen=True)
class DownloadResult:
    manifest: dict[str, Any]
    seconds: float

    def summary(self, out: Path) -> str:
        m = self.manifest["recordings"]
        reasons = reasons_text(self.manifest["skipped"])
        rate = m["in"] / self.seconds if self.seconds > 0 else 0.0
        return (
            f"download: {m['in']} in, {m['out']} out, {m['skipped']} skipped{f' ({reasons})' if reasons else ''}; "
            f"{self.manifest['memberships']} split rows over {len(self.manifest['splits'])} configs; "
            f"{self.manifest['audio_seconds'] / 3600:.2f} h of audio; {self.seconds:.1f} s ({rate:.0f} rec/s) -> {out}"
        )


def read_source(data: DataParams, out: Path) -> SourceTable:
    if data.source == "synth":
        return read_synth(data.synth_recordings, data.synth_seed, out, data.synth_kokoro_share)
    if data.source == "hub":
        return read_hub(data.hub_repo, data.hub_revision, f"hub {data.hub_repo}@{data.hub_revision}")
    return read_zenodo(Path(data.path or ""), f"zenodo {data.path}")


def run_download(data: DataParams, out: Path) -> DownloadResult:
    started = time.perf_counter()
    table = read_source(data, out)
    ids = sorted(table.recordings)
    skipped: list[dict[str, Any]] = []
    kept: dict[int, AudioInfo] = {}
    with atomic_dir(out, "download", ("*.parquet", "manifest.json")) as tmp:
        writer = ShardWriter(tmp)
        recordings = [table.recordings[i] for i in ids]
        results = _probe_all(recordings, resolve_workers(data.workers), table.render_in_processes)
        bar = tqdm(total=len(ids), desc="download", unit="rec", disable=not sys.stderr.isatty(), file=sys.stderr)
        for rid, result in zip(ids, results, strict=False):
            bar.update()
            if isinstance(result, AudioProblem):
                skipped.append(
                    {
                        "id": rid,
                        "reason": result.reason,
                        "detail": result.detail,
                        "listed_at": table.recordings[rid].where,
                    }
                )
                continue
            info, audio, path = result
            kept[rid] = info
            writer.add_recording(table.recordings[rid].meta, info, audio, path)
        bar.close()
        check_skipped_fraction("download", "recordings", len(ids), skipped, data.max_skipped_fraction)
        shards = writer.close()
        memberships = [m for m in table.memberships if m.id in kept]
        write_splits(memberships, tmp / "splits.parquet")
        if table.provenance is not None:
            write_provenance([p for p in table.provenance if p["id"] in kept], tmp / "synth.parquet")
        manifest = build_manifest(table, kept, skipped, shards, len(memberships))
        write_manifest(manifest, tmp / "manifest.json")
    return DownloadResult(manifest, time.perf_counter() - started)


def _probe_all(recordings: list[Recording], workers: int, in_processes: bool) -> Iterator[ProbeResult]:
    """Fetch (or render) and fully decode each recording, in input order. Reading files, soundfile
    releases the GIL, so threads use every core; rendering speech is Python and C with global state,
    so it runs in forked processes, one torch thread each."""
    with process_pool(workers) if in_processes else ThreadPoolExecutor(max_workers=workers) as pool:
        yield from ordered_map(pool, _probe_one, recordings, ahead=max(4 * workers, 16))


def _probe_one(rec: Recording) -> ProbeResult:
    try:
        data, path = rec.load_audio()
        return probe(data), data, path
    except AudioProblem as problem:
        return problem
    except OSError as exc:
        return AudioProblem("unreadable", f"{type(exc).__name__}: {exc}")


def build_manifest(
    table: SourceTable, kept: dict[int, AudioInfo], skipped: list[dict[str, Any]], shards: list[str], memberships: int
) -> dict[str, Any]:
    """Everything a reader needs to trust data/raw: what came in, what went out, what was dropped and why."""
    skipped_ids = {s["id"] for s in skipped}
    splits: dict[str, dict[str, dict[str, int]]] = {
        c: {s: {"listed": 0, "kept": 0, "skipped": 0} for s in SPLITS} for c in CONFIGS
    }
    for m in table.memberships:
        cell = splits[m.config][m.split]
        cell["listed"] += 1
        cell["skipped" if m.id in skipped_ids else "kept"] += 1
    intents = Counter(table.recordings[i].meta["intent"] for i in kept)
    return {
        "source": table.description,
        "recordings": {"in": len(table.recordings), "out": len(kept), "skipped": len(skipped)},
        "skipped_by_reason": by_reason(skipped),
        "skipped": sorted(skipped, key=lambda s: s["id"]),
        "memberships": memberships,
        "splits": splits,
        "intents": {name: intents.get(name, 0) for name in INTENTS},
        "intents_missing": [name for name in INTENTS if intents.get(name, 0) == 0],
        "sample_rates": {str(k): v for k, v in sorted(Counter(i.sample_rate for i in kept.values()).items())},
        "channels": {str(k): v for k, v in sorted(Counter(i.channels for i in kept.values()).items())},
        "audio_seconds": round(sum(i.duration_s for i in kept.values()), 3),
        "shards": shards,
    }
