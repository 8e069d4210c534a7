"""Hear, then read: what the transcript reader adds to a checkpoint's intent head, on validation and test.

    python benchmarks/reader_fusion.py --model models/massive/model.pt --config massive \
        [--features data/features] [--raw data/raw]

`train` fits the reader (pipeline/transcript_reader.py) after the epochs and weighs it on validation.
This runs the same fit (`pipeline.train.reading.fit_reader`) on any checkpoint with a CTC head, one
trained before the reader existed included, and reports what `train` and `evaluate` would: validation
accuracy at every weight, the weight validation chooses, and test accuracy with the intent head alone
and fused, with Wilson 95% intervals, the clip counts, McNemar's exact test and the paired bootstrap
interval of the difference on the same test clips. Test is reported, never used to choose. The
timing covers transcribing the training and validation clips and fitting the reader: the cost
`train` adds.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import benchmarks.models as bench_models  # noqa: E402
from pipeline.errors import UserError  # noqa: E402
from pipeline.evaluate.intervals import compare_paired  # noqa: E402
from pipeline.inference import load_model, open_features_for  # noqa: E402
from pipeline.params import TrainParams  # noqa: E402
from pipeline.splits import split_ids  # noqa: E402
from pipeline.train.data import load_split  # noqa: E402
from pipeline.train.loop import score_split  # noqa: E402
from pipeline.train.reading import fit_reader  # noqa: E402


def cell(right: np.ndarray) -> str:
    low, high = bench_models.wilson(int(right.sum()), len(right))
    return f"{right.mean():.3f} ({low:.3f}-{high:.3f}), n={len(right)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--features", type=Path, default=Path("data/features"))
    parser.add_argument("--raw", type=Path, default=Path("data/raw"))
    args = parser.parse_args()
    try:
        compare(args)
    except UserError as error:  # a missing checkpoint or features, an unknown config: one line, no traceback
        sys.exit(f"error: {error}")


def compare(args: argparse.Namespace) -> None:
    device = torch.device("cpu")
    loaded = load_model(args.model, device)
    if not loaded.spells:
        raise UserError(f"{args.model} was trained with train.ctc_weight 0: its CTC head spells nothing to read")
    if loaded.checkpoint.get("train", {}).get("val_noise_snr_db") is not None:
        raise UserError(f"{args.model} chose its epoch on noisy validation, which this benchmark does not rebuild")
    store = open_features_for(loaded, args.features, args.model)
    train, val, test = (
        load_split(store, split_ids(args.config, split, args.raw), args.raw, device)
        for split in ("train", "validation", "test")
    )
    store.close()
    trained = loaded.checkpoint["train"]  # what fit_reader reads of the run's params
    params = dataclasses.replace(TrainParams(), **{k: trained[k] for k in ("ctc_weight", "batch_size", "select_by")})
    started = time.perf_counter()
    reading = fit_reader(loaded.model, train, val, loaded.mean, loaded.std, params, device)
    seconds = time.perf_counter() - started
    if reading.reader is None:
        raise UserError(f"{args.model}: no reader to fit ({reading.skipped})")
    logits, heard = score_split(loaded.model, test, loaded.mean, loaded.std, 128, device, transcribe=True)
    y = test.labels.numpy()
    head_right = logits.argmax(1).numpy() == y
    fused_right = reading.reader.fuse(logits, heard).argmax(1).numpy() == y
    paired = compare_paired(head_right, fused_right, int(loaded.checkpoint.get("seed", 0)))

    print(f"{args.config}: {len(train)} train, {len(val)} validation, {len(test)} test clips; {args.model}")
    print(f"validation by weight ({params.select_by} chooses; accuracy / macro-F1):")
    for weight, metrics in reading.by_weight.items():
        mark = "  <- chosen" if weight == reading.reader.weight else ""
        print(f"  {weight:>4g}: {metrics['accuracy']:.3f} / {metrics['macro_f1']:.3f}{mark}")
    print(f"test, intent head alone: {cell(head_right)}")
    print(f"test, fused at weight {reading.reader.weight:g}: {cell(fused_right)}")
    low, high = paired.interval
    print(
        f"  {paired.only_head_right} test clips right only fused, {paired.only_base_right} only with the head alone "
        f"(McNemar exact p = {paired.mcnemar_p:.2g}); difference {paired.difference:+.3f}, paired bootstrap 95% "
        f"{low:+.3f} to {high:+.3f}"
    )
    print(
        f"reader: {len(reading.reader.terms)} n-grams; transcribing train + validation and fitting took {seconds:.0f} s"
    )


if __name__ == "__main__":
    main()
