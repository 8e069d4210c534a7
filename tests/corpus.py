"""Tiny ITALIC-layout corpora built in tmp_path: a few real WAV files and the nine split files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from pipeline.italic import CONFIGS, METADATA_COLUMNS, SPLITS, split_file_name
from pipeline.labels import INTENTS, scenario_of

ROOT = Path(__file__).resolve().parents[1]


def tone(seconds: float = 0.5, rate: int = 16000, channels: int = 1, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    signal = 0.3 * np.sin(2 * np.pi * (200 + 50 * seed) * t) + 0.01 * rng.standard_normal(len(t))
    return np.stack([signal] * channels, axis=1) if channels > 1 else signal


def meta_row(rid: int, intent: str | None = None) -> dict[str, Any]:
    intent = intent or INTENTS[rid % len(INTENTS)]
    values = {
        "id": rid, "age": 30 + rid % 20, "gender": "female" if rid % 2 else "male", "region": "lazio",
        "nationality": "italiana", "lisp": "nessuno", "education": "master", "speaker_id": 100 + rid % 5,
        "environment": "silent", "device": "phone", "scenario": scenario_of(intent), "field": "close",
        "intent": intent, "utt": f"frase numero {rid}",
    }  # fmt: skip
    return {c: values[c] for c in METADATA_COLUMNS}


def make_zenodo(root: Path, n: int = 12, suffix: str = ".wav", intents: int | None = None) -> dict[int, dict[str, Any]]:
    """`n` recordings, split train/validation/test by id modulo 3 in every config. By default each id
    has its own intent and tone; with `intents`, ids share `intents` intents, one tone each, so a
    model can learn them."""
    (root / "recordings").mkdir(parents=True, exist_ok=True)
    rows = {rid: meta_row(rid, INTENTS[rid % intents] if intents else None) for rid in range(1, n + 1)}
    for rid in rows:
        seed = rid % intents if intents else rid
        sf.write(root / "recordings" / f"{rid}{suffix}", tone(0.4 + 0.05 * rid, seed=seed), 16000)
    for config in CONFIGS:
        for index, split in enumerate(SPLITS):
            chosen = [rows[rid] for rid in rows if rid % 3 == index]
            write_split(root, config, split, chosen)
    return rows


def write_split(root: Path, config: str, split: str, rows: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (root / split_file_name(config, split)).write_text(text, encoding="utf-8")


def read_split(root: Path, config: str, split: str) -> list[dict[str, Any]]:
    lines = (root / split_file_name(config, split)).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def complete_params(partial: dict[str, Any]) -> dict[str, Any]:
    """The project's params.yaml with `partial` laid over it, section by section: a params file must
    spell out every key."""
    import yaml

    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    for key, value in partial.items():
        params[key] = {**params[key], **value} if isinstance(value, dict) else value
    return params


def dump_params(params_file: Path, partial: dict[str, Any]) -> Path:
    """`complete_params(partial)` written to `params_file`."""
    import yaml

    params_file.write_text(yaml.safe_dump(complete_params(partial), sort_keys=False))
    return params_file


def write_params(params_file: Path, **data: Any) -> Path:
    """A params.yaml whose `data` section holds `data` (other keys as the project's params.yaml)."""
    return dump_params(params_file, {"seed": 1, "data": data})


TINY_TRAINING = {
    "model": {"channels": [8, 16]},
    "train": {"epochs": 4, "batch_size": 4, "max_seconds": 0.6, "threads": 1},
}


def trained_project(root: Path, configs: tuple[str, ...] = ("massive",), n: int = 36) -> Path:
    """A tiny corpus downloaded, featurized, and a small model trained per config:
    `root/models/<config>/model.pt`, `root/results/<config>/train`."""
    from pipeline.download.stage import run_download
    from pipeline.features.stage import run_featurize
    from pipeline.params import parse_params
    from pipeline.train.stage import run_train

    make_zenodo(root / "corpus", n=n)
    params = parse_params(TINY_TRAINING | {"data": {"source": "zenodo", "path": str(root / "corpus")}})
    run_download(params.data, root / "raw")
    run_featurize(params.features, 0.0, root / "raw", root / "features")
    for config in configs:
        run_train(params, config, root / "features", root / "raw", root / "models" / config / "model.pt",
                  root / "results" / config / "train", root / "resume")  # fmt: skip
    return root
