"""What each training augmentation costs, against a training step of the default model, in one run.

    python benchmarks/augment.py [--batch-size 64] [--seconds 2] [--repeats 20] [--threads 1]

Log-mel batches of random values shaped like params.yaml's features (`--seconds` of frames per clip):
for each augmentation alone (the others off), then for the default recipe's whole set, it times
`Augmenter.reverberate` / `mix_noise` / `speed` / `shift` / `spec_augment` on one batch, and last one forward-backward
step of params.yaml's model on that batch. It prints milliseconds per batch and each figure as a
share of the training step, so a new augmentation's price is read against what training costs
anyway, on the machine at hand.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.labels import INTENTS  # noqa: E402
from pipeline.models import build_model  # noqa: E402
from pipeline.params import load_params  # noqa: E402
from pipeline.train.data import Augmenter  # noqa: E402


def milliseconds(action: Callable[[], object], repeats: int) -> float:
    action()  # warm-up
    started = time.perf_counter()
    for _ in range(repeats):
        action()
    return (time.perf_counter() - started) / repeats * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", type=Path, default=ROOT / "params.yaml")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    params = load_params(args.params)
    features = dataclasses.asdict(params.features) | {"f_max": params.features.upper_hz}
    if features["kind"] != "logmel":
        sys.exit("benchmarks/augment.py: it times log-mel batches; set features.kind logmel")
    frames = int(args.seconds * params.features.sample_rate / params.features.hop_length)
    x = torch.randn(args.batch_size, params.features.n_mels, frames) * 2 - 6
    lengths = torch.full((args.batch_size,), frames)
    off = dataclasses.replace(
        params.train, speed=0.0, time_shift_ms=0.0, freq_mask=0, time_mask=0, noise_prob=0.0, reverb_prob=0.0
    )
    cases = {
        "speed 0.1": (dataclasses.replace(off, speed=0.1), "speed"),
        "time shift 100 ms": (dataclasses.replace(off, time_shift_ms=100.0), "shift"),
        "SpecAugment 2+2 masks": (dataclasses.replace(off, freq_mask=8, time_mask=20, masks=2), "spec_augment"),
        "room reverberation, half the clips": (dataclasses.replace(off, reverb_prob=0.5), "reverberate"),
        "babble, half the clips": (dataclasses.replace(off, noise_prob=0.5, noise_kinds=("babble",)), "mix_noise"),
        "white/pink/brown, half the clips": (
            dataclasses.replace(off, noise_prob=0.5, noise_kinds=("white", "pink", "brown")), "mix_noise"),
        "babble + white/pink/brown, half": (
            dataclasses.replace(off, noise_prob=0.5, noise_kinds=("babble", "white", "pink", "brown")), "mix_noise"),
    }  # fmt: skip
    generator = torch.Generator().manual_seed(0)
    rows = []
    for name, (train, method) in cases.items():
        augmenter = Augmenter(train, features)
        calls = {
            "speed": lambda a=augmenter: a.speed(x, lengths, generator),
            "shift": lambda a=augmenter: a.shift(x, lengths, generator),
            "spec_augment": lambda a=augmenter: a.spec_augment(x),
            "mix_noise": lambda a=augmenter: a.mix_noise(x, lengths, generator),
            "reverberate": lambda a=augmenter: a.reverberate(x, lengths, generator),
        }
        rows.append((name, milliseconds(calls[method], args.repeats)))
    model = build_model(params.model.arch, params.features.n_mels, len(INTENTS), dataclasses.asdict(params.model))
    optimizer = torch.optim.AdamW(model.parameters())
    labels = torch.randint(len(INTENTS), (args.batch_size,))

    def step() -> None:
        loss = torch.nn.functional.cross_entropy(model(x, lengths), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    baseline = milliseconds(step, max(3, args.repeats // 4))
    print(f"batch {args.batch_size} x {args.seconds:g} s log-mels, {args.threads} thread(s), {params.model.arch}")
    print(f"{'augmentation':36s} {'ms/batch':>9s} {'of a step':>10s}")
    for name, ms in rows:
        print(f"{name:36s} {ms:9.1f} {ms / baseline:9.1%}")
    print(f"{'training step (forward + backward)':36s} {baseline:9.1f} {1:9.0%}")


if __name__ == "__main__":
    main()
