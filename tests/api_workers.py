"""A served app's API in its steady state, for benchmarks and tests: by default its queries
move to worker processes once the first query has started them (api/graphql/processes.py)."""

from __future__ import annotations

import os
import time

import httpx

GAUGE = "wfm_graphql_worker_processes"


def settle(base_url: str, token: str, seconds: float = 120) -> int:
    """Ask one light query, then wait until ``/metrics`` shows the workers answering;
    returns how many (0: the serving process's threads answer, WFM_GRAPHQL_PROCESSES=0)."""
    with httpx.Client(timeout=60) as http:
        http.post(
            f"{base_url}/graphql",
            json={"query": "{ __typename }"},
            headers={"Authorization": f"Bearer {token}"},
        ).raise_for_status()
        if os.environ.get("WFM_GRAPHQL_PROCESSES", "auto").strip() == "0":
            return 0
        deadline = time.monotonic() + seconds
        while True:
            workers = _workers(http.get(f"{base_url}/metrics").text)
            if workers or time.monotonic() > deadline:
                return workers
            time.sleep(0.5)


def _workers(exposition: str) -> int:
    """The gauge's value, summed over processes (one line each in multiprocess mode)."""
    return int(
        sum(
            float(line.rsplit(" ", 1)[1])
            for line in exposition.splitlines()
            if line.startswith(GAUGE) and not line.startswith("#")
        )
    )
