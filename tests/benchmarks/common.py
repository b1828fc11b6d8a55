"""What the benchmarks share: a PostgreSQL database of their own, the deals loaded into
it, and service calls timed against raw SQL, interleaved."""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import psycopg
from sqlalchemy.engine import make_url

from wfm_app import db
from wfm_app.engine import definitions
from wfm_app.tenancy import DEFAULT_ORG_ID, acting_in

T = TypeVar("T")
PG_ADMIN_URL = os.environ.get(
    "WFM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# One size or several, comma-separated ("100000,1000000" prints them side by side).
SIZES = [int(n) for n in os.environ.get("WFM_BENCH_PROJECTS", "100000").split(",")]
PROJECTS = SIZES[0]
BOARD_CARDS = 1000
ROUNDS = int(os.environ.get("WFM_BENCH_ROUNDS", "300"))
WARMUP = 20


def dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass
class Figures:
    name: str
    service: list[float]
    raw: list[float]

    @staticmethod
    def _p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    def row(self) -> str:
        s_med, r_med = statistics.median(self.service), statistics.median(self.raw)
        return (
            f"{self.name:<34} {s_med:9.3f} {self._p95(self.service):9.3f}"
            f" {r_med:9.3f} {self._p95(self.raw):9.3f} {self.ratio:7.2f}"
        )

    @property
    def ratio(self) -> float:
        return statistics.median(self.service) / statistics.median(self.raw)


def measure(
    name: str, service: Callable[[int], object], raw: Callable[[int], object], rounds: int
) -> Figures:
    """Alternate service and raw calls so both see the same machine and cache state."""
    for index in range(WARMUP):
        service(index)
        raw(index)
    service_ms: list[float] = []
    raw_ms: list[float] = []
    for index in range(WARMUP, WARMUP + rounds):
        start = time.perf_counter()
        service(index)
        service_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        raw(index)
        raw_ms.append((time.perf_counter() - start) * 1000)
    return Figures(name, service_ms, raw_ms)


def load(
    conn: psycopg.Connection,
    workflow_id: uuid.UUID,
    owners: list[uuid.UUID],
    *,
    projects: int = PROJECTS,
    board_cards: int = BOARD_CARDS,
    org_id: uuid.UUID = DEFAULT_ORG_ID,
) -> None:
    """``projects`` deals of organization ``org_id`` spread over the steps; the first
    ``board_cards`` belong to owners[0]."""
    with acting_in(org_id):
        steps = [step.id for step in definitions.graph(workflow_id).steps]
    project_type = conn.execute(
        "SELECT id FROM project_types WHERE name = 'Sales Deal' AND org_id = %s", (org_id,)
    ).fetchone()[0]
    conn.execute(
        """
        INSERT INTO wfm_projects (org_id, id, project_type_id, workflow_id, current_step_id,
            name, is_active, step_entered_at, metadata, created_at, updated_at)
        SELECT %(org)s, gen_random_uuid(), %(type)s, %(workflow)s,
            (%(steps)s::uuid[])[1 + g %% 7], 'WFM for Deal: Bench ' || g, true, now(),
            jsonb_build_object('g', g), now(), now()
        FROM generate_series(1, %(n)s) AS g
        """,
        {
            "org": org_id,
            "type": project_type,
            "workflow": workflow_id,
            "steps": steps,
            "n": projects,
        },
    )
    conn.execute(
        """
        INSERT INTO deals (org_id, id, name, amount, currency, user_id, wfm_project_id,
            created_at, updated_at)
        SELECT p.org_id, gen_random_uuid(), 'Bench ' || (p.metadata->>'g'),
            1000 + (p.metadata->>'g')::int, 'USD',
            CASE WHEN (p.metadata->>'g')::int <= %(board)s THEN %(first)s::uuid
                 WHEN (p.metadata->>'g')::int %% 2 = 0 THEN %(second)s::uuid
                 ELSE %(third)s::uuid END,
            p.id, now(), now()
        FROM wfm_projects p WHERE p.org_id = %(org)s
        """,
        {
            "board": board_cards,
            "first": owners[0],
            "second": owners[1],
            "third": owners[2],
            "org": org_id,
        },
    )
    conn.execute("ANALYZE")
    conn.commit()


def on_new_database(work: Callable[[str], T], prefix: str = "wfm_bench") -> T:
    """``work(url)`` on a PostgreSQL database of its own, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dsn(PG_ADMIN_URL), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        return work(url)
    finally:
        db.get_engine().dispose()
        with psycopg.connect(dsn(PG_ADMIN_URL), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
