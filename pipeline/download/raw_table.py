"""Write data/raw: recording shards, split memberships and the manifest; the layout is in the README.

Shards carry the Hugging Face feature metadata, so `datasets.load_dataset("parquet", ...)` reads
them back with `audio` typed as `Audio(decode=False)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.audio import AudioInfo
from pipeline.download.records import Membership
from pipeline.italic import INT_COLUMNS, METADATA_COLUMNS
from pipeline.parquet_shards import ShardedParquetWriter

SHARD_ROWS = 1000
ROW_GROUP_ROWS = 100  # bounded memory when a reader streams audio bytes
AUDIO_INFO_COLUMNS = {
    "sampling_rate": pa.int32(),
    "channels": pa.int16(),
    "num_samples": pa.int64(),
    "duration_s": pa.float32(),
}
# encoded audio (Opus, FLAC, even PCM) barely shrinks under zstd but costs every reader a decompression
COMPRESSION = {c: "zstd" for c in (*METADATA_COLUMNS, *AUDIO_INFO_COLUMNS, "audio.path")} | {"audio.bytes": "none"}
AUDIO_TYPE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])


def recordings_schema() -> pa.Schema:
    fields = [pa.field(c, pa.int64() if c in INT_COLUMNS else pa.string()) for c in METADATA_COLUMNS]
    fields += [pa.field(name, kind) for name, kind in AUDIO_INFO_COLUMNS.items()]
    fields.append(pa.field("audio", AUDIO_TYPE))
    hf_features: dict[str, Any] = {
        c: {"dtype": "int64" if c in INT_COLUMNS else "string", "_type": "Value"} for c in METADATA_COLUMNS
    }
    hf_features.update({name: {"dtype": str(kind), "_type": "Value"} for name, kind in AUDIO_INFO_COLUMNS.items()})
    hf_features["audio"] = {"decode": False, "_type": "Audio"}
    hf_features["duration_s"]["dtype"] = "float32"
    metadata = {b"huggingface": json.dumps({"info": {"features": hf_features}}).encode()}
    return pa.schema(fields, metadata=metadata)


class ShardWriter(ShardedParquetWriter):
    """Recordings in id order; a new `recordings-NNNNN.parquet` every SHARD_ROWS rows."""

    def __init__(self, folder: Path):
        super().__init__(folder, "recordings", recordings_schema(), SHARD_ROWS, ROW_GROUP_ROWS, COMPRESSION)

    def add_recording(self, meta: dict[str, Any], info: AudioInfo, data: bytes, path: str) -> None:
        row = dict(meta)
        row.update(sampling_rate=info.sample_rate, channels=info.channels, num_samples=info.num_samples,
                   duration_s=info.duration_s, audio={"bytes": data, "path": path})  # fmt: skip
        self.add(row)


def write_splits(memberships: Iterable[Membership], path: Path) -> None:
    rows = sorted(memberships, key=lambda m: (m.config, m.split, m.id))
    table = pa.table(
        {
            "id": pa.array([m.id for m in rows], pa.int64()),
            "config": pa.array([m.config for m in rows], pa.string()),
            "split": pa.array([m.split for m in rows], pa.string()),
        }
    )
    pq.write_table(table, path, compression="zstd")


def write_provenance(rows: list[dict[str, Any]], path: Path) -> None:
    """synth.parquet: one row per synthetic recording (template, voice, device, noise), sorted by id."""
    pq.write_table(pa.Table.from_pylist(sorted(rows, key=lambda r: r["id"])), path, compression="zstd")


def write_manifest(manifest: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
