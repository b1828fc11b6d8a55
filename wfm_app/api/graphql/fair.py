"""Turns at the API's worker threads, taken in rotation between clients.

A plain limiter serves callers in arrival order: a client that sends fifty queries at once
puts everyone else's next call behind all fifty. Here each client (the acting user) has
its own queue and a freed thread goes to the next client in rotation, so a light call
waits for at most one operation per other busy client, however many one of them sent.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class FairLimiter:
    def __init__(self, slots: int) -> None:
        self._free = slots
        # client -> its waiters, oldest first; the dict's order is the rotation
        self._waiting: OrderedDict[Hashable, deque[asyncio.Future[None]]] = OrderedDict()

    @asynccontextmanager
    async def slot(self, client: Hashable) -> AsyncIterator[None]:
        await self._acquire(client)
        try:
            yield
        finally:
            self._release()

    @property
    def waiting(self) -> int:
        return sum(len(queue) for queue in self._waiting.values())

    async def _acquire(self, client: Hashable) -> None:
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(client, deque()).append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._release()  # the slot was handed over just as the caller gave up
            else:
                self._forget(client, turn)
            raise

    def _release(self) -> None:
        while self._waiting:
            client, queue = next(iter(self._waiting.items()))
            turn = queue.popleft()
            if queue:
                self._waiting.move_to_end(client)  # its next call waits for the others
            else:
                del self._waiting[client]
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1

    def _forget(self, client: Hashable, turn: asyncio.Future[None]) -> None:
        queue = self._waiting.get(client)
        if queue is not None and turn in queue:
            queue.remove(turn)
            if not queue:
                del self._waiting[client]
