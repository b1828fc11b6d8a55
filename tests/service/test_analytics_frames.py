"""Analytics from the in-memory frames (issue 31.1) give the figures the SQL definitions
give, chart for chart, on a hand-made history with rework, lost and won cards, a stay
without a start, and for one owner; and they stay equal right after a move, a deletion,
a history row written straight to the table and a card migration to another version,
each organization seeing its own cards. PostgreSQL only: the change feed is its triggers."""

from __future__ import annotations

import itertools
import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, text, update

from tests import harness
from tests.service.helpers import sales_graph, step_named
from tests.service.test_card_migration import _second_version
from tests.service.test_organizations import organization
from wfm_app import db
from wfm_app.db import unit_of_work
from wfm_app.engine import card_migration, definitions
from wfm_app.engine.analytics import Analytics, bottlenecks, charts, cores, frame
from wfm_app.engine.analytics.scope import resolve, scoped_projects
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.sqltypes import utc_now
from wfm_app.tenancy import acting_in

CHARTS = (
    "time_in_step",
    "funnel",
    "cumulative_flow",
    "throughput",
    "cycle_time",
    "transitions",
    "bottlenecks",
    "aging",
    "open_cards",
)
# paths through the sales steps (indexes): rework, won (5) and lost (6) endings, open ones
PATHS = ((0, 1, 2, 1, 2, 3), (0, 1, 2, 3, 4, 5), (0, 1, 0, 1, 6), (0, 1, 2, 3, 2, 3, 4), (0,))


@pytest.fixture
def on_postgresql(database: str) -> None:
    if database != "postgresql":
        pytest.skip("frames follow PostgreSQL's change feed; SQLite reads the history")


def _history(actors, graph: WorkflowGraph, cards: int, seed: int) -> list[uuid.UUID]:
    """``cards`` deals, owned in turn by ``actors``, each walked along a path over the
    last 400 days; one stay in three starts at a time of day that is not midnight."""
    rng = random.Random(seed)
    steps = [step.id for step in graph.steps]
    made = []
    for n in range(cards):
        actor = actors[n % len(actors)]
        deal = deals.service.create(actor, DealCreate(name=f"Card {n}", amount=Decimal(10)))
        project = deal.wfm.wfm_project_id
        at = utc_now() - timedelta(days=rng.uniform(30, 400))
        created, path = at, PATHS[n % len(PATHS)]
        rows = []
        for here, there in itertools.pairwise(path):
            left = at + timedelta(hours=rng.expovariate(1 / 200))
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "wfm_project_id": project,
                    "from_step_id": steps[here],
                    "to_step_id": steps[there],
                    # one card in seven has a stay whose start was never recorded
                    "from_entered_at": None if (n % 7 == 3 and here == 0) else at,
                    "changed_at": left,
                }
            )
            at = left
        with db.get_engine().begin() as conn:
            if rows:
                conn.execute(insert(WfmProjectHistory), rows)
            conn.execute(
                update(WfmProject)
                .where(WfmProject.id == project)
                .values(current_step_id=steps[path[-1]], step_entered_at=at, created_at=created)
            )
        made.append(deal.id)
    return made


def _scopes(actor, graph: WorkflowGraph, owner: uuid.UUID | None) -> list:
    now = utc_now()
    return [
        resolve(actor, graph.id, now=now),  # the page's default: 90 days
        resolve(actor, graph.id, now - timedelta(days=365), now, now=now),
        resolve(
            actor,
            graph.id,
            now - timedelta(days=123, hours=7, minutes=13),
            now - timedelta(days=10, hours=2),
            now=now,
        ),
        resolve(actor, graph.id, now - timedelta(days=365), now, owner, now=now),
    ]


def _by_sql(scope) -> dict:
    with unit_of_work() as uow:
        s = uow.session
        return {
            "time_in_step": charts.time_in_step(s, scope),
            "funnel": charts.funnel(s, scope),
            "cumulative_flow": charts.cumulative_flow(s, scope),
            "throughput": charts.throughput(s, scope),
            "cycle_time": charts.cycle_time(s, scope),
            "transitions": charts.transitions(s, scope),
            "bottlenecks": bottlenecks.bottlenecks(s, scope),
            "aging": charts.aging(s, scope, scoped_projects(scope))[0],
            "open_cards": charts.aging(s, scope, scoped_projects(scope))[1],
        }


def _agree(actor, graph: WorkflowGraph, owner: uuid.UUID | None) -> None:
    for scope in _scopes(actor, graph, owner):
        by_frame = Analytics(scope)
        expected = _by_sql(scope)
        for name in CHARTS:
            assert getattr(by_frame, name) == expected[name], (name, scope.start, scope.owner_id)
    assert frame._frames, "the charts were read from a frame"


@pytest.mark.parametrize("split", [False, True], ids=["whole", "halves"])
def test_every_chart_agrees_with_sql_before_and_after_changes(
    seeded, on_postgresql, split: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if split:  # rows passed over in two halves on two threads, as from a million rows on
        monkeypatch.setattr(cores, "SPLIT_FROM", 2)
    graph = sales_graph()
    made = _history([seeded.alice, seeded.bob], graph, 70, seed=3)
    funnel = Analytics(_scopes(seeded.admin, graph, None)[1]).funnel
    assert sum(step.entered for step in funnel) > 100  # the history is in range
    _agree(seeded.admin, graph, seeded.alice.user_id)

    open_deal = deals.service.get_by_id(seeded.admin, made[4])  # path (0,): on Prospecting
    qualification = step_named(graph, "Qualification").id
    deals.service.move(seeded.admin, open_deal.id, qualification)
    _agree(seeded.admin, graph, seeded.alice.user_id)

    deals.service.delete(seeded.admin, made[0])
    _agree(seeded.admin, graph, seeded.alice.user_id)

    with db.get_engine().begin() as conn:  # as an import writes it: straight to the table
        now = utc_now()
        conn.execute(
            insert(WfmProjectHistory).values(
                id=uuid.uuid4(),
                wfm_project_id=open_deal.wfm.wfm_project_id,
                from_step_id=qualification,
                to_step_id=step_named(graph, "Proposal").id,
                from_entered_at=now - timedelta(hours=5),
                changed_at=now - timedelta(hours=1),
            )
        )
    _agree(seeded.admin, graph, seeded.alice.user_id)

    late = deals.service.create(seeded.alice, DealCreate(name="Late", amount=Decimal(5)))
    deals.service.move(seeded.alice, late.id, qualification)  # read by a refresh, not in id order
    _agree(seeded.admin, graph, seeded.alice.user_id)

    second = _second_version(seeded.admin)
    mapping = {step_named(graph, "Contract Sent").id: step_named(second, "Negotiation").id}
    assert card_migration.apply(seeded.admin, graph.id, second.id, mapping) > 10
    _agree(seeded.admin, definitions.graph(graph.id), seeded.alice.user_id)
    _agree(seeded.admin, second, seeded.alice.user_id)


def test_each_organization_reads_its_own_cards_under_row_level_security(
    database: str, postgresql_url: str, on_postgresql
) -> None:
    acme, globex = organization("acme"), organization("globex")
    db.configure(harness.as_app_role(postgresql_url))  # the app's role: policies hold
    try:
        sizes = []
        for org, cards in ((acme, 40), (globex, 12)):
            with acting_in(org.id):
                graph = sales_graph()
                _history([org.admin], graph, cards, seed=cards)
                _agree(org.admin, graph, None)
                year = _scopes(org.admin, graph, None)[1]
                sizes.append(sum(step.entered for step in Analytics(year).funnel))
                deals.service.create(org.admin, DealCreate(name="Fresh", amount=Decimal(1)))
                _agree(org.admin, graph, None)  # a creation reaches this organization's frame
        assert sizes[0] > sizes[1] > 0
    finally:
        db.configure(postgresql_url)


def test_a_first_build_outlasts_an_api_requests_time_limit(
    seeded, on_postgresql, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 10 M rows the build's statement takes longer than an API request may (10 s):
    it gets its own limit, and the request's limit holds again for what follows."""
    graph = sales_graph()
    _history([seeded.alice], graph, 10, seed=5)
    slow = frame._EVERYTHING.replace(  # a build that takes 0.4 s, however fast the machine
        "WITH touching", "WITH pause AS MATERIALIZED (SELECT pg_sleep(0.4)), touching", 1
    )
    monkeypatch.setattr(frame, "_EVERYTHING", slow + ", pause")
    # the statement before it scans the history too: slowed the same way
    sleepy = frame._ELSEWHERE + " AND (SELECT true FROM pg_sleep(0.4))"
    monkeypatch.setattr(frame, "_ELSEWHERE", sleepy)
    frame.forget_all()
    with unit_of_work() as uow:
        uow.session.execute(text("SET LOCAL statement_timeout = 200"))  # as in an API request
        rows = frame.snapshot(uow.session, graph)
        assert uow.session.execute(text("SHOW statement_timeout")).scalar_one() == "200ms"
    assert len(rows.step) > 10 and rows.projects >= 10


def test_times_are_whole_microseconds() -> None:
    moment = datetime(2026, 3, 29, 1, 59, 59, 999_999, tzinfo=datetime.now().astimezone().tzinfo)
    assert frame.as_microseconds(moment) % 1_000_000 == 999_999
