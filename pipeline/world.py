"""Which process of a data-parallel job this is (from torchrun's environment), how its rows reach every
rank, and where a failing worker leaves its one line: all that the CLI and scoring need to know about
ranks. Launching and joining a job is training's business (`pipeline.train.distributed`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist

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


def record_failure(message: str) -> None:
    """A worker's one-line cause, for the launcher to print instead of every rank's traceback."""
    folder = os.environ.get(ERRORS_ENV)
    if folder:
        world = from_environment()
        Path(folder, f"rank-{world.rank}").write_text(f"rank {world.rank}: {message}\n")


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
