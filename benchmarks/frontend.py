"""What the PCEN front end costs a training step, against the log front end, in one run.

    python benchmarks/frontend.py [--archs tcnn_pooled cnn2d_pooled] [--batch-size 64] [--seconds 2]
        [--repeats 10] [--threads 2] [--device cpu]

For each architecture (params.yaml's model at its own widths) it times whole training steps (forward
with both heads, backward, AdamW) on one batch of random log-mels whose lengths spread from half to
all of `--seconds`, three ways: `model.frontend: log`, `model.frontend: pcen` as built (a moving
average from running sums), and PCEN with the exponential smoother of the paper written as a causal
convolution over three time constants (120 taps), the alternative the running sums replaced. The
three share the network's weights and alternate within each repeat, so drift in the machine's speed
falls on all of them alike. It prints milliseconds per step (median of the repeats) and the ratio to
the log front end.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import sys
import time
from pathlib import Path

import torch
from torch.nn import functional as F

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.models import build_model  # noqa: E402
from pipeline.models.masking import time_mask  # noqa: E402
from pipeline.models.pcen import PCEN, WINDOW_FRAMES  # noqa: E402
from pipeline.params import STAGED_ARCHS, load_params  # noqa: E402


class ExponentialPCEN(PCEN):
    """PCEN whose running average is the paper's exponential smoother (time constant WINDOW_FRAMES / 2
    frames), as a causal convolution normalised by the weight each frame has seen."""

    def __init__(self, n_bins: int):
        super().__init__(n_bins)
        frames = WINDOW_FRAMES / 2
        smoothing = 1 - math.exp(-1 / frames)
        taps = smoothing * (1 - smoothing) ** torch.arange(int(3 * frames)).flip(0).float()
        self.register_buffer("taps", taps[None, None, :], persistent=False)

    def smooth(self, energy: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        batch, bins, width = energy.shape
        span = self.taps.shape[-1]
        summed = F.conv1d(F.pad(energy.reshape(-1, 1, width), (span - 1, 0)), self.taps)
        seen = self.taps[0, 0].flip(0).cumsum(0)
        seen = torch.cat([seen, seen[-1:].expand(max(width - span, 0))])[:width]
        return summed.reshape(batch, bins, width) / seen


def step_ms(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    lengths: torch.Tensor,
    device: torch.device,
) -> float:
    if device.type == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    with torch.autocast(device.type, torch.bfloat16, enabled=device.type == "cuda"):  # as train runs on a GPU
        outputs = model.outputs(x, lengths)
        loss = outputs.intent.float().logsumexp(1).mean() + outputs.chars.float().logsumexp(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return 1000 * (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archs", nargs="+", default=["tcnn_pooled", "cnn2d_pooled"])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    params = load_params(ROOT / "params.yaml")
    n_bins, frames = params.features.n_mels, int(args.seconds * 100)
    generator = torch.Generator().manual_seed(0)
    lengths = torch.randint(frames // 2, frames + 1, (args.batch_size,), generator=generator)
    x = torch.randn(args.batch_size, n_bins, frames, generator=generator) * time_mask(lengths, frames)[:, None, :]
    x, lengths = x.to(device), lengths.to(device)
    print(f"{args.batch_size} clips of {args.seconds / 2:g}-{args.seconds:g} s, {n_bins} log-mel bins, "
          f"{args.threads} threads, {device}; training step, median of {args.repeats}")  # fmt: skip
    for arch in args.archs:
        model = dataclasses.asdict(params.model) | {"frontend": "log"}
        model["channels"] = STAGED_ARCHS.get(arch, model["channels"])
        log_net = build_model(arch, n_bins, 60, model).to(device)
        variants = {"log": log_net}
        for name, front in (("pcen, running sums", PCEN), ("pcen, exponential convolution", ExponentialPCEN)):
            net = build_model(arch, n_bins, 60, model).to(device)
            net.load_state_dict(log_net.state_dict())
            net.pcen = front(n_bins).to(device)
            variants[name] = net
        optimizers = {name: torch.optim.AdamW(net.parameters(), lr=1e-4) for name, net in variants.items()}
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(args.repeats + 1):  # the first round warms up (and creates AdamW's state)
            for name, net in variants.items():
                times[name].append(step_ms(net, optimizers[name], x, lengths, device))
        times = {name: measured[1:] for name, measured in times.items()}
        base = statistics.median(times["log"])
        for name, measured in times.items():
            median = statistics.median(measured)
            print(f"{arch:>14} {name:<30} {median:8.1f} ms  {median / base:5.2f}x")


if __name__ == "__main__":
    main()
