"""Batched reads for nested fields, synchronous when the keys were announced ahead.

A list resolver announces what its rows will be asked for (their owners, projects,
histories); the first nested field to ask reads every announced key in one query, and
the rest are dictionary lookups. Nothing awaits, so graphql-core completes the whole
answer synchronously: an awaitable per field (a task, a future, a gather per list) costs
more than the field itself. A key nobody announced goes through a DataLoader, batched
with its siblings as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from typing import Generic, TypeAlias, TypeVar

from strawberry.dataloader import DataLoader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Prefetching(Generic[K, V]):
    """Nothing in it refers back to it (nor ``load_many`` to the request's context): what it
    read is freed with the answer, not left for the garbage collector, whose pass over a
    heavy answer's half a million objects held every thread for most of a second."""

    def __init__(self, load_many: Callable[[list[K]], Mapping[K, V]], missing: V) -> None:
        self._load_many = load_many
        self._missing = missing
        self._found: dict[K, V] = {}
        self._announced: set[K] = set()
        self._later: DataLoader[K, V] | None = None  # made for the first key not announced

    def announce(self, keys: Iterable[K]) -> None:
        found = self._found
        self._announced.update(key for key in keys if key not in found)

    def prime(self, found: Mapping[K, V]) -> None:
        """Values read along with something else: no query of their own."""
        self._found.update(found)
        self._announced.difference_update(found)

    def get(self, key: K) -> V | Awaitable[V]:
        found = self._found
        if key in found:
            return found[key]
        if key in self._announced:
            batch = list(self._announced)
            self._announced.clear()
            _store(found, batch, self._load_many(batch), self._missing)
            return found[key]
        if self._later is None:
            self._later = DataLoader(load_fn=_loading_into(found, self._load_many, self._missing))
        return self._later.load(key)


def _store(found: dict[K, V], keys: list[K], loaded: Mapping[K, V], missing: V) -> None:
    for key in keys:
        found[key] = loaded.get(key, missing)


def _loading_into(
    found: dict[K, V], load_many: Callable[[list[K]], Mapping[K, V]], missing: V
) -> Callable[[list[K]], Awaitable[list[V]]]:
    """A DataLoader's batch function that keeps what it reads in ``found``."""

    async def load(keys: list[K]) -> list[V]:
        batch = list(set(keys))
        _store(found, batch, load_many(batch), missing)
        return [found[key] for key in keys]

    return load


R = TypeVar("R")
# A field's value now, or (a key nobody announced) once its DataLoader has read it.
Later: TypeAlias = R | Awaitable[R]


def then(found: V | Awaitable[V], make: Callable[[V], R]) -> Later[R]:
    """``make(found)``, now if ``found`` is a value, else once it has been read."""
    if isinstance(found, asyncio.Future):

        async def later() -> R:
            return make(await found)

        return later()
    return make(found)  # type: ignore[arg-type]


async def settled(found: V | Awaitable[V]) -> V:
    """The value, for a resolver that is async anyway."""
    return await found if isinstance(found, asyncio.Future) else found  # type: ignore[return-value]
