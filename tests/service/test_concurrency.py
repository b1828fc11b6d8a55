"""Two people move the same card at the same moment: exactly one wins."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from tests.service.helpers import count, sales_graph, step_named
from wfm_app import db
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.rules import MoveRequest
from wfm_app.entities import deals
from wfm_app.errors import Conflict, InvalidTransition


def race(moves):
    """Start every move while a third connection holds the row, then let them all go.

    Both movers are inside their transactions, waiting on the same row (PostgreSQL's
    row lock, or SQLite's write lock) when the blocker lets go, so neither has
    committed before the other started: a real race, every round.
    """
    outcomes: list[object] = []
    lock = threading.Lock()

    def attempt(move):
        try:
            result = move()
        except (Conflict, InvalidTransition) as error:
            result = error
        with lock:
            outcomes.append(result)

    blocker = db.get_engine().connect()
    transaction = blocker.begin()
    if blocker.dialect.name == "postgresql":
        blocker.execute(select(WfmProject.id).with_for_update())
    threads = [threading.Thread(target=attempt, args=(move,)) for move in moves]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    transaction.rollback()
    blocker.close()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_concurrent_moves_from_one_step_to_different_targets(seeded):
    graph = sales_graph()
    qualification = step_named(graph, "Qualification")
    back, forward = graph.initial_step, step_named(graph, "Proposal")
    for _round in range(5):
        deal = deals.service.create(
            seeded.alice, deals.DealCreate(name="Contested", expected_close_date="2027-01-31")
        )
        deals.service.move(seeded.alice, deal.id, qualification.id)
        history_before = count(WfmProjectHistory)
        outcomes = race(
            [
                lambda deal=deal: deals.service.move(seeded.alice, deal.id, back.id),
                lambda deal=deal: deals.service.move(seeded.manager, deal.id, forward.id),
            ]
        )
        winners = [o for o in outcomes if isinstance(o, deals.DealRead)]
        losers = [o for o in outcomes if isinstance(o, Exception)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        # The loser was checked against where the card really is now, not where it was.
        assert "No transition from" in losers[0].message
        assert count(WfmProjectHistory) == history_before + 1
        final = deals.service.get_by_id(seeded.manager, deal.id)
        assert final.wfm.step.id == winners[0].wfm.step.id


def test_concurrent_moves_with_the_same_expected_step(seeded):
    """Two stale boards both say "from Qualification": the second is told it moved."""
    graph = sales_graph()
    qualification = step_named(graph, "Qualification")
    deal = deals.service.create(
        seeded.alice, deals.DealCreate(name="Contested", expected_close_date="2027-01-31")
    )
    deals.service.move(seeded.alice, deal.id, qualification.id)
    targets = [step_named(graph, "Proposal"), step_named(graph, "Closed Lost")]
    outcomes = race(
        [
            lambda target=target: deals.service.move(
                seeded.manager,
                deal.id,
                target.id,
                expected_step_id=qualification.id,
                request=MoveRequest(comment="Either way"),  # losing takes a reason
            )
            for target in targets
        ]
    )
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(losers) == 1, outcomes
    assert "Someone else moved it" in losers[0].message
    assert count(WfmProjectHistory) == 2
