"""Which recordings a config's split holds, read from data/raw/splits.parquet."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.errors import DataError
from pipeline.italic import CONFIGS, SPLITS

RAW_DIR = Path("data/raw")


def split_ids(config: str, split: str, raw: Path = RAW_DIR) -> list[int]:
    """Ids of `config`/`split`, sorted; an unknown config or split, or an empty one, is an error."""
    if config not in CONFIGS or split not in SPLITS:
        raise DataError(
            f"unknown config/split {config}/{split}; configs: {', '.join(CONFIGS)}; splits: {', '.join(SPLITS)}"
        )
    path = Path(raw) / "splits.parquet"
    if not path.is_file():
        raise DataError(f"{path}: not found; run `dvc repro download` first")
    table = pq.read_table(path)
    mask = pc.and_(pc.equal(table["config"], config), pc.equal(table["split"], split))
    ids = sorted(table.filter(mask)["id"].to_pylist())
    if not ids:
        raise DataError(f"{path}: {config}/{split} holds no recordings; check the source's split files")
    return ids


def recording_metadata(columns: list[str], raw: Path = RAW_DIR) -> dict[int, dict]:
    """id -> the requested metadata columns of every recording in data/raw (no audio is read)."""
    shards = sorted(Path(raw).glob("recordings-*.parquet"))
    if not shards:
        raise DataError(f"{raw}: no recordings-*.parquet; run `dvc repro download` first")
    rows: dict[int, dict] = {}
    for shard in shards:
        for row in pq.read_table(shard, columns=["id", *columns]).to_pylist():
            rows[row.pop("id")] = row
    return rows


def voice_families(raw: Path = RAW_DIR) -> dict[int, str]:
    """id -> the synthesizer family that spoke it (`espeak-ng`, `kokoro`), from synth.parquet; empty
    for a corpus of human voices (ITALIC has no such file), or a synthetic one made before families."""
    path = Path(raw) / "synth.parquet"
    if not path.is_file() or "family" not in pq.read_schema(path).names:
        return {}
    table = pq.read_table(path, columns=["id", "family"])
    return dict(zip(table["id"].to_pylist(), table["family"].to_pylist(), strict=True))
