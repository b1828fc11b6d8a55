"""The API's worker turns rotate between clients: a burst from one waits behind others."""

from __future__ import annotations

import asyncio

from tests.harness import run_async
from wfm_app.api.graphql.fair import FairLimiter


def test_a_burst_from_one_client_does_not_keep_another_waiting() -> None:
    async def scenario() -> list[str]:
        limiter = FairLimiter(1)
        served: list[str] = []
        release = asyncio.Event()

        async def call(client: str, label: str) -> None:
            async with limiter.slot(client):
                served.append(label)
                if label == "a0":
                    await release.wait()

        first = asyncio.create_task(call("a", "a0"))
        await asyncio.sleep(0)
        burst = [asyncio.create_task(call("a", f"a{n}")) for n in range(1, 6)]
        await asyncio.sleep(0)
        light = asyncio.create_task(call("b", "b0"))
        await asyncio.sleep(0)
        assert limiter.waiting == 6
        release.set()
        await asyncio.gather(first, *burst, light)
        assert limiter.waiting == 0
        return served

    served = run_async(scenario())
    assert served[:3] == ["a0", "a1", "b0"], served  # b waited for one of a's, not five
    assert sorted(served) == ["a0", "a1", "a2", "a3", "a4", "a5", "b0"]


def test_a_caller_that_gives_up_while_waiting_frees_its_place() -> None:
    async def scenario() -> bool:
        limiter = FairLimiter(1)
        hold = asyncio.Event()

        async def holder() -> None:
            async with limiter.slot("a"):
                await hold.wait()

        async def waiter() -> None:
            async with limiter.slot("b"):
                pass

        held = asyncio.create_task(holder())
        await asyncio.sleep(0)
        gives_up = asyncio.create_task(waiter())
        await asyncio.sleep(0)
        gives_up.cancel()
        await asyncio.gather(gives_up, return_exceptions=True)
        hold.set()
        await held
        await asyncio.wait_for(waiter(), timeout=1)  # the slot came back
        return limiter.waiting == 0

    assert run_async(scenario())
