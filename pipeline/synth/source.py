"""`data.source: synth`: the synthetic corpus as a download source, audio rendered on demand.

Rendering is CPU-bound Python around a C library with global state, so the download stage renders
synth recordings in worker processes (one engine each) instead of threads.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline.download.records import SourceTable, check_metadata
from pipeline.errors import DataError
from pipeline.italic import CONFIGS
from pipeline.synth import kokoro
from pipeline.synth.espeak import engine
from pipeline.synth.plan import CorpusPlan, PlannedRecording, plan_corpus
from pipeline.synth.render import encode, render

# Disk a recording takes, with room to spare: measured at ITALIC's size, 41 KB of FLAC in data/raw and
# 24 KB of log-mels in data/features, each once more in DVC's cache.
BYTES_PER_RECORDING = 150_000


@dataclass(frozen=True)
class SynthAudio:
    """A recording's loader: picklable, so worker processes can render it."""

    recording: PlannedRecording
    audio_format: str = "FLAC"

    def __call__(self) -> tuple[bytes, str]:
        suffix = "flac" if self.audio_format == "FLAC" else self.audio_format.lower()
        return encode(render(self.recording), self.audio_format), f"recordings/{self.recording.id}.{suffix}"


def check_disk(recordings: int, folder: Path) -> None:
    """Refuse a corpus that cannot fit before rendering any of it."""
    folder = next((p for p in [Path(folder), *Path(folder).absolute().parents] if p.exists()), Path("."))
    free = shutil.disk_usage(folder).free
    need = recordings * BYTES_PER_RECORDING
    if need > free:
        raise DataError(
            f"data.synth_recordings {recordings} needs about {need / 1e9:.1f} GB under {folder} (raw audio, "
            f"DVC cache, features) but only {free / 1e9:.1f} GB is free; lower data.synth_recordings or free space"
        )


def describe(recordings: int, seed: int, kokoro_share: float) -> str:
    """The corpus's identity for the manifest. Loads both engines, so a missing package or a damaged
    model fails here, before planning, and the forked workers inherit the checked model file."""
    text = f"synth {recordings} recordings, seed {seed}, espeak-ng {engine().version}"
    if kokoro_share > 0:
        kokoro.model_path()
        text += f", {kokoro_share:g} of speakers by {kokoro.describe()}"
    return text


def read_synth(recordings: int, seed: int, out: Path, kokoro_share: float) -> SourceTable:
    """Every planned recording in every config's split, with its provenance; audio comes later."""
    check_disk(recordings, out)  # before planning, which costs memory and time in proportion
    description = describe(recordings, seed, kokoro_share)
    plan: CorpusPlan = plan_corpus(recordings, seed, kokoro_share)
    table = SourceTable(description, render_in_processes=True)
    for recording in plan.recordings:
        where = f"synth recording {recording.id}"
        meta = check_metadata(recording.metadata(), where)
        for config in CONFIGS:
            table.add(meta, where, config, recording.split(config), SynthAudio(recording))
    table.provenance = [r.provenance() for r in plan.recordings]
    return table
