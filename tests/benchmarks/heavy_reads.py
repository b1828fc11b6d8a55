"""Can the heaviest analytics the API allows starve everyone else? (issue 24.5)

The app (prod mode, one backend worker) on 20,000 deals with 200,000 history rows over
the last 13 months. Three managers keep asking, at once and over and over, for the
heaviest analytics one request may hold (every chart of the sales workflow over three
years), while /ping and a light ``deal(id)`` query are timed. Prints median and p95 of
each, idle and under that load; target: p95 under 200 ms under load. Figures are printed,
never asserted.

    .venv/bin/python -m tests.benchmarks.heavy_reads      (WFM_BENCH_HEAVY_DEALS to change)
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Callable

import httpx
import psycopg

from tests.app_fixtures import issue_tokens
from tests.benchmarks.analytics import add_history
from tests.benchmarks.board_browser import app_with_board
from wfm_app.auth.actor import Actor
from wfm_app.entities import deals

DEALS = int(os.environ.get("WFM_BENCH_HEAVY_DEALS", "20000"))
HEAVY_AT_ONCE = 3
LOAD_SECONDS = 20.0
HEAVIEST = """query($w: ID!) { wfmAnalytics(workflowId: $w, from: "2024-01-01T00:00:00Z",
  to: "2026-12-31T00:00:00Z") {
    timeInStep { step { id } count meanHours medianHours p85Hours }
    funnel { step { id } entered reachedNext reachedWon }
    cumulativeFlow { day counts { step { id } count } }
    throughput { weekStart finished }
    cycleTimeHours { count p50 p85 }
    aging { hoursInStep step { id } }
    transitions { fromStep { id } toStep { id } count backwards }
} }"""
LIGHT = "query($id: ID!) { deal(id: $id) { id name amount currentWfmStep { id } } }"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * 0.95) - 1)]


def _line(label: str, values: list[float]) -> str:
    return (
        f"  {label:<28} median {statistics.median(values):6.1f} ms, p95 {_p95(values):6.1f} ms,"
        f" max {max(values):6.1f} ms ({len(values)} samples)"
    )


def _timed(call: Callable[[], None], until: Callable[[], bool], pause: float) -> list[float]:
    samples: list[float] = []
    while not until():
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        time.sleep(pause)
    return samples


def measure(base_url: str, token: str, workflow_id: str, deal_id: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    http = httpx.Client(timeout=600, headers=headers)

    def ping() -> None:
        http.get(f"{base_url}/ping").raise_for_status()

    def light() -> None:
        answer = http.post(
            f"{base_url}/graphql", json={"query": LIGHT, "variables": {"id": deal_id}}
        )
        assert "errors" not in answer.json(), answer.text[:300]

    def heavy(seconds: list[float], stop: threading.Event) -> None:
        with httpx.Client(timeout=600, headers=headers) as own:
            while not stop.is_set():
                started = time.perf_counter()
                answer = own.post(
                    f"{base_url}/graphql",
                    json={"query": HEAVIEST, "variables": {"w": workflow_id}},
                )
                assert "errors" not in answer.json(), answer.text[:300]
                seconds.append(time.perf_counter() - started)

    for warm in (ping, light):
        warm()
    idle_end = time.monotonic() + 5
    idle_ping = _timed(ping, lambda: time.monotonic() > idle_end, 0.05)
    idle_end = time.monotonic() + 5
    idle_light = _timed(light, lambda: time.monotonic() > idle_end, 0.05)

    stop = threading.Event()
    heavy_seconds: list[float] = []
    loaders = [
        threading.Thread(target=heavy, args=(heavy_seconds, stop)) for _ in range(HEAVY_AT_ONCE)
    ]
    for loader in loaders:
        loader.start()
    time.sleep(1.0)  # all three under way
    busy_end = time.monotonic() + LOAD_SECONDS
    busy_light: list[float] = []
    light_thread = threading.Thread(
        target=lambda: busy_light.extend(_timed(light, lambda: time.monotonic() > busy_end, 0.05))
    )
    light_thread.start()
    busy_ping = _timed(ping, lambda: time.monotonic() > busy_end, 0.05)
    light_thread.join()
    stop.set()
    for loader in loaders:
        loader.join()
    http.close()

    print(
        f"heavy reads: {HEAVY_AT_ONCE} of the heaviest allowed analytics requests at once, "
        f"over and over ({DEALS:,} deals, 10 moves each; one backend worker)"
    )
    print(
        f"  each heavy request took median {statistics.median(heavy_seconds):.2f} s, "
        f"max {max(heavy_seconds):.2f} s ({len(heavy_seconds)} answered)"
    )
    print(_line("/ping idle", idle_ping))
    print(_line("deal(id) idle", idle_light))
    print(_line("/ping under load", busy_ping) + "; target p95 < 200 ms")
    print(_line("deal(id) under load", busy_light) + "; target p95 < 200 ms")


def main() -> None:
    found: dict[str, str] = {}

    def history(conn: psycopg.Connection) -> None:
        workflow_id = deals.service.default_workflow_id(Actor.system())
        add_history(conn, workflow_id)
        found["workflow"] = str(workflow_id)
        found["deal"] = str(conn.execute("SELECT id FROM deals LIMIT 1").fetchone()[0])

    with app_with_board(DEALS, history, GRANIAN_WORKERS="1") as (base_url, issuer):
        token = issue_tokens(issuer, "manager")["access_token"]
        measure(base_url, token, found["workflow"], found["deal"])


if __name__ == "__main__":
    main()
