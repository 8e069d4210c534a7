"""Read ITALIC's zenodo layout (also what `italic-cnn synth` writes): `recordings/<id>.<ext>` and `<config>_<split>.json`."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.audio import AUDIO_SUFFIXES, AudioProblem, read_audio_file
from pipeline.download.records import SourceTable, check_metadata
from pipeline.errors import DataError
from pipeline.files import read_regular_file
from pipeline.italic import CONFIGS, SPLITS, ZENODO_RECORD, split_file_name
from pipeline.params import shown

MAX_SPLIT_FILE_BYTES = 256_000_000  # ITALIC's largest split file is a few MB


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
        if path.suffix.lower() in AUDIO_SUFFIXES and path.stem.isdigit() and len(path.stem) < 19:
            index.setdefault(int(path.stem), path)
    return index


def read_json_lines(path: Path):
    """Yield (`file line N`, object) per non-blank line; a file that is not JSON lines is an error."""
    data = read_regular_file(path, MAX_SPLIT_FILE_BYTES, "split file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text; split files are JSON lines, one object per recording") from None
    count = 0
    # JSON lines end at "\n" alone: str.splitlines() would also cut at U+2028, U+0085 and other breaks
    # that JSON allows raw inside a string
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            obj = json.loads(line)
        except RecursionError:
            raise DataError(f"{where}: nested too deeply; split files hold one flat object per recording") from None
        except (json.JSONDecodeError, ValueError) as exc:
            raise DataError(
                f"{where}: not JSON ({shown(getattr(exc, 'msg', str(exc)), quote=False)}); split files are JSON lines, one object per recording"
            ) from None
        count += 1
        yield where, obj
    if count == 0:
        raise DataError(f"{path}: empty split file; it should list one JSON object per recording")


def _loader(root: Path, path: Path | None, rid: int):
    def load() -> tuple[bytes, str]:
        if path is None:
            raise AudioProblem("missing_file", f"no recordings/{rid}.<ext> in {root}")
        return read_audio_file(path), str(path.relative_to(root))

    return load
