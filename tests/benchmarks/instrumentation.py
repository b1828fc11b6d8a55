"""What monitoring costs a move and a creation (issue 28: under 5 % of a move).

`make bench` runs this. On its own PostgreSQL database, with prometheus_client in
multiprocess mode (a metrics folder, as deployed) and the operation log rendered as JSON
(to /dev/null), moves and creations are timed alternately with the instrumentation in
place and with it taken out (the operation context, the statement timers, the cache
counters), and the difference is printed. Figures are printed, never asserted.

    .venv/bin/python -m tests.benchmarks.instrumentation
"""

from __future__ import annotations

import os
import tempfile

# as deployed: values in files shared by processes (before prometheus_client is imported)
os.environ.setdefault("WFM_METRICS_DIR", tempfile.mkdtemp(prefix="wfm-bench-metrics-"))
os.environ.setdefault("WFM_LOG_FORMAT", "json")

import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import event

from tests.benchmarks.common import ROUNDS, WARMUP, on_new_database
from wfm_app import db
from wfm_app.auth import users
from wfm_app.auth.actor import Actor
from wfm_app.cli import migrate
from wfm_app.engine import definitions
from wfm_app.entities import deals
from wfm_app.observability import db_timing, logs, operations
from wfm_app.seed import seed_definitions


class _Uncounted:
    def bump(self) -> None:
        return None


@contextmanager
def bare() -> Iterator[None]:
    """The same code with the instrumentation taken out."""
    engine = db.get_engine()
    for name, listener in (
        ("do_execute", db_timing._execute),
        ("do_executemany", db_timing._execute_many),
        ("handle_error", db_timing._failed),
    ):
        event.remove(engine, name, listener)
    saved = (operations.operation, operations.validated, definitions._HITS, definitions._MISSES)

    def untimed(*_args: Any, **_kw: Any) -> Any:
        return nullcontext(operations.Operation("", "", None))

    operations.operation = untimed  # type: ignore[assignment]
    operations.validated = lambda: None
    definitions._HITS = definitions._MISSES = _Uncounted()  # type: ignore[assignment]
    try:
        yield
    finally:
        operations.operation, operations.validated, definitions._HITS, definitions._MISSES = saved
        db_timing.install(engine)


def _timed(work: Callable[[int], object]) -> tuple[list[float], list[float]]:
    """work(2i) instrumented, work(2i + 1) bare, alternately."""
    on: list[float] = []
    off: list[float] = []
    for index in range(WARMUP + ROUNDS):
        start = time.perf_counter()
        work(2 * index)
        if index >= WARMUP:
            on.append((time.perf_counter() - start) * 1000)
        with bare():
            start = time.perf_counter()
            work(2 * index + 1)
            if index >= WARMUP:
                off.append((time.perf_counter() - start) * 1000)
    return on, off


def run(url: str) -> None:
    migrate(url)
    db.configure(url)
    seed_definitions()
    with open(os.devnull, "w") as nowhere:
        logs.configure(stream=nowhere)
        user = users.upsert(issuer="bench", subject="bob", email=None, display_name="Bob")
        bob = Actor.for_user(user.id, {"wfm_member"}, "Bob")
        second = definitions.graph(deals.service.default_workflow_id(bob)).steps[1].id
        made: list[uuid.UUID] = []

        def create(i: int) -> object:
            card = deals.service.create(bob, deals.DealCreate(name=f"Deal {i}"))
            made.append(card.id)
            return card

        results = {
            "create deal": _timed(create),
            "move": _timed(lambda i: deals.service.move(bob, made[i], second)),
        }
    print("monitoring's cost (PostgreSQL, metrics in files, JSON log lines); ms per operation")
    print(f"{'operation':<14} {'with':>9} {'without':>9} {'cost':>9}")
    for name, (on, off) in results.items():
        with_, without = statistics.median(on), statistics.median(off)
        print(f"{name:<14} {with_:9.3f} {without:9.3f} {100 * (with_ / without - 1):8.1f}%")
    print("target: the move's cost under 5 %")


def main() -> None:
    on_new_database(run)


if __name__ == "__main__":
    main()
