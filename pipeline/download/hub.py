"""Read ITALIC from the Hugging Face hub's Parquet export with `datasets` (no loading script).

The hub copy of ITALIC is served by a loading script, which `datasets` >= 4 refuses; its Parquet
export (`refs/convert/parquet`, files `<config>/<split>/*.parquet`) is read instead, with
`Audio(decode=False)` so the original bytes are kept and decoded later by soundfile. `data.hub_repo`
may also be a local folder in that same layout (a mirror, or a test).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pipeline.download.records import SourceTable, check_metadata
from pipeline.errors import SourceError
from pipeline.italic import CONFIGS, HUB_PAGE, METADATA_COLUMNS, SPLITS, ZENODO_RECORD

ZENODO_HINT = f"or use data.source: zenodo with the archive from {ZENODO_RECORD} unpacked into data.path"


def read_hub(repo: str, revision: str, description: str) -> SourceTable:
    """Load every config and split, check each row, and keep audio lazily in the Arrow tables."""
    local = Path(repo).is_dir()
    token = None if local else hub_token()
    files = list_parquet_files(repo, revision, token, local)
    table = SourceTable(description)
    for config in CONFIGS:
        for split in SPLITS:
            dataset = load_split(files[(config, split)], token, f"{config}/{split}")
            rows = dataset.remove_columns("audio").to_list()
            for index, row in enumerate(rows):
                where = f"hub {config}/{split} row {index}"
                meta = check_metadata(row, where)
                table.add(meta, where, config, split, _loader(dataset, index))
    return table


def hub_token() -> str:
    """HF_TOKEN or the cached `huggingface-cli login`; ITALIC is gated, so there must be one."""
    from huggingface_hub import get_token

    token = os.environ.get("HF_TOKEN") or get_token()
    if not token:
        raise SourceError(
            f"hub: no Hugging Face token; ITALIC is gated: accept its terms at {HUB_PAGE}, then set HF_TOKEN "
            f"or run `hf auth login`, {ZENODO_HINT}"
        )
    return token


def list_parquet_files(repo: str, revision: str, token: str | None, local: bool) -> dict[tuple[str, str], list[str]]:
    """The Parquet files of each config/split, as paths `datasets` can open (local or hf://)."""
    if local:
        names = [p.relative_to(repo).as_posix() for p in Path(repo).rglob("*.parquet")]
        prefix = str(Path(repo).resolve())
    else:
        names = _remote_names(repo, revision, token)
        prefix = f"hf://datasets/{repo}@{quote(revision, safe='')}"
    found: dict[tuple[str, str], list[str]] = {}
    for config in CONFIGS:
        for split in SPLITS:
            partial = [n for n in names if n.startswith(f"{config}/partial-{split}/")]
            if partial:
                raise SourceError(
                    f"hub: the Parquet export of {repo} {config}/{split} is partial (the hub converts only the "
                    f"first 5 GB), so recordings would be lost; {ZENODO_HINT}"
                )
            chosen = sorted(n for n in names if n.startswith(f"{config}/{split}/"))
            if not chosen:
                raise SourceError(
                    f"hub: {repo}@{revision} has no Parquet export for {config}/{split} "
                    f"(expected {config}/{split}/*.parquet); {ZENODO_HINT}"
                )
            found[(config, split)] = [f"{prefix}/{n}" for n in chosen]
    return found


def _remote_names(repo: str, revision: str, token: str) -> list[str]:
    from huggingface_hub import HfApi

    try:
        return list(HfApi().list_repo_files(repo, repo_type="dataset", revision=revision, token=token))
    except Exception as exc:
        raise explain_hub_error(exc, repo, revision) from None


def load_split(files: list[str], token: str | None, name: str) -> Any:
    import datasets

    try:
        dataset = datasets.load_dataset("parquet", data_files={"rows": files}, split="rows", token=token)
    except Exception as exc:
        raise explain_hub_error(exc, name, "") from None
    missing = [c for c in (*METADATA_COLUMNS, "audio") if c not in dataset.column_names]
    if missing:
        raise SourceError(f"hub: {name} lacks column {', '.join(missing)}; is this ITALIC's Parquet export?")
    return dataset.cast_column("audio", datasets.Audio(decode=False))


def explain_hub_error(exc: BaseException, repo: str, revision: str) -> SourceError:
    """Map huggingface_hub / network failures to one line that names the fix."""
    from huggingface_hub import errors

    at = f"{repo}@{revision}" if revision else repo
    if isinstance(exc, errors.GatedRepoError):
        return SourceError(
            f"hub: access to {repo} is gated and this token has not accepted its terms; accept them "
            f"at {HUB_PAGE} (logged in as the token's owner), {ZENODO_HINT}"
        )
    if isinstance(exc, errors.RevisionNotFoundError):
        return SourceError(f"hub: {at} not found: the dataset has no Parquet export; {ZENODO_HINT}")
    if isinstance(exc, errors.RepositoryNotFoundError):
        return SourceError(
            f"hub: {repo} not found or not visible to this token; check HF_TOKEN and the name "
            f"(data.hub_repo), {ZENODO_HINT}"
        )
    if isinstance(exc, errors.OfflineModeIsEnabled) or os.environ.get("HF_HUB_OFFLINE") == "1":
        return SourceError(
            f"hub: offline (HF_HUB_OFFLINE is set) and {at} is not cached; unset HF_HUB_OFFLINE "
            f"on a machine with internet, {ZENODO_HINT}"
        )
    if isinstance(exc, errors.HfHubHTTPError):
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status == 401:
            return SourceError(
                f"hub: the Hugging Face token was refused (401); create a new one and set HF_TOKEN, {ZENODO_HINT}"
            )
        return SourceError(f"hub: {at} answered HTTP {status}; try again later, {ZENODO_HINT}")
    if _is_network_error(exc):
        return SourceError(
            f"hub: cannot reach huggingface.co ({type(exc).__name__}); check the network or proxy, {ZENODO_HINT}"
        )
    if isinstance(exc, FileNotFoundError):
        return SourceError(f"hub: {at}: {str(exc).splitlines()[0] if str(exc) else 'file not found'}; {ZENODO_HINT}")
    return SourceError(
        f"hub: loading {at} failed ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
        f"{ZENODO_HINT}"
    )


def _is_network_error(exc: BaseException) -> bool:
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(
        names
        & {
            "ConnectionError",
            "ConnectError",
            "TimeoutException",
            "ConnectTimeout",
            "NetworkError",
            "Timeout",
            "TimeoutError",
        }
    )


def _loader(dataset: Any, index: int):
    def load() -> tuple[bytes, str]:
        audio = dataset[index]["audio"] or {}
        data, path = audio.get("bytes"), audio.get("path") or ""
        if data is None and path and Path(path).is_file():  # datasets may keep local files by path only
            data = Path(path).read_bytes()
        return data or b"", path

    return load
