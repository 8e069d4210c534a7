"""Read ITALIC's zenodo layout (also what `italic-cnn synth` writes): `recordings/<id>.<ext>` and `<config>_<split>.json`."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.audio import AUDIO_SUFFIXES, AudioProblem
from pipeline.download.records import SourceTable, check_metadata
from pipeline.errors import DataError
from pipeline.italic import CONFIGS, SPLITS, ZENODO_RECORD, split_file_name


def read_zenodo(root: Path, description: str) -> SourceTable:
    """Every split file of every config, checked row by row; audio is read later, on demand."""
    root = Path(root)
    if not root.is_dir():
        raise DataError(
            f"data.path {str(root)!r} is not a folder; point it at the unpacked ITALIC archive "
            f"({ZENODO_RECORD}) or set data.source: synth"
        )
    missing = [split_file_name(c, s) for c in CONFIGS for s in SPLITS if not (root / split_file_name(c, s)).is_file()]
    if missing:
        raise DataError(
            f"{root}: missing split file {', '.join(missing)}; the folder needs "
            "<config>_<split>.json for configs massive, hard_speaker, hard_noisy and splits "
            "train, validation, test"
        )
    audio_files = index_recordings(root / "recordings")
    table = SourceTable(description)
    for config in CONFIGS:
        for split in SPLITS:
            path = root / split_file_name(config, split)
            for where, row in read_json_lines(path):
                meta = check_metadata(row, where)
                table.add(meta, where, config, split, _loader(root, audio_files.get(meta["id"]), meta["id"]))
    return table


def index_recordings(folder: Path) -> dict[int, Path]:
    """Map recording id to its file; `<id>.<ext>` with any extension soundfile reads."""
    if not folder.is_dir():
        raise DataError(f"{folder}: recordings folder not found; the archive keeps audio in recordings/<id>.wav")
    index: dict[int, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in AUDIO_SUFFIXES and path.stem.isdigit():
            index.setdefault(int(path.stem), path)
    return index


def read_json_lines(path: Path):
    """Yield (`file line N`, object) per non-blank line; a file that is not JSON lines is an error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text; split files are JSON lines, one object per recording") from None
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"{where}: not JSON ({exc.msg}); split files are JSON lines, one object per recording"
            ) from None
        count += 1
        yield where, obj
    if count == 0:
        raise DataError(f"{path}: empty split file; it should list one JSON object per recording")


def _loader(root: Path, path: Path | None, rid: int):
    def load() -> tuple[bytes, str]:
        if path is None:
            raise AudioProblem("missing_file", f"no recordings/{rid}.<ext> in {root}")
        return path.read_bytes(), str(path.relative_to(root))

    return load
