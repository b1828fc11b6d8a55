"""Simulated people moving cards over the GraphQL API (the event socket of a Reflex
page is impractical to drive from locust: it speaks Reflex's own protocol).

Each simulated user creates a few deals of its own, then moves them back and forth
between the first two steps as fast as the server answers. ``moves`` records when each
move was sent and what it asked for, so the runner (tests/load/run.py) can pair it with
the change the server announced and count history rows afterwards.
"""

from __future__ import annotations

import itertools
import os
import time
import uuid

from locust import FastHttpUser, constant, events, task

CREATE = "mutation($n: String!) { createDeal(input: {name: $n}) { id } }"
MOVE = (
    "mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d, "
    "targetWfmWorkflowStepId: $s) { id } }"
)
DEALS_PER_USER = 1
moves: list[tuple[str, str, float]] = []  # (deal id, target step id, sent at, wall clock)


@events.quitting.add_listener
def _write_moves(**_kwargs: object) -> None:
    """Hand the runner what was sent when (it pairs moves with announced changes)."""
    path = os.environ.get("WFM_LOAD_MOVES")
    if path:
        with open(path, "w") as out:
            out.writelines(f"{deal} {target} {sent}\n" for deal, target, sent in moves)


class Mover(FastHttpUser):
    # geventhttpclient, not requests: on these two shared cores locust's own CPU per move
    # fell from 1.6-1.7 ms to 0.7, left to the app (200 users, 3 workers: 211-217 -> 250-266
    # moves/s)
    wait_time = constant(0)

    def _graphql(self, query: str, name: str, **variables: str) -> dict:
        with self.client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {os.environ['WFM_LOAD_TOKEN']}"},
            name=name,
            catch_response=True,
        ) as response:
            answer = response.json() if response.status_code == 200 else {}
            if response.status_code != 200 or answer.get("errors"):
                response.failure(str(answer.get("errors") or response.status_code)[:200])
                return {}
            return answer["data"]

    def on_start(self) -> None:
        self.steps = os.environ["WFM_LOAD_STEPS"].split(",")  # first, second
        self.deals: list[list] = []
        self.turn = itertools.count()

    def _create(self) -> None:
        made = self._graphql(CREATE, "create", n=f"Load {uuid.uuid4().hex[:10]}")
        if made:
            self.deals.append([made["createDeal"]["id"], 0])

    @task
    def move(self) -> None:
        if len(self.deals) < DEALS_PER_USER:
            # asked again after a failure: a user left without a deal would spin without a
            # request, on the cores the server is measured on (13 users did, once)
            self._create()
            return
        deal = self.deals[next(self.turn) % len(self.deals)]
        target = self.steps[1 - deal[1]]
        moves.append((deal[0], target, time.time()))
        if self._graphql(MOVE, "move", d=deal[0], s=target):
            deal[1] = 1 - deal[1]
