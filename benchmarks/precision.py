"""Training speed and peak memory in float32 and under bf16 autocast, per architecture, in one run.

    python benchmarks/precision.py [--raw data/raw] [--features data/features] [--waveform DIR]
        [--archs tcnn_pooled tcnn cnn2d cnn2d_pooled] [--steps 30] [--warmup 3] [--threads 0] [--device auto]
        [--width-multiple N]

Each measurement is the train stage's own step (`Trainer.step`: params.yaml's whole recipe, with
augmentation, the intent and CTC losses and the optimizer) on massive/train batches drawn as an epoch
draws them, after `--warmup` untimed steps. Every (arch, precision) runs in a fresh process, so its
peak resident memory (CPU) or peak allocated memory (CUDA) is its own; the fp32 and bf16 runs of one
arch follow each other, so the machine's state is the same for both. The waveform networks (`cnn1d`,
`cnn1d_pooled`) need `--waveform DIR`, features made with `features.kind: waveform`.

It prints one row per arch: clips/s in each precision and their ratio written as `1.70×`, peak memory
in each, and the last step's loss in each (the same within bf16's rounding, or something is wrong).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.device import pick_device  # noqa: E402
from pipeline.params import STAGED_ARCHS, WAVEFORM_ARCHS, ModelParams, load_params  # noqa: E402
from pipeline.train.data import length_batches  # noqa: E402
from pipeline.train.precision import cpu_bf16_kernels  # noqa: E402
from pipeline.train.run import RunSettings, prepare_run  # noqa: E402
from pipeline.train.seeding import epoch_seed  # noqa: E402
from pipeline.train.trainer import Trainer  # noqa: E402

CONFIG = "massive"
PRECISIONS = ("fp32", "bf16")


def measure(args: argparse.Namespace) -> dict:
    """One (arch, precision): clips/s over `--steps` timed steps, peak memory, the last losses."""
    params = load_params(ROOT / "params.yaml").for_config(CONFIG)
    device = pick_device(args.device, "--device")
    channels = STAGED_ARCHS.get(args.arch, ModelParams.channels)
    model = dataclasses.replace(params.model, arch=args.arch, channels=channels)
    train = dataclasses.replace(
        params.train,
        precision=args.precision,
        threads=args.threads,
        device=device.type,
        width_multiple=args.width_multiple,
    )
    params = dataclasses.replace(params, model=model, train=train)
    features = args.waveform if args.arch in WAVEFORM_ARCHS else args.features
    run = prepare_run(RunSettings(params, CONFIG, device), features, args.raw)
    trainer = Trainer(run.model, run.data, run.settings)
    generator = torch.Generator().manual_seed(epoch_seed(params.seed, 0))
    batches = length_batches(run.data.train.lengths, train.batch_size, generator)
    batches = (batches * (1 + (args.warmup + args.steps) // len(batches)))[: args.warmup + args.steps]
    trainer.trained.train()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    clips, started = 0, 0.0
    for number, index in enumerate(batches):
        if number == args.warmup:
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            clips, started = 0, time.perf_counter()
        intent, ctc = trainer.step(
            trainer.augmenter.batch(run.data.train, index, run.data.mean, run.data.std, generator)
        )
        clips += len(index)
    losses = (float(intent), float(ctc))  # waits for the device
    seconds = time.perf_counter() - started
    if device.type == "cuda":
        peak = torch.cuda.max_memory_allocated(device)
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    return {"arch": args.arch, "precision": trainer.precision, "clips_per_s": clips / seconds,
            "peak_mib": peak / 2**20, "intent_loss": losses[0], "ctc_loss": losses[1], "device": str(device)}  # fmt: skip


def measure_in_child(args: argparse.Namespace, arch: str, precision: str) -> dict:
    command = [sys.executable, __file__, "--one", "--arch", arch, "--precision", precision, "--raw", str(args.raw),
               "--features", str(args.features), "--steps", str(args.steps), "--warmup", str(args.warmup),
               "--threads", str(args.threads), "--device", args.device, "--width-multiple", str(args.width_multiple)]  # fmt: skip
    if args.waveform is not None:
        command += ["--waveform", str(args.waveform)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"precision.py: {arch} {precision} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    lines = ["| arch | fp32 clips/s | bf16 clips/s | bf16 / fp32 | fp32 peak MiB | bf16 peak MiB | last loss fp32 / bf16 |",
             "|---|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    by_arch: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_arch.setdefault(row["arch"], {})[row["precision"]] = row
    for arch, pair in by_arch.items():
        fp32, bf16 = pair["fp32"], pair["bf16"]
        lines.append(
            f"| {arch} | {fp32['clips_per_s']:.0f} | {bf16['clips_per_s']:.0f} | "
            f"{bf16['clips_per_s'] / fp32['clips_per_s']:.2f}× | {fp32['peak_mib']:.0f} | {bf16['peak_mib']:.0f} | "
            f"{fp32['intent_loss'] + fp32['ctc_loss']:.3f} / {bf16['intent_loss'] + bf16['ctc_loss']:.3f} |"
        )
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--features", type=Path, default=ROOT / "data" / "features")
    parser.add_argument("--waveform", type=Path, default=None, help="features.kind: waveform, for cnn1d*")
    parser.add_argument("--archs", nargs="+", default=["tcnn_pooled", "tcnn", "cnn2d", "cnn2d_pooled"])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads; 0 = every core")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--width-multiple", type=int, default=0, help="train.width_multiple (0: 32 on a GPU, 1 on CPU)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--arch", help=argparse.SUPPRESS)
    parser.add_argument("--precision", choices=PRECISIONS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.steps < 1 or args.warmup < 0:
        parser.error("--steps must be >= 1 and --warmup >= 0")
    if args.waveform is None and any(arch in WAVEFORM_ARCHS for arch in args.archs):
        parser.error(f"{', '.join(a for a in args.archs if a in WAVEFORM_ARCHS)} read waveforms: give --waveform DIR")
    return args


def main() -> None:
    args = parse_args()
    if args.one:
        print(json.dumps(measure(args)))
        return
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, CPU bf16 kernels: {cpu_bf16_kernels()}; "
          f"{args.steps} steps of batch params.yaml train.batch_size after {args.warmup} untimed", file=sys.stderr)  # fmt: skip
    rows = []
    for arch in args.archs:
        for precision in PRECISIONS:
            rows.append(measure_in_child(args, arch, precision))
            print(json.dumps(rows[-1]), file=sys.stderr)
    print(f"device: {rows[0]['device']}")
    print(table(rows))


if __name__ == "__main__":
    main()
