"""Counts and observations on hot paths, written to the shared series in batches.

In multiprocess mode each value written is a file write under a lock (about 3 us; a
histogram observation is two); a move makes some twenty. Here they add up in memory
under a lock of their own and are written each second by a daemon thread, and whenever
this process serves a scrape; so a figure is at most a second behind.
"""

from __future__ import annotations

import atexit
import bisect
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

FLUSH_SECONDS = 1.0
T = TypeVar("T")
_batches: list[Any] = []
_flusher_pid: list[int] = []  # the process the flusher thread runs in (none after a fork)
_registry_lock = threading.Lock()


class Tally:
    """A counter's child, bumped in memory."""

    def __init__(self, child: Any) -> None:
        self._child = child
        self._pending = 0
        self._lock = threading.Lock()
        _register(self)

    def bump(self, by: int = 1) -> None:
        with self._lock:
            self._pending += by

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, 0
        if pending:
            self._child.inc(pending)


class Observations:
    """A histogram's child, observed in memory (its buckets as prometheus_client keeps
    them: per bucket, not cumulative; an amount counts in the first bound >= it)."""

    def __init__(self, child: Any) -> None:
        self._child = child
        self._bounds: list[float] = list(child._upper_bounds)
        self._counts = [0] * len(self._bounds)
        self._sum = 0.0
        self._lock = threading.Lock()
        _register(self)

    def observe(self, amount: float) -> None:
        index = bisect.bisect_left(self._bounds, amount)
        with self._lock:
            self._counts[index] += 1
            self._sum += amount

    def flush(self) -> None:
        with self._lock:
            counts, self._counts = self._counts, [0] * len(self._bounds)
            total, self._sum = self._sum, 0.0
        if any(counts):
            self._child._sum.inc(total)
            for bucket, count in zip(self._child._buckets, counts, strict=True):
                if count:
                    bucket.inc(count)


_children: dict[tuple[int, tuple[str, ...]], Any] = {}


def _child(metric: Any, labels: tuple[str, ...], batch: Callable[[Any], T]) -> T:
    """The batched child of ``metric`` for these label values (made once)."""
    key = (id(metric), labels)
    found = _children.get(key)
    if found is None:
        found = _children.setdefault(key, batch(metric.labels(*labels) if labels else metric))
    return found


def tally(counter: Any, *labels: str) -> Tally:
    return _child(counter, labels, Tally)


def observations(histogram: Any, *labels: str) -> Observations:
    return _child(histogram, labels, Observations)


def flush_all() -> None:
    for batch in list(_batches):
        batch.flush()


def _flush_forever() -> None:
    while True:
        time.sleep(FLUSH_SECONDS)
        flush_all()


def _register(batch: Any) -> None:
    with _registry_lock:
        _batches.append(batch)
        if _flusher_pid != [os.getpid()]:
            _flusher_pid[:] = [os.getpid()]
            threading.Thread(target=_flush_forever, name="wfm-metrics", daemon=True).start()


atexit.register(flush_all)
