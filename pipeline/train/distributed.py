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
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist

from pipeline.errors import StageParamsError

ERRORS_ENV = "ITALIC_CNN_RANK_ERRORS"  # folder where a failing worker leaves its one-line cause


@dataclass(frozen=True)
class World:
    """This process's place in the job; `size` 1 without a launcher is the plain single-process run.

    Under torchrun even one process joins a process group and trains through DDP, so
    `torchrun --nproc-per-node 1` exercises the same collectives (NCCL on a GPU) as a multi-GPU job."""

    rank: int = 0
    size: int = 1
    local_rank: int = 0
    launched: bool = False

    @property
    def enabled(self) -> bool:
        return self.size > 1 or self.launched

    @property
    def is_main(self) -> bool:
        return self.rank == 0


SINGLE = World()


def under_launcher() -> bool:
    """torchrun (or another launcher) started this process, even as the only one."""
    return "WORLD_SIZE" in os.environ and "RANK" in os.environ


def from_environment() -> World:
    """The world torchrun describes, or a single process."""
    if not under_launcher():
        return SINGLE
    return World(
        int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), int(os.environ.get("LOCAL_RANK", 0)), launched=True
    )


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


def gather_rows(rows: torch.Tensor, world: World, total: int) -> torch.Tensor:
    """Each rank holds rows rank, rank+size, ... of a [total, ...] tensor; every rank gets all of it."""
    if not world.enabled:
        return rows
    per_rank = -(-total // world.size)
    padded = torch.zeros((per_rank, *rows.shape[1:]), dtype=rows.dtype, device=rows.device)
    padded[: len(rows)] = rows
    parts = [torch.empty_like(padded) for _ in range(world.size)]
    dist.all_gather(parts, padded)
    out = torch.empty((total, *rows.shape[1:]), dtype=rows.dtype, device=rows.device)
    for rank, part in enumerate(parts):
        count = len(range(rank, total, world.size))
        out[rank :: world.size] = part[:count]
    return out


def gather_objects(items: list, world: World) -> list[list]:
    """Every rank's list, in rank order, on every rank (the transcripts each rank decoded)."""
    if not world.enabled:
        return [items]
    parts: list = [None] * world.size
    dist.all_gather_object(parts, items)
    return parts


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


def record_failure(message: str) -> None:
    """A worker's one-line cause, for the launcher to print instead of every rank's traceback."""
    folder = os.environ.get(ERRORS_ENV)
    if folder:
        world = from_environment()
        Path(folder, f"rank-{world.rank}").write_text(f"rank {world.rank}: {message}\n")


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
