"""What the synthetic corpus's wording allows: intent accuracy from the true transcripts alone.

    python benchmarks/text_ceiling.py [--recordings 16521] [--seed 20231124]

A model that heard every word perfectly would still have to map new phrasings to intents. This scores
that ceiling without rendering any audio: it plans the corpus (sentences and splits only), trains a
linear SVM on the character 2-5-grams (and, as a second reader, the word 1-2-grams) of each config's
training sentences, and scores its validation and test sentences, which come from templates training
never saw. It does so twice in one run: with the varied templates alone (the baseline: 24 per intent,
each worded unlike the others) and with the everyday ones mixed in (48 per intent), and prints the
ratio. Each accuracy carries its Wilson 95% interval and the sentence count it rests on.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import benchmarks.models as bench_models  # noqa: E402
import pipeline.synth.plan as plan_module  # noqa: E402
from benchmarks.text_reader import fit_text_reader  # noqa: E402
from pipeline.italic import CONFIGS  # noqa: E402
from pipeline.synth.phrasing import templates_by_intent  # noqa: E402
from pipeline.synth.plan import ITALIC_RECORDINGS, plan_corpus  # noqa: E402

READERS = {"char 2-5-grams": ("char_wb", (2, 5)), "word 1-2-grams": ("word", (1, 2))}


def score(plan, config: str, analyzer: str, ngrams: tuple[int, int]) -> dict[str, tuple[int, int]]:
    """(correct, sentences) on validation and test for one config, trained on its train sentences."""
    by_split: dict[str, list] = {"train": [], "validation": [], "test": []}
    for recording in plan.recordings:
        by_split[recording.split(config)].append(recording)
    read = fit_text_reader([r.utt for r in by_split["train"]], [r.intent for r in by_split["train"]], analyzer, ngrams)
    result = {}
    for split in ("validation", "test"):
        predicted = read([r.utt for r in by_split[split]])
        correct = sum(p == r.intent for p, r in zip(predicted, by_split[split], strict=True))
        result[split] = (int(correct), len(by_split[split]))
    return result


def cell(correct: int, n: int) -> str:
    low, high = bench_models.wilson(correct, n)
    return f"{correct / n:.3f} ({low:.3f}-{high:.3f}), n={n}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recordings", type=int, default=ITALIC_RECORDINGS)
    parser.add_argument("--seed", type=int, default=20231124)
    args = parser.parse_args()

    every = templates_by_intent()
    varied = {intent: tuple(t for t in ts if t.kind == "varied") for intent, ts in every.items()}
    template_sets = {"varied only (24/intent)": varied, "varied + everyday (48/intent)": every}
    scores: dict[tuple[str, str, str], dict[str, tuple[int, int]]] = {}
    for set_name, templates in template_sets.items():
        plan_module.templates_by_intent = lambda t=templates: t  # the plan reads its templates through this name
        started = time.perf_counter()
        plan = plan_corpus(args.recordings, args.seed)
        print(f"{set_name}: planned {len(plan.recordings)} sentences in {time.perf_counter() - started:.1f} s")
        for config in CONFIGS:
            for reader, (analyzer, ngrams) in READERS.items():
                scores[set_name, config, reader] = score(plan, config, analyzer, ngrams)
    plan_module.templates_by_intent = templates_by_intent

    baseline, enriched = template_sets
    print(f"\n| config | reader | split | {baseline} | {enriched} | ratio |")
    print("|---|---|---|---:|---:|---:|")
    for config in CONFIGS:
        for reader in READERS:
            for split in ("validation", "test"):
                before = scores[baseline, config, reader][split]
                after = scores[enriched, config, reader][split]
                ratio = (after[0] / after[1]) / (before[0] / before[1])
                print(f"| {config} | {reader} | {split} | {cell(*before)} | {cell(*after)} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
