"""The C allocator's settings for a serving process.

A chart over ten million history rows makes numpy arrays of 80 MB. glibc maps each
array that large fresh from the kernel and unmaps it when freed, so every request paid
for faulting its pages in again, and now and then for the kernel compacting memory into
huge pages: at 10 M rows, time in step took 357 ms median (924 ms at worst) with glibc's
defaults and 269 ms (275 ms) once freed memory stays in the process for the next
request, charts computed on a worker thread as the server does. The price: a process
keeps what it freed (its high-water mark) instead of handing it back, which the frames'
own bound (frame.MAX_ROWS) keeps in check.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD, M_MMAP_MAX, M_ARENA_MAX = -1, -4, -8  # mallopt's parameters (malloc.h)
KEPT_AT_TOP = 2**30  # freed memory above the heap's last block handed back beyond this


def keep_freed() -> bool:
    """Large blocks from the heap, one heap for all threads (a thread's own arena maps
    large blocks fresh again), freed memory kept for reuse; glibc only, True if applied.
    Call once, early: a thread keeps the arena it already has."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return False
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:  # another C library (musl, macOS): its own defaults
        return False
    settings = ((M_ARENA_MAX, 1), (M_MMAP_MAX, 0), (M_TRIM_THRESHOLD, KEPT_AT_TOP))
    return all([bool(mallopt(parameter, value)) for parameter, value in settings])
