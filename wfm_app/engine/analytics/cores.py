"""Two cores for a chart's passes over ten million rows: numpy lets go of the GIL in
them, so a request can use both cores for a moment (these machines have two; more
threads would only queue)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
P = TypeVar("P")
PREFIX = "wfm-chart"
SPLIT_FROM = 1_000_000  # rows: below this, handing half to a thread costs more than it saves

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix=PREFIX)


def alongside(work: Callable[..., T], *args: object) -> Future[T]:
    """``work(*args)`` on the pool, beside what the caller does meanwhile."""
    return _pool.submit(work, *args)


def halves(size: int) -> list[slice]:
    """``size`` rows as two halves to pass over side by side (``each``), or as one
    where splitting would not pay."""
    if size < SPLIT_FROM or _on_pool():
        return [slice(0, size)]
    return [slice(0, size // 2), slice(size // 2, size)]


def each(work: Callable[[P], T], parts: list[P]) -> list[T]:
    """``work`` over each of one or two parts, the second on the pool. On the pool's own
    threads every part runs there and then: a pool thread that waited for the pool
    could wait for itself."""
    if len(parts) < 2 or _on_pool():
        return [work(part) for part in parts]
    first, second = parts
    later = _pool.submit(work, second)
    return [work(first), later.result()]


def _on_pool() -> bool:
    return threading.current_thread().name.startswith(PREFIX)
