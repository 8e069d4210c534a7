"""Open feature shards, select ids (a config's split), and hand out arrays without extra copies.

The `features` column is read chunk by chunk, never combined: a combined `binary` column holds at
most 2 GiB (int32 offsets), less than ITALIC's stft features or waveforms. Shards are written as
`large_binary` (int64 offsets); shards written as `binary` read the same way.

A consumer states the feature parameters it expects; shards made with other parameters are refused
with one line naming the differences, so a model can never be trained or scored on features it was
not built for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import torch

from pipeline.errors import DataError
from pipeline.features.shards import METADATA_KEY

FEATURES_DIR = Path("data/features")


class FeatureStore:
    """All clips of `data/features`, indexed by id; arrays are float16 views into Arrow buffers."""

    def __init__(self, folder: Path = FEATURES_DIR, expected: dict[str, Any] | None = None):
        self.folder = Path(folder)
        shards = sorted(self.folder.glob("features-*.parquet"))
        if not shards:
            raise DataError(f"{self.folder}: no feature shards; run `dvc repro featurize` (or `italic-cnn featurize`)")
        tables = [pq.read_table(path, memory_map=True) for path in shards]
        self.metadata = _metadata_of(tables[0].schema, shards[0])
        for path, table in zip(shards[1:], tables[1:], strict=True):
            if _metadata_of(table.schema, path) != self.metadata:
                raise DataError(f"{path}: made with other feature parameters than {shards[0].name}; re-run featurize")
        if expected is not None:
            check_metadata(self.metadata, expected, self.folder)
        table = pa.concat_tables(tables)
        self.ids = table.column("id").to_numpy()
        self.n_bins = table.column("n_bins").to_numpy()
        self.n_frames = table.column("n_frames").to_numpy()
        self.duration_s = table.column("duration_s").to_numpy()
        self._chunks = [_ChunkView(chunk) for chunk in table.column("features").chunks]
        self._chunk_of = np.concatenate(
            [np.full(len(c), i, dtype=np.int32) for i, c in enumerate(self._chunks)] or [np.zeros(0, np.int32)]
        )
        self._in_chunk = np.concatenate([np.arange(len(c)) for c in self._chunks] or [np.zeros(0, np.int64)])
        self._row = {int(rid): row for row, rid in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def close(self) -> None:
        """Give the decompressed shards' memory back (Arrow's allocator keeps freed memory otherwise)."""
        self._chunks = []
        pa.default_memory_pool().release_unused()

    def split_by_presence(self, ids: Iterable[int]) -> tuple[list[int], dict[int, str]]:
        """(ids with features, {id without features: why}): the reason is the one featurize recorded in
        its manifest (`corrupt`, `silent`, `too_short`, ...), or `not featurized` if it has none."""
        present, missing = [], []
        for rid in ids:
            (present if int(rid) in self._row else missing).append(int(rid))
        if not missing:
            return present, {}
        recorded: dict[int, str] = {}
        manifest = self.folder / "manifest.json"
        if manifest.is_file():
            recorded = {int(s["id"]): s["reason"] for s in json.loads(manifest.read_text()).get("skipped", [])}
        return present, {rid: recorded.get(rid, "not featurized") for rid in missing}

    def rows_of(self, ids: Iterable[int]) -> np.ndarray:
        """Row positions of `ids`; ids without features are an error that says how many and which."""
        ids = list(ids)
        missing = [i for i in ids if int(i) not in self._row]
        if missing:
            shown = ", ".join(map(str, missing[:8])) + (", ..." if len(missing) > 8 else "")
            raise DataError(
                f"{self.folder}: {len(missing)} of {len(ids)} requested ids have no features (ids {shown}); "
                "they were skipped by featurize (see data/features/manifest.json)"
            )
        return np.array([self._row[int(i)] for i in ids], dtype=np.int64)

    def array(self, rid: int) -> np.ndarray:
        """One clip as a read-only float16 [n_bins, n_frames] view (no copy)."""
        row = self._row[int(rid)]
        flat = self._chunks[self._chunk_of[row]].values(int(self._in_chunk[row]))
        return flat.reshape(int(self.n_bins[row]), int(self.n_frames[row]))

    def arrays(self, ids: Sequence[int]) -> list[np.ndarray]:
        self.rows_of(ids)
        return [self.array(i) for i in ids]

    def tensors(self, ids: Sequence[int], dtype: torch.dtype = torch.float32) -> list[torch.Tensor]:
        return [torch.from_numpy(a.astype(np.float32)).to(dtype) for a in self.arrays(ids)]

    def packed(self, ids: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Clips back to back along time, unpadded: (frames [total, n_bins] float16, each clip's first
        frame [N], its length [N]). Memory is the frames actually there, however long the longest clip;
        padding to the longest would make one 60 s clip cost every clip 60 s."""
        rows = self.rows_of(ids)
        lengths = self.n_frames[rows].astype(np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64) if len(rows) else lengths
        n_bins = {int(b) for b in self.n_bins[rows]}
        if len(n_bins) > 1:
            raise DataError(f"{self.folder}: clips with different numbers of bins {sorted(n_bins)}; re-run featurize")
        frames = torch.empty(int(lengths.sum()), n_bins.pop() if n_bins else 0, dtype=torch.float16)
        view = frames.numpy()
        for rid, start, length in zip(ids, starts.tolist(), lengths.tolist(), strict=True):
            view[start : start + length] = self.array(rid).T
        return frames, torch.from_numpy(starts), torch.from_numpy(lengths)


class _ChunkView:
    """One chunk of the `features` column: its offsets (int32 for `binary`, int64 for `large_binary`)
    and its data buffer, so a clip is a view and never a copy."""

    def __init__(self, chunk: pa.Array):
        if not (pa.types.is_binary(chunk.type) or pa.types.is_large_binary(chunk.type)):
            raise DataError(f"feature shards hold `features` as {chunk.type}, not binary; re-run featurize")
        offset_type = np.int64 if pa.types.is_large_binary(chunk.type) else np.int32
        _, offsets, data = chunk.buffers()
        self.chunk = chunk  # keeps the buffers alive
        self.offsets = np.frombuffer(offsets, dtype=offset_type)[chunk.offset : chunk.offset + len(chunk) + 1]
        self.data = data

    def __len__(self) -> int:
        return len(self.chunk)

    def values(self, index: int) -> np.ndarray:
        start, end = int(self.offsets[index]), int(self.offsets[index + 1])
        return np.frombuffer(self.data, dtype="<f2", count=(end - start) // 2, offset=start)


def _metadata_of(schema: pa.Schema, path: Path) -> dict[str, Any]:
    raw = (schema.metadata or {}).get(METADATA_KEY)
    if raw is None:
        raise DataError(
            f"{path}: not an italic-cnn feature shard (no {METADATA_KEY.decode()} metadata); re-run featurize"
        )
    return json.loads(raw)


def check_metadata(found: dict[str, Any], expected: dict[str, Any], where: Path | str) -> None:
    """Refuse features made with other parameters, naming every difference."""
    keys = sorted(set(found) | set(expected))
    diffs = [f"{k}={found.get(k)!r} (wanted {expected.get(k)!r})" for k in keys if found.get(k) != expected.get(k)]
    if diffs:
        raise DataError(
            f"{where}: features were made with {', '.join(diffs)}; re-run `dvc repro featurize` "
            "or use the params the features were made with"
        )
