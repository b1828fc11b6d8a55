"""Each analytics chart at 100,000 projects and 1,000,000 history rows (issue 14: under
500 ms each on this machine). Prints median and p95 per chart, for the page's default
range (the last 90 days) and for a whole year; figures are printed, never asserted.

    .venv/bin/python -m tests.benchmarks.analytics      (WFM_BENCH_PROJECTS to change)
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from datetime import datetime, timedelta

import psycopg
from sqlalchemy.engine import make_url

from tests.benchmarks.common import PG_ADMIN_URL, dsn, load
from wfm_app import db, memory
from wfm_app.auth import users
from wfm_app.auth.actor import MANAGER, Actor
from wfm_app.cli import migrate
from wfm_app.demo import DEMO_USERS
from wfm_app.engine import analytics, definitions
from wfm_app.engine.analytics import forecast
from wfm_app.entities import deals
from wfm_app.seed import seed_definitions
from wfm_app.settings import settings
from wfm_app.sqltypes import utc_now

PROJECTS = int(os.environ.get("WFM_BENCH_PROJECTS", "100000"))
ROUNDS = 7
# Ten moves per project along one of three paths (step indexes), with rework in each:
# one ends open on Contract Sent, one won, one lost.
PATHS = (
    (0, 1, 0, 1, 2, 1, 2, 3, 4, 3, 4),
    (0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 5),
    (0, 1, 0, 1, 2, 3, 2, 3, 4, 3, 6),
)
CHARTS = (
    "time_in_step",
    "funnel",
    "cumulative_flow",
    "throughput",
    "cycle_time",
    "aging",
    "transitions",
    "bottlenecks",  # reads this range and the one before it
)


def add_history(conn: psycopg.Connection, workflow_id: uuid.UUID) -> int:
    """10 history rows per project over the last ~13 months; projects end where their
    path does. Returns the number of history rows."""
    steps = [step.id for step in definitions.graph(workflow_id).steps]
    path = ", ".join(
        f"({kind}, {k}, {index})"
        for kind, indexes in enumerate(PATHS)
        for k, index in enumerate(indexes)
    )
    # the hour of day varies by project, so days and weeks are not all alike
    hour = "((p.metadata->>'g')::int %% 24) * interval '1 hour'"
    kind = "(p.metadata->>'g')::int %% 3"
    conn.execute("CREATE TEMP TABLE bench_path (kind int, k int, step_index int)")
    conn.execute(f"INSERT INTO bench_path VALUES {path}")
    conn.execute(
        "UPDATE wfm_projects SET created_at = now() - interval '40 days'"
        " - ((metadata->>'g')::int % 365) * interval '1 day'"
    )
    conn.execute(
        f"""
        INSERT INTO wfm_project_history (org_id, id, wfm_project_id, from_step_id,
            to_step_id, changed_at, from_entered_at, wip_override)
        SELECT p.org_id, gen_random_uuid(), p.id, (%(steps)s::uuid[])[a.step_index + 1],
            (%(steps)s::uuid[])[b.step_index + 1],
            p.created_at + b.k * interval '3 days' + {hour},
            CASE WHEN a.k = 0 THEN p.created_at
                 ELSE p.created_at + a.k * interval '3 days' + {hour} END,
            false
        FROM wfm_projects p
        JOIN bench_path a ON a.kind = {kind}
        JOIN bench_path b ON b.kind = a.kind AND b.k = a.k + 1
        """,
        {"steps": steps},
    )
    conn.execute(
        f"""
        UPDATE wfm_projects p SET current_step_id = (%(steps)s::uuid[])[b.step_index + 1],
            step_entered_at = p.created_at + 10 * interval '3 days' + {hour}
        FROM bench_path b WHERE b.kind = {kind} AND b.k = 10
        """,
        {"steps": steps},
    )
    conn.execute("ANALYZE")
    conn.commit()
    return int(conn.execute("SELECT count(*) FROM wfm_project_history").fetchone()[0])


def _time(report_for, chart: str) -> tuple[float, float]:
    samples = []
    for _ in range(ROUNDS):
        report = report_for()
        started = time.perf_counter()
        getattr(report, chart)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[
        int(len(samples) * 0.95) - 1 if len(samples) > 1 else 0
    ]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _after_a_move(manager: Actor, workflow: uuid.UUID, now: datetime) -> None:
    """A chart right after a card moved: the frame rereads that card's rows first."""
    board = deals.service.board(manager)
    card = next(card for column in board.columns for card in column.cards)
    graph = definitions.graph(workflow)
    order = {step.id: step.step_order for step in graph.steps}
    target = next(  # back a step: going back never waits for approvals
        t.to_step_id
        for t in graph.transitions
        if t.from_step_id == card.wfm.step.id and order[t.to_step_id] < order[t.from_step_id]
    )
    deals.service.move(manager, card.id, target)
    started = time.perf_counter()
    steps = analytics.of(manager, workflow, now - timedelta(days=365)).funnel
    print(f"  365-day funnel right after a move: {_ms(started):.1f} ms ({len(steps)} steps)")


def main() -> None:
    memory.keep_freed()  # as the server does (wfm_app.py)
    name = f"wfm_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dsn(PG_ADMIN_URL), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        db.configure(url)
        seed_definitions()
        owners = [
            users.upsert(issuer="bench", subject=s, email=e, display_name=d).id
            for s, d, e, _roles in DEMO_USERS[1:4]
        ]
        manager = Actor.for_user(owners[0], {MANAGER}, "Bench Manager")
        workflow = deals.service.default_workflow_id(Actor.system())
        with psycopg.connect(dsn(url)) as conn:
            load(conn, workflow, owners, projects=PROJECTS)
            rows = add_history(conn, workflow)
        print(f"analytics at {PROJECTS:,} projects and {rows:,} history rows (PostgreSQL)")
        now = utc_now()
        mode = "frames in memory" if settings.analytics_frames else "SQL over the history"
        started = time.perf_counter()
        weeks = analytics.of(manager, workflow, now - timedelta(days=365), now).throughput
        took = _ms(started)
        print(f"  read by: {mode}; first chart ({len(weeks)} weeks, builds a frame) {took:,.0f} ms")
        ranges = {
            "last 90 days": now - timedelta(days=90),
            "last 365 days": now - timedelta(days=365),
        }
        for label, start in ranges.items():
            print(f"  {label} (everyone's):  median / p95 ms")
            for chart in CHARTS:
                median, p95 = _time(
                    lambda start=start: analytics.of(manager, workflow, start, now), chart
                )
                print(f"    {chart:<16} {median:8.1f} {p95:8.1f}")
        _after_a_move(manager, workflow, now)
        samples = []
        for seed in range(ROUNDS):  # Monte Carlo: 10,000 trials over the last 90 days
            started = time.perf_counter()
            forecast.forecast(manager, workflow, by_date=now.date() + timedelta(days=30), seed=seed)
            samples.append((time.perf_counter() - started) * 1000)
        took = statistics.median(samples)
        print(f"  forecast (all open cards, and how many in 30 days): median {took:.1f} ms")
        print("  last 90 days, one owner's:")
        for chart in CHARTS:
            median, p95 = _time(
                lambda: analytics.of(manager, workflow, ranges["last 90 days"], now, owners[1]),
                chart,
            )
            print(f"    {chart:<16} {median:8.1f} {p95:8.1f}")
    finally:
        db.get_engine().dispose()
        with psycopg.connect(dsn(PG_ADMIN_URL), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
