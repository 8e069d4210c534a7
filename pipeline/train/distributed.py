"""Data-parallel training through PyTorch's own engine: torchrun starts the processes, DDP averages the
gradients. This module is the only place that knows about ranks.

`italic-cnn train` under torchrun (the launcher's RANK / WORLD_SIZE / LOCAL_RANK in the environment)
joins the process group; with `train.nproc` > 1 and no launcher around it, it becomes the launcher
itself (torchrun in this process, workers running the same command), so a DVC stage needs no wrapper.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

import torch
import torch.distributed as dist

from pipeline.errors import StageParamsError
from pipeline.world import ERRORS_ENV, SINGLE, World, from_environment, record_failure, under_launcher  # noqa: F401


def join(world: World, device: torch.device, batch_size: int) -> torch.device:
    """Initialise the process group (NCCL on GPU, gloo on CPU); returns this rank's device."""
    if not world.enabled:
        return device
    if batch_size % world.size:
        raise StageParamsError(
            f"train.batch_size {batch_size} is the global batch and must divide evenly over the "
            f"{world.size} processes; use a multiple of {world.size}"
        )
    if device.type == "cuda":
        device = torch.device("cuda", world.local_rank)
        torch.cuda.set_device(device)
    if not dist.is_initialized():
        dist.init_process_group(
            "nccl" if device.type == "cuda" else "gloo", device_id=device if device.type == "cuda" else None
        )
    return device


def leave(world: World) -> None:
    if world.enabled and dist.is_initialized():
        dist.destroy_process_group()


def check_nproc(nproc: int, device_setting: str) -> None:
    """More processes than GPUs on a GPU machine would share devices: a params error, before launching."""
    if nproc > 1 and device_setting != "cpu" and torch.cuda.is_available() and nproc > torch.cuda.device_count():
        raise StageParamsError(
            f"train.nproc {nproc} is more than the {torch.cuda.device_count()} visible GPUs; "
            "lower it or set train.device: cpu"
        )


def sum_(value: torch.Tensor, world: World) -> torch.Tensor:
    """All-reduced sum (a no-op for one process)."""
    if world.enabled:
        value = value.clone()
        dist.all_reduce(value)
    return value


def broadcast_buffers(module: torch.nn.Module, world: World) -> None:
    """BatchNorm running stats from rank 0, so every rank validates (and rank 0 saves) the same model."""
    if world.enabled:
        for buffer in module.buffers():
            dist.broadcast(buffer, 0)


def broadcast_object(value: object, world: World) -> object:
    """Rank 0's value on every rank (the resume state: only rank 0 may see the file on a cluster)."""
    if not world.enabled:
        return value
    box = [value]
    dist.broadcast_object_list(box, 0)
    return box[0]


def launch(nproc: int, argv: list[str]) -> int:
    """Run `italic-cnn <argv>` in `nproc` local processes through torchrun, in this process.

    Workers record their failure in one line; torchrun stops the others when one fails; this prints the
    first recorded cause (or the exit code of a rank that died without one) and returns non-zero.
    """
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.run import get_args_parser, run

    for name in ("torch.distributed", "torch.distributed.elastic", "torch.distributed.elastic.multiprocessing.api"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # the failure is reported below, in one line
    with tempfile.TemporaryDirectory(prefix="italic-cnn-ranks-") as errors:
        os.environ[ERRORS_ENV] = errors
        os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // nproc)))
        args = get_args_parser().parse_args(
            ["--standalone", "--nproc-per-node", str(nproc), "--monitor-interval", "0.2", "-m", "pipeline", *argv]
        )
        try:
            run(args)
            return 0
        except ChildFailedError as failed:
            causes = sorted(Path(errors).glob("rank-*"), key=lambda p: p.stat().st_mtime)
            if causes:
                print(f"error: train failed on {causes[0].read_text().strip()}", file=sys.stderr)
                return 2
            rank, failure = min(failed.failures.items())
            print(f"error: train failed on rank {rank}: exit code {failure.exitcode}", file=sys.stderr)
            return 1
        finally:
            os.environ.pop(ERRORS_ENV, None)
