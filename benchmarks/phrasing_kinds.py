"""A trained model's test accuracy read apart on the two kinds of held-out phrasing, beside what the
true transcripts allow on the same clips.

    python benchmarks/phrasing_kinds.py --raw DIR --results DIR [--configs massive hard_speaker hard_noisy]

`evaluate` scores every test clip; this joins its `predictions.parquet` with the synthetic corpus's
provenance (`synth.parquet`: which template, and whether it is a varied or an everyday one) and
prints, per config and kind, the model's accuracy and a text classifier's accuracy on the true
transcripts of the same clips (a linear SVM on character 2-5-grams, trained on the config's training
transcripts: the ceiling the wording sets). Each figure has its Wilson 95% interval and clip count.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.models import wilson  # noqa: E402
from benchmarks.text_reader import fit_text_reader  # noqa: E402
from pipeline.italic import CONFIGS  # noqa: E402
from pipeline.splits import recording_metadata, split_ids  # noqa: E402
from pipeline.synth.templates import template_kind  # noqa: E402


def template_kinds(raw: Path) -> dict[int, str]:
    """Each recording's template kind, from its intent and template index in the provenance table."""
    rows = pq.read_table(raw / "synth.parquet", columns=["id", "intent", "template_index"]).to_pylist()
    return {r["id"]: template_kind(r["intent"], r["template_index"]) for r in rows}


def text_predictions(raw: Path, config: str, ids: list[int], meta: dict) -> dict[int, str]:
    train = split_ids(config, "train", raw)
    read = fit_text_reader([meta[i]["utt"] for i in train], [meta[i]["intent"] for i in train])
    return dict(zip(ids, read([meta[i]["utt"] for i in ids]), strict=True))


def cell(correct: int, n: int) -> str:
    low, high = wilson(correct, n)
    return f"{correct / n:.3f} ({low:.3f}-{high:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS))
    args = parser.parse_args()

    kinds = template_kinds(args.raw)
    meta = recording_metadata(["utt", "intent"], args.raw)
    print("| config | phrasing | test clips | model accuracy | text of `utt` (SVM) |")
    print("|---|---|---:|---:|---:|")
    for config in args.configs:
        predictions = pq.read_table(args.results / config / "evaluate" / "predictions.parquet").to_pylist()
        text = text_predictions(args.raw, config, [p["id"] for p in predictions], meta)
        for kind in ("varied", "everyday", "all"):
            rows = [p for p in predictions if kind == "all" or kinds[p["id"]] == kind]
            if not rows:
                continue
            model = sum(p["predicted"] == p["true"] for p in rows)
            ceiling = sum(text[p["id"]] == p["true"] for p in rows)
            print(f"| {config} | {kind} | {len(rows)} | {cell(model, len(rows))} | {cell(ceiling, len(rows))} |")


if __name__ == "__main__":
    main()
