"""Rows appended in order, written as a few large Parquet files (`<prefix>-NNNNN.parquet`).

Both data/raw and data/features are sharded this way: bounded memory while writing 16k clips, and a
handful of files for DVC to hash instead of one per clip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


class ShardedParquetWriter:
    def __init__(
        self,
        folder: Path,
        prefix: str,
        schema: pa.Schema,
        shard_rows: int,
        row_group_rows: int,
        compression: Any,
        **writer_options: Any,
    ):
        self.folder = Path(folder)
        self.prefix, self.schema, self.compression = prefix, schema, compression
        self.shard_rows, self.row_group_rows = shard_rows, row_group_rows
        self.writer_options = writer_options
        self.shards: list[str] = []
        self._writer: pq.ParquetWriter | None = None
        self._in_shard = 0
        self._batch: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        self._batch.append(row)
        if len(self._batch) >= self.row_group_rows:
            self._flush()

    def _flush(self) -> None:
        while self._batch:
            if self._writer is None:
                name = f"{self.prefix}-{len(self.shards):05d}.parquet"
                self.shards.append(name)
                self._writer = pq.ParquetWriter(
                    self.folder / name, self.schema, compression=self.compression, **self.writer_options
                )
                self._in_shard = 0
            take = min(len(self._batch), self.shard_rows - self._in_shard)
            chunk, self._batch = self._batch[:take], self._batch[take:]
            self._writer.write_table(
                pa.Table.from_pylist(chunk, schema=self.schema), row_group_size=self.row_group_rows
            )
            self._in_shard += take
            if self._in_shard >= self.shard_rows:
                self._writer.close()
                self._writer = None

    def close(self) -> list[str]:
        """Flush, close, and return the shard file names."""
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        return self.shards
