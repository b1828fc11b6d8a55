"""Server-side lists at 100,000 and 1,000,000 deals: a page's cost against the number
of deals, and against the raw SQL floor.

`make bench` runs this. For each size it makes its own database, loads the deals (nine in
ten with a close date), and times, through the service under row-level security and as
hand-written SQL doing the same work interleaved: the first page of 50 newest first, the
first page of 50 by expected close date (PipeCD's default sort), the page after 5,000
rows by close date (a cursor deep in the list), and the first page of 50 of an amount
range. Then ``totalCount``, which reads every match and is only counted when a client asks
for it, and ``dealsFiltered`` through the GraphQL schema. Figures are printed, never
asserted; the floors are the plans EXPLAIN shows (printed once per size).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

import psycopg

from tests import harness
from tests.api.in_process import run as graphql
from tests.benchmarks.common import Figures, dsn, load, measure, on_new_database
from wfm_app import collector, db
from wfm_app.auth import users
from wfm_app.auth.actor import Actor
from wfm_app.cli import migrate
from wfm_app.demo import DEMO_USERS
from wfm_app.engine import definitions
from wfm_app.entities import deals
from wfm_app.entities.filtering import CardFilter, FieldRange
from wfm_app.entities.listing import ListSort
from wfm_app.seed import seed_definitions
from wfm_app.tenancy import DEFAULT_ORG_ID

SIZES = [int(n) for n in os.environ.get("WFM_BENCH_LIST_SIZES", "100000,1000000").split(",")]
ROUNDS = int(os.environ.get("WFM_BENCH_ROUNDS", "200"))
PAGE = 50
DEEP = 5000

# The service's row, as a board reads it: the deal, its project, owner and assignee names.
ROW = """
SELECT d.*, p.project_type_id, p.workflow_id, p.current_step_id, p.is_active,
       p.step_entered_at, p.completed_at, p.created_by_user_id, p.updated_at,
       u.display_name, a.display_name
FROM deals d JOIN wfm_projects p ON p.id = d.wfm_project_id AND p.org_id = %(org)s
LEFT JOIN users u ON u.id = d.user_id AND u.org_id = %(org)s
LEFT JOIN users a ON a.id = d.assigned_to_user_id AND a.org_id = %(org)s
WHERE d.org_id = %(org)s {where}
ORDER BY {order} LIMIT %(limit)s
"""
CLOSING = "CASE WHEN d.expected_close_date IS NULL THEN 'infinity' ELSE d.expected_close_date END"
RAW = {
    "newest": ROW.format(where="", order="d.created_at DESC, d.id DESC"),
    "closing": ROW.format(where="", order=f"{CLOSING}, d.id"),
    "deep": ROW.format(where=f"AND ({CLOSING}, d.id) > (%(at)s, %(id)s)", order=f"{CLOSING}, d.id"),
    "amount": ROW.format(
        where="AND d.amount BETWEEN %(low)s AND %(high)s", order=f"{CLOSING}, d.id"
    ),
}
GRAPHQL = """
query($first: Int) {
  dealsFiltered(sort: {field: EXPECTED_CLOSE_DATE, direction: ASC}, first: $first) {
    nodes { id name amount currency expected_close_date weighted_amount
            currentWfmStep { id } currentWfmStatus { name } assignedToUser { display_name } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def _date_close(conn: psycopg.Connection) -> None:
    """Nine deals in ten get a close date over the next year."""
    conn.execute(
        "UPDATE deals SET expected_close_date = date '2027-01-01' + (hashtext(id::text) & 511) "
        "% 365 WHERE hashtext(id::text) % 10 <> 0"
    )
    conn.execute("VACUUM ANALYZE deals")


def _median(call: Callable[[], object], rounds: int) -> float:
    for _ in range(5):
        call()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(url: str, size: int) -> tuple[list[Figures], float, float, list[str]]:
    migrate(url)
    db.configure(url)
    seed_definitions()
    people = []
    for subject, display, email, roles in DEMO_USERS[1:]:
        user = users.upsert(issuer="bench", subject=subject, email=email, display_name=display)
        people.append(Actor.for_user(user.id, set(roles), display))
    manager, alice, bob = people
    workflow_id = deals.service.default_workflow_id(alice)
    conn = psycopg.connect(
        dsn(url),
        autocommit=True,
        options=db.session_options(),  # as the app's connections
    )
    started = time.perf_counter()
    load(conn, workflow_id, [alice.user_id, bob.user_id, manager.user_id], projects=size)
    _date_close(conn)
    print(f"loaded {size:,} deals in {time.perf_counter() - started:.1f} s")
    db.configure(harness.as_app_role(url))  # the services under row-level security
    definitions.invalidate()
    collector.settle()  # the collector as a serving process has it

    closing = ListSort("expected_close_date", descending=False)
    deep_page = deals.service.list_page(manager, None, closing, first=200)
    for _ in range(DEEP // 200 - 1):
        deep_page = deals.service.list_page(
            manager, None, closing, first=200, after=deep_page.end_cursor
        )
    deep_cursor = deep_page.end_cursor
    last = deep_page.nodes[-1]
    amounts = CardFilter(ranges=(FieldRange("amount", 5000, 6000),))
    args = {
        "org": DEFAULT_ORG_ID,
        "limit": PAGE + 1,
        "at": last.expected_close_date,
        "id": last.id,
        "low": Decimal(5000),
        "high": Decimal(6000),
    }

    def raw(name: str) -> Callable[[int], object]:
        def page(_i: int) -> object:
            with conn.transaction():  # BEGIN ... COMMIT, as the service's unit of work
                return conn.execute(RAW[name], args).fetchall()

        return page

    cases = {
        "newest": lambda _i: deals.service.list_page(manager, first=PAGE),
        "closing": lambda _i: deals.service.list_page(manager, None, closing, first=PAGE),
        "deep": lambda _i: deals.service.list_page(
            manager, None, closing, first=PAGE, after=deep_cursor
        ),
        "amount": lambda _i: deals.service.list_page(manager, amounts, closing, first=PAGE),
    }
    names = {
        "newest": "first 50, newest first",
        "closing": "first 50 by close date",
        "deep": f"50 after row {DEEP:,} by close date",
        "amount": "first 50 of an amount range",
    }
    plans = []
    for name in RAW:
        plan = conn.execute("EXPLAIN " + RAW[name], args).fetchall()
        scans = [row[0].strip() for row in plan if "Scan" in row[0] and " on deals" in row[0]]
        plans.append(f"  {name}: " + " / ".join(scans))
    figures = [measure(names[n], cases[n], raw(n), ROUNDS) for n in RAW]
    count_ms = _median(lambda: deals.service.count(manager), 20)
    api_ms = _median(lambda: graphql(manager, GRAPHQL, first=PAGE), 50)
    conn.close()
    return figures, count_ms, api_ms, plans


def main() -> None:
    results = {size: on_new_database(lambda url, n=size: run(url, n)) for size in SIZES}
    for size, (_figures, _count, _api, plans) in results.items():
        print(f"raw SQL plans at {size:,} deals (EXPLAIN, the scan of deals):")
        print("\n".join(plans))
    header = " ".join(f"{f'{n:,} deals':>28}" for n in results)
    print("service median ms (raw SQL median ms, ratio)")
    print(f"{'list page':<34} {header}")
    first = next(iter(results.values()))[0]
    for index, figures in enumerate(first):
        cells = []
        for found, _count, _api, _plans in results.values():
            f = found[index]
            service, raw = statistics.median(f.service), statistics.median(f.raw)
            cells.append(f"{service:8.3f} ({raw:7.3f}, {f.ratio:4.2f})")
        print(f"{figures.name:<34} " + " ".join(f"{c:>28}" for c in cells))
    counts = " ".join(f"{count:>28.3f}" for _f, count, _a, _p in results.values())
    print(f"{'totalCount (every deal)':<34} {counts}")
    apis = " ".join(f"{api:>28.3f}" for _f, _c, api, _p in results.values())
    print(f"{'dealsFiltered, 50, GraphQL':<34} {apis}")
    worst = max(f.ratio for found, *_rest in results.values() for f in found)
    print(f"worst list ratio to raw SQL: {worst:.2f}")


if __name__ == "__main__":
    main()
