"""The hub route: a local folder in the hub's Parquet-export layout, and every network failure simulated."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from huggingface_hub import HfApi, errors

from pipeline.italic import CONFIGS, INT_COLUMNS, METADATA_COLUMNS, SPLITS
from tests.corpus import make_zenodo, read_split, write_params


def make_hub_export(root: Path, corpus: Path, partial: str | None = None) -> None:
    """Write `<config>/<split>/0000.parquet` as the hub exports it: ITALIC's columns, then `audio` as the
    Hugging Face Audio storage struct<bytes, path>, with the `huggingface` features metadata."""
    features = {c: {"dtype": "int64" if c in INT_COLUMNS else "string", "_type": "Value"} for c in METADATA_COLUMNS}
    features["audio"] = {"_type": "Audio"}
    schema = pa.schema(
        [pa.field(c, pa.int64() if c in INT_COLUMNS else pa.string()) for c in METADATA_COLUMNS]
        + [pa.field("audio", pa.struct([("bytes", pa.binary()), ("path", pa.string())]))],
        metadata={b"huggingface": json.dumps({"info": {"features": features}}).encode()},
    )
    for config in CONFIGS:
        for split in SPLITS:
            rows = [
                {
                    **r,
                    "audio": {
                        "bytes": (corpus / "recordings" / f"{r['id']}.wav").read_bytes(),
                        "path": f"/cache/ITALIC/recordings/{r['id']}.wav",
                    },
                }
                for r in read_split(corpus, config, split)
            ]
            folder = f"partial-{split}" if partial == f"{config}/{split}" else split
            out = root / config / folder / "0000.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), out)


def hub_run(cli, tmp_path: Path, repo: str):
    params = write_params(tmp_path / "params.yaml", source="hub", hub_repo=repo)
    return cli("download", "--params", params, "--out", tmp_path / "raw")


def error_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    return result.stderr.strip()


def test_hub_layout_gives_the_same_raw_table_as_the_zenodo_folder(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus, n=12)
    make_hub_export(tmp_path / "hub", corpus)
    result = hub_run(cli, tmp_path, str(tmp_path / "hub"))
    assert result.exit_code == 0, result.output
    hub_rows = pq.read_table(tmp_path / "raw" / "recordings-00000.parquet").to_pylist()

    zen = tmp_path / "zen"
    zen.mkdir()
    params = write_params(zen / "params.yaml", source="zenodo", path=str(corpus))
    assert cli("download", "--params", params, "--out", zen / "raw").exit_code == 0
    zen_rows = pq.read_table(zen / "raw" / "recordings-00000.parquet").to_pylist()

    assert [r["id"] for r in hub_rows] == list(range(1, 13))
    for h, z in zip(hub_rows, zen_rows, strict=False):
        assert h["audio"]["bytes"] == z["audio"]["bytes"]
        assert h["audio"]["path"] == f"/cache/ITALIC/recordings/{h['id']}.wav"
        assert {k: v for k, v in h.items() if k != "audio"} == {k: v for k, v in z.items() if k != "audio"}
    manifest = json.loads((tmp_path / "raw" / "manifest.json").read_text())
    assert manifest["source"] == f"hub {tmp_path / 'hub'}@refs/convert/parquet"
    assert pq.read_table(tmp_path / "raw" / "splits.parquet").equals(pq.read_table(zen / "raw" / "splits.parquet"))


def test_a_partial_parquet_export_is_refused(tmp_path, cli):
    corpus = tmp_path / "corpus"
    make_zenodo(corpus, n=6)
    make_hub_export(tmp_path / "hub", corpus, partial="hard_speaker/train")
    line = error_line(hub_run(cli, tmp_path, str(tmp_path / "hub")))
    assert "hard_speaker/train is partial" in line and "data.source: zenodo" in line


def test_no_token_names_hf_token_the_dataset_page_and_the_zenodo_route(tmp_path, cli, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setattr("huggingface_hub.get_token", lambda: None)
    line = error_line(hub_run(cli, tmp_path, "RiTA-nlp/ITALIC"))
    assert line.startswith("error: hub: no Hugging Face token; ITALIC is gated")
    assert "HF_TOKEN" in line
    assert "https://huggingface.co/datasets/RiTA-nlp/ITALIC" in line
    assert "data.source: zenodo" in line and "zenodo.org/records/8040649" in line
    assert not (tmp_path / "raw").exists()


def _response(status: int) -> httpx2.Response:
    return httpx2.Response(status, request=httpx2.Request("GET", "https://huggingface.co/api/datasets/x"))


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (errors.GatedRepoError("gated", response=_response(403)), "gated and this token has not accepted its terms"),
        (errors.RepositoryNotFoundError("nope", response=_response(404)), "not found or not visible to this token"),
        (errors.RevisionNotFoundError("no rev", response=_response(404)), "the dataset has no Parquet export"),
        (errors.HfHubHTTPError("bad token", response=_response(401)), "token was refused (401)"),
        (errors.OfflineModeIsEnabled("offline"), "offline (HF_HUB_OFFLINE is set)"),
        (httpx2.ConnectError("name resolution failed"), "cannot reach huggingface.co (ConnectError)"),
    ],
)
def test_hub_failures_are_one_line_with_the_fix(tmp_path, cli, monkeypatch, raised, expected):
    monkeypatch.setenv("HF_TOKEN", "hf_test_token")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)

    def fail(*args, **kwargs):
        raise raised

    monkeypatch.setattr(HfApi, "list_repo_files", fail)
    line = error_line(hub_run(cli, tmp_path, "RiTA-nlp/ITALIC"))
    assert expected in line
    assert "data.source: zenodo" in line
    assert not (tmp_path / "raw").exists()


def test_a_hub_repo_without_the_config_files_says_no_parquet_export(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_test_token")
    monkeypatch.setattr(HfApi, "list_repo_files", lambda *a, **k: ["README.md", "ITALIC.py"])
    line = error_line(hub_run(cli, tmp_path, "RiTA-nlp/ITALIC"))
    assert "RiTA-nlp/ITALIC@refs/convert/parquet has no Parquet export for massive/train" in line
