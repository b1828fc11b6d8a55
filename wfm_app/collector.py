"""Garbage-collector settings for a serving process.

A GraphQL answer of a few thousand cards allocates hundreds of thousands of short-lived
objects; with the default thresholds (a young collection every 700 allocations, a full
one every 100 young ones) the collector took two thirds of such a request's CPU, most of
it walking the long-lived heap (Reflex, SQLAlchemy, the compiled pages) again and again.
Once start-up is over, that heap is frozen (never scanned again) and young collections
come every 50,000 allocations: cycles are still collected, a few times per request.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000


def settle() -> None:
    """Freeze what start-up made and space out collections (call once, when serving)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 20, 100)
