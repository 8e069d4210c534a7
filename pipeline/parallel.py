"""Ordered parallel map with bounded look-ahead: workers stay busy while the caller consumes results."""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ordered_map(pool: Executor, fn: Callable[[T], R], items: Iterable[T], ahead: int) -> Iterator[R]:
    """Like `pool.map`, but keeps at most `ahead` items in flight, so memory stays bounded on 16k clips
    and the next items are already being worked on while the caller handles the current one."""
    pending: deque[Future[R]] = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def process_pool(workers: int) -> Executor:
    """Forked processes, one torch thread each, for CPU-bound Python (rendering speech); a single
    thread where there is one worker or no fork (the work is then done in order, in this process)."""
    if workers > 1 and "fork" in mp.get_all_start_methods():
        parent = os.getpid()
        return ProcessPoolExecutor(
            workers, mp_context=mp.get_context("fork"), initializer=_one_torch_thread, initargs=(parent,)
        )
    return ThreadPoolExecutor(max_workers=1)


def die_with_parent(parent: int) -> None:
    """Ask Linux to kill this forked worker when the process that forked it dies. The OOM killer and
    `kill -9` give a pool no chance to stop its workers, which otherwise live on holding hundreds of
    MB each. Call it first thing in a worker, never in the main process."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _one_torch_thread(parent: int) -> None:
    die_with_parent(parent)
    import torch

    torch.set_num_threads(1)  # the processes already fill the cores
