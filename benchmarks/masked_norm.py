"""What BatchNorm over real frames only costs, against PyTorch's own BatchNorm, in one run.

    python benchmarks/masked_norm.py [--archs tcnn_pooled cnn2d_pooled ...] [--batch-size 64]
        [--seconds 2] [--repeats 10] [--threads 1] [--device cpu]

For each architecture (built as `benchmarks/models.py` builds it, params.yaml's model otherwise) it
runs one forward pass on a batch of random inputs whose lengths spread from half to all of
`--seconds`, and records the input of every `MaskedBatchNorm` (`SubSpectralNorm`'s included). Then, layer by layer on those very tensors, it times
a training-mode forward and backward of `MaskedBatchNorm` and of `torch.nn.functional.batch_norm`,
which normalises over the padding too and so is the floor a masked norm can approach. Last, one
whole training step (forward, backward, AdamW) of the network on the same batch. It prints, per
architecture, the number of norm layers, milliseconds per batch of both, their ratio, and the masked
norm's share of the training step.

On `--device cuda` every timing waits for the GPU to finish (synchronize) before it reads the clock,
and the training step runs under bf16 autocast as `train` runs it there; the norm layers are timed in
float32, the precision the masked norm computes its statistics in under autocast.
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

from benchmarks.models import CHANNELS, device_or_usage_error, recipe  # noqa: E402
from pipeline.labels import INTENTS  # noqa: E402
from pipeline.models import build_model  # noqa: E402
from pipeline.models.cost import input_shape  # noqa: E402
from pipeline.models.masking import MaskedBatchNorm  # noqa: E402
from pipeline.params import WAVEFORM_ARCHS, load_params  # noqa: E402
from pipeline.train.loop import autocast  # noqa: E402


def best_milliseconds(action: Callable[[], object], repeats: int, device: torch.device) -> float:
    """The fastest of `repeats` runs after a warm-up: the least disturbed by whatever else runs. On a GPU
    the clock is read only once the queued kernels have finished."""

    def finish() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    action()
    finish()
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        finish()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def norm_inputs(
    model: torch.nn.Module, x: torch.Tensor, lengths: torch.Tensor
) -> list[tuple[MaskedBatchNorm, torch.Tensor, torch.Tensor]]:
    """(layer, input, mask) of every MaskedBatchNorm in one training-mode forward pass."""
    seen = []
    hooks = [
        module.register_forward_pre_hook(lambda m, args: seen.append((m, args[0].detach(), args[1])))
        for module in model.modules()
        if isinstance(module, MaskedBatchNorm)
    ]
    model.train()(x, lengths, transcribe=True)
    for hook in hooks:
        hook.remove()
    return seen


def time_norm(layer: MaskedBatchNorm, x: torch.Tensor, mask: torch.Tensor, repeats: int) -> tuple[float, float]:
    """Milliseconds of forward + backward on one layer's input: masked, and torch's plain BatchNorm."""
    x = x.float().requires_grad_()
    upstream = torch.randn_like(x)
    weight, bias = layer.weight.detach().clone(), layer.bias.detach().clone()
    masked = best_milliseconds(lambda: layer(x, mask).backward(upstream), repeats, x.device)
    plain = best_milliseconds(
        lambda: torch.nn.functional.batch_norm(x, None, None, weight, bias, True).backward(upstream),
        repeats,
        x.device,
    )
    return masked, plain


def step_milliseconds(model: torch.nn.Module, x: torch.Tensor, lengths: torch.Tensor, repeats: int) -> float:
    """One training step with both heads, as `Trainer.step` takes it (the CTC term stood in for by a mean)."""
    optimizer = torch.optim.AdamW(model.parameters())
    labels = torch.randint(len(INTENTS), (x.shape[0],), device=x.device)

    def step() -> None:
        with autocast(x.device):
            outputs = model(x, lengths, transcribe=True)
            loss = torch.nn.functional.cross_entropy(outputs.intent.float(), labels) + outputs.chars.float().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return best_milliseconds(step, repeats, x.device)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", type=Path, default=ROOT / "params.yaml")
    parser.add_argument("--archs", nargs="+", default=list(CHANNELS), choices=list(CHANNELS))
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu", help="cpu, cuda or auto (CUDA when visible)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = device_or_usage_error(parser, args.device)
    params = load_params(args.params)
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else f"CPU, {args.threads} thread(s)"
    print(f"batch {args.batch_size} x up to {args.seconds:g} s, {where}, best of {args.repeats}")
    print(
        f"{'arch':14s} {'norms':>5s} {'masked ms':>10s} {'plain ms':>9s} {'ratio':>6s} {'step ms':>8s} {'of step':>8s}"
    )
    for arch in args.archs:
        torch.manual_seed(0)
        kind = "waveform" if arch in WAVEFORM_ARCHS else "logmel"
        bins, per_second = input_shape(dataclasses.asdict(params.features) | {"kind": kind})
        frames = int(args.seconds * per_second)
        lengths = torch.randint(frames // 2, frames + 1, (args.batch_size,))
        x = torch.randn(args.batch_size, bins, frames) * (torch.arange(frames)[None, :] < lengths[:, None])[:, None]
        x, lengths = x.to(device), lengths.to(device)
        model = build_model(arch, bins, len(INTENTS), recipe(params, arch, 0.5, 1)[1]).to(device)
        layers = norm_inputs(model, x, lengths)
        times = [time_norm(layer, inputs, mask, args.repeats) for layer, inputs, mask in layers]
        masked, plain = (sum(column) for column in zip(*times, strict=True))
        step_ms = step_milliseconds(model, x, lengths, max(3, args.repeats // 3))
        print(
            f"{arch:14s} {len(layers):5d} {masked:10.1f} {plain:9.1f} {masked / plain:5.2f}x {step_ms:8.1f} {masked / step_ms:7.1%}"
        )


if __name__ == "__main__":
    main()
