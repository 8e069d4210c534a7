"""`italic-cnn synth`: the synthetic corpus written in the zenodo archive's layout (16-bit WAV
`recordings/<id>.wav` and the nine `<config>_<split>.json` files), so the `zenodo` route runs on it
at any size: `data.source: zenodo`, `data.path: DIR`."""

from __future__ import annotations

import io
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf
from tqdm import tqdm

from pipeline.atomic import atomic_dir, check_replaceable
from pipeline.download.raw_table import write_provenance
from pipeline.italic import CONFIGS, SPLITS, split_file_name
from pipeline.parallel import ordered_map, process_pool
from pipeline.synth.plan import plan_corpus
from pipeline.synth.source import SynthAudio, check_disk, describe


@dataclass(frozen=True)
class SynthExportResult:
    recordings: int
    audio_seconds: float
    bytes: int
    seconds: float

    def summary(self, out: Path) -> str:
        rate = self.recordings / self.seconds if self.seconds else 0.0
        return (
            f"synth: {self.recordings} recordings, {self.audio_seconds / 3600:.2f} h of audio, "
            f"{self.bytes / 1e6:.1f} MB of WAV; {self.seconds:.1f} s ({rate:.0f} rec/s) -> {out}"
        )


def _render(audio: SynthAudio) -> tuple[bytes, str]:
    return audio()


def write_zenodo(recordings: int, seed: int, out: Path, workers: int, kokoro_share: float) -> SynthExportResult:
    started = time.perf_counter()
    check_replaceable(
        out, "synth", ("recordings", "*.json", "synth.parquet")
    )  # before any work: planning 200k recordings takes seconds
    check_disk(recordings, out)
    describe(recordings, seed, kokoro_share)  # a missing package fails before planning
    plan = plan_corpus(recordings, seed, kokoro_share)
    total_bytes = 0
    samples = 0
    with atomic_dir(out, "synth", ("recordings", "*.json", "synth.parquet")) as tmp:
        (tmp / "recordings").mkdir()
        loaders = [SynthAudio(r, "WAV") for r in plan.recordings]
        bar = tqdm(total=len(loaders), desc="synth", unit="rec", disable=not sys.stderr.isatty(), file=sys.stderr)
        with process_pool(workers) as pool:
            for data, path in ordered_map(pool, _render, loaders, ahead=max(4 * workers, 16)):
                (tmp / path).write_bytes(data)
                total_bytes += len(data)
                samples += sf.info(io.BytesIO(data)).frames
                bar.update()
        bar.close()
        for config in CONFIGS:
            for split in SPLITS:
                rows = [r.metadata() for r in plan.recordings if r.split(config) == split]
                text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
                (tmp / split_file_name(config, split)).write_text(text, encoding="utf-8")
        write_provenance([r.provenance() for r in plan.recordings], tmp / "synth.parquet")
    return SynthExportResult(len(loaders), samples / 16000, total_bytes, time.perf_counter() - started)
