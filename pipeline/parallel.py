"""Ordered parallel map with bounded look-ahead: workers stay busy while the caller consumes results."""

from __future__ import annotations

import multiprocessing as mp
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
        return ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=_one_torch_thread)
    return ThreadPoolExecutor(max_workers=1)


def _one_torch_thread() -> None:
    import torch

    torch.set_num_threads(1)  # the processes already fill the cores
