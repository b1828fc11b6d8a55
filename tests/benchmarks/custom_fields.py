"""Custom field values at 100,000 deals: the JSONB document we store (GIN-indexed) against
the same values kept in a separate values table (one row per entity and field), the
design we decided against. Prints medians of a filter (deals in one region) and of
reading one deal with all its values, with each plan's first line. Printed, not asserted.
"""

from __future__ import annotations

import statistics
import time

import psycopg

from tests import harness
from tests.benchmarks.common import PROJECTS, dsn, load
from wfm_app import db
from wfm_app.auth import users
from wfm_app.auth.actor import Actor
from wfm_app.cli import migrate
from wfm_app.demo import DEMO_USERS
from wfm_app.entities import deals
from wfm_app.seed import seed_definitions

REGIONS = ("EMEA", "Americas", "APAC", "Nordics", "LATAM")

FILTER_JSONB = (
    "SELECT d.id, d.name FROM deals d "
    "WHERE d.custom_field_values @> %(doc)s::jsonb ORDER BY d.id LIMIT 20"
)
FILTER_TABLE = (
    "SELECT d.id, d.name FROM deals d JOIN deal_values v ON v.deal_id = d.id "
    "WHERE v.field = 'region' AND v.value = %(region)s ORDER BY d.id LIMIT 20"
)
ONE_JSONB = "SELECT d.* FROM deals d WHERE d.id = %(id)s"
ONE_TABLE = (
    "SELECT d.*, (SELECT jsonb_object_agg(v.field, v.value) FROM deal_values v "
    "WHERE v.deal_id = d.id) FROM deals d WHERE d.id = %(id)s"
)
COUNT_JSONB = "SELECT count(*) FROM deals WHERE custom_field_values @> %(doc)s::jsonb"


def prepare(conn: psycopg.Connection) -> None:
    """Three custom values per deal in both shapes; the values table fully indexed."""
    conn.execute(
        """UPDATE deals SET custom_field_values = jsonb_build_object(
               'region', (%(regions)s::text[])[1 + abs(hashtext(id::text)) %% 5],
               'seats', abs(hashtext(name)) %% 500,
               'strategic', abs(hashtext(name)) %% 2 = 0)""",
        {"regions": list(REGIONS)},
    )
    conn.execute(
        """CREATE TABLE deal_values (deal_id uuid, field text, value text,
               PRIMARY KEY (deal_id, field))"""
    )
    conn.execute(
        """INSERT INTO deal_values SELECT d.id, kv.key, kv.value #>> '{}'
           FROM deals d, jsonb_each(d.custom_field_values) kv"""
    )
    conn.execute("CREATE INDEX deal_values_field_value ON deal_values (field, value, deal_id)")
    conn.execute("VACUUM ANALYZE")


def timed(conn: psycopg.Connection, sql: str, params: dict[str, object], runs: int = 50) -> float:
    conn.execute(sql, params).fetchall()
    spent = []
    for _ in range(runs):
        start = time.perf_counter()
        conn.execute(sql, params).fetchall()
        spent.append((time.perf_counter() - start) * 1000)
    return statistics.median(spent)


def plan(conn: psycopg.Connection, sql: str, params: dict[str, object]) -> str:
    return str(conn.execute("EXPLAIN " + sql, params).fetchone()[0])  # type: ignore[index]


def main() -> None:
    url = harness.create_database("wfm_bench_custom")
    try:
        migrate(url)
        db.configure(url)
        seed_definitions()
        owners = [
            users.upsert(issuer="bench", subject=s, email=e, display_name=n).id
            for s, n, e, _roles in DEMO_USERS[1:]
        ]
        workflow_id = deals.service.default_workflow_id(Actor.system())
        with psycopg.connect(dsn(url), autocommit=True) as conn:
            load(conn, workflow_id, owners, projects=PROJECTS, board_cards=1000)
            prepare(conn)
            one = conn.execute("SELECT id FROM deals LIMIT 1 OFFSET 5000").fetchone()[0]  # type: ignore[index]
            doc = {"doc": '{"region": "APAC"}'}
            print(f"custom field values, {PROJECTS:,} deals with 3 values each (PostgreSQL)")
            rows = [
                ("filter region=APAC, first 20: JSONB @> (GIN)", FILTER_JSONB, doc),
                ("filter region=APAC, first 20: values table", FILTER_TABLE, {"region": "APAC"}),
                ("count region=APAC: JSONB @> (GIN)", COUNT_JSONB, doc),
                ("one deal with its values: JSONB column", ONE_JSONB, {"id": one}),
                ("one deal with its values: values table", ONE_TABLE, {"id": one}),
            ]
            for label, sql, params in rows:
                print(f"  {label}: median {timed(conn, sql, params):.2f} ms")
                print(f"      plan: {plan(conn, sql, params)}")
    finally:
        db.get_engine().dispose()
        harness.drop_database(url)


if __name__ == "__main__":
    main()
