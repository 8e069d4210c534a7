"""Does a model hear a voice family it never met? Train on one family, score both.

    python benchmarks/cross_family.py --raw data/raw --features data/features --work DIR
        [--config massive] [--params params.yaml] [--epochs N] [--seed N]

For each voice family of a synthetic corpus (synth.parquet's `family`: espeak-ng, kokoro), it writes a
view of data/raw whose `--config` train and validation splits hold only that family's recordings,
both families cut to the same number of clips (the smaller family's count, drawn with `--seed`), so
the two runs differ only in the voices they hear. Each trains with the pipeline's own `italic-cnn
train` (params.yaml's recipe; `--epochs` overrides train.epochs) and is scored by `italic-cnn
evaluate` on the whole test split, both families, which no training sentence is from. The table gives
accuracy (Wilson 95% interval) and the CTC head's character error rate per trained family and heard
family, with the clip counts. Figures are about synthetic speech, not human voices.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.models import wilson  # noqa: E402
from pipeline.splits import voice_families  # noqa: E402


def family_view(raw: Path, view: Path, config: str, family: str, sizes: dict[str, int], seed: int) -> None:
    """`raw` with `config`'s train and validation cut to `sizes[split]` recordings of `family`."""
    view.mkdir(parents=True, exist_ok=True)
    for item in raw.iterdir():
        if item.name != "splits.parquet" and not (view / item.name).exists():
            (view / item.name).symlink_to(item.resolve())
    families = voice_families(raw)
    rows = pq.read_table(raw / "splits.parquet").to_pylist()
    rng = np.random.default_rng(seed)
    kept = []
    for split in ("train", "validation"):
        ids = sorted(
            r["id"] for r in rows if (r["config"], r["split"]) == (config, split) and families[r["id"]] == family
        )
        kept += [{"id": int(i), "config": config, "split": split} for i in rng.choice(ids, sizes[split], replace=False)]
    kept += [r for r in rows if r["config"] != config or r["split"] == "test"]
    pq.write_table(pa.Table.from_pylist(sorted(kept, key=lambda r: (r["config"], r["split"], r["id"]))),
                   view / "splits.parquet")  # fmt: skip


def equal_sizes(raw: Path, config: str) -> dict[str, int]:
    """Per split, the smaller family's recording count."""
    families = voice_families(raw)
    rows = pq.read_table(raw / "splits.parquet").to_pylist()
    sizes = {}
    for split in ("train", "validation"):
        counts = {f: 0 for f in set(families.values())}
        for r in rows:
            if (r["config"], r["split"]) == (config, split):
                counts[families[r["id"]]] += 1
        sizes[split] = min(counts.values())
    return sizes


def run(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pipeline.cli", *args], check=True)


def scores_by_family(results: Path, raw: Path) -> dict[str, dict]:
    """Per heard family: clips, correct, CER (evaluate's details)."""
    families = voice_families(raw)
    predictions = pq.read_table(results / "predictions.parquet", columns=["id", "true", "predicted"]).to_pylist()
    cers = json.loads((results / "details.json").read_text()).get("cer_by_family", {})
    out: dict[str, dict] = {}
    for row in predictions:
        cell = out.setdefault(families[row["id"]], {"clips": 0, "correct": 0})
        cell["clips"] += 1
        cell["correct"] += row["true"] == row["predicted"]
    for family, cell in out.items():
        cell["cer"] = cers.get(family, {}).get("cer", float("nan"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--features", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--config", default="massive")
    parser.add_argument("--params", type=Path, default=ROOT / "params.yaml")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    families = sorted(set(voice_families(args.raw).values()))
    if len(families) < 2:
        raise SystemExit(f"{args.raw}/synth.parquet records {families or 'no'} voice family; need two")
    params = yaml.safe_load(args.params.read_text())
    if args.epochs:
        params["train"]["epochs"] = args.epochs
    args.work.mkdir(parents=True, exist_ok=True)
    params_file = args.work / "params.yaml"
    params_file.write_text(yaml.safe_dump(params, sort_keys=False))
    sizes = equal_sizes(args.raw, args.config)
    print(f"each run: {sizes['train']} train and {sizes['validation']} validation clips of one family", flush=True)
    table = []
    for family in families:
        work = args.work / family
        family_view(args.raw, work / "raw", args.config, family, sizes, args.seed)
        common = ["--config", args.config, "--params", str(params_file), "--features", str(args.features)]
        run(
            "train",
            *common,
            "--raw",
            str(work / "raw"),
            "--models",
            str(work / "models"),
            "--results",
            str(work / "results"),
        )
        run("evaluate", *common, "--raw", str(args.raw), "--model", str(work / "models" / args.config / "model.pt"),
            "--results", str(work / "results"))  # fmt: skip
        for heard, cell in sorted(scores_by_family(work / "results" / args.config / "evaluate", args.raw).items()):
            low, high = wilson(cell["correct"], cell["clips"])
            table.append(f"| {family} | {heard} | {cell['correct'] / cell['clips']:.3f} ({low:.3f}–{high:.3f}) "
                         f"| {cell['cer']:.3f} | {cell['clips']} |")  # fmt: skip
    print(f"\n{args.config}: trained on one family ({sizes['train']} clips), tested on held-out sentences of both")
    print("| trained on | heard | accuracy (95%) | CER | test clips |\n|---|---|---:|---:|---:|")
    print("\n".join(table))


if __name__ == "__main__":
    main()
