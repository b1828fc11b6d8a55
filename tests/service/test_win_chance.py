"""Win chance learned from closed cards: what it learns from a history with a known
pattern, when it refuses to guess, and that a board's weighted totals (SQL over every
card) and each card's weighted amount (Python) agree once an admin turns it on."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, insert, update

from tests.service.helpers import sales_graph, step_named
from tests.service.test_organizations import organization
from wfm_app import db
from wfm_app.engine import workflows
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.schemas import WorkflowUpdate
from wfm_app.engine.win_chance import store as win_chance
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import Forbidden
from wfm_app.sqltypes import utc_now
from wfm_app.tenancy import acting_in
from wfm_app.ui.state.entity_views import detail_fields


def _closed_deal(
    actor, stays: list[tuple[str, float]], ended: str, custom: dict | None = None
) -> None:
    """A deal that went through ``stays`` (step, hours there) and ended on ``ended``,
    with ``custom`` field values."""
    graph = sales_graph()
    made = DealCreate(name="Closed", amount=Decimal(100), custom_fields=custom)
    deal = deals.service.create(actor, made)
    project = deal.wfm.wfm_project_id
    at = utc_now() - timedelta(days=200)
    with db.get_engine().begin() as conn:
        conn.execute(delete(WfmProjectHistory).where(WfmProjectHistory.wfm_project_id == project))
        steps = [name for name, _ in stays] + [ended]
        for (name, hours), target in zip(stays, steps[1:], strict=True):
            conn.execute(
                insert(WfmProjectHistory).values(
                    id=uuid.uuid4(),
                    wfm_project_id=project,
                    from_step_id=step_named(graph, name).id,
                    to_step_id=step_named(graph, target).id,
                    from_entered_at=at,
                    changed_at=at + timedelta(hours=hours),
                )
            )
            at += timedelta(hours=hours)
        conn.execute(
            update(WfmProject)
            .where(WfmProject.id == project)
            .values(current_step_id=step_named(graph, ended).id, step_entered_at=at)
        )


def _history_where_slow_prospects_are_lost(actor) -> None:
    for index in range(30):
        quick = index % 10 < 8  # 24 of 30 stayed under a day and were mostly won
        hours = 6.0 if quick else 400.0
        won = (index % 5 != 0) if quick else (index % 6 == 0)
        stays = [("Prospecting", hours), ("Qualification", 48.0)]
        _closed_deal(actor, stays, "Closed Won" if won else "Closed Lost")


def test_it_learns_that_a_deal_sitting_in_prospecting_is_less_likely_won(seeded) -> None:
    with pytest.raises(Forbidden):
        win_chance.learn(seeded.manager, sales_graph().id)
    model, note = win_chance.learn(seeded.admin, sales_graph().id)
    assert model is None and note.startswith("Not enough closed cards yet: 0 (0 won)")
    _history_where_slow_prospects_are_lost(seeded.admin)
    model, note = win_chance.learn(seeded.admin, sales_graph().id)
    assert model is not None and note == ""
    assert (model.closed_cards, model.won_cards) == (30, 19)
    prospecting = step_named(sales_graph(), "Prospecting").id
    fresh, stale = model.chance(prospecting, 2), model.chance(prospecting, 24 * 20)
    # 19 of the 30 stays at age 0 were won; of the 6 that lasted 20 days, 1
    assert fresh is not None and stale is not None and fresh > 0.5 > 0.2 > stale
    assert model.chance(step_named(sales_graph(), "Negotiation").id, 1) is None  # no stays
    assert model.brier < model.fixed_brier  # it beats the steps' fixed 10 % here


def test_weighted_totals_use_it_only_where_the_admin_turns_it_on(seeded) -> None:
    _history_where_slow_prospects_are_lost(seeded.admin)
    graph = sales_graph()
    win_chance.learn(seeded.admin, graph.id)
    prospecting = step_named(graph, "Prospecting")
    open_deals = [
        deals.service.create(seeded.admin, DealCreate(name=f"Open {n}", amount=Decimal(1000)))
        for n in range(3)
    ]
    with db.get_engine().begin() as conn:  # one of them has waited in Prospecting for weeks
        conn.execute(
            update(WfmProject)
            .where(WfmProject.id == open_deals[0].wfm.wfm_project_id)
            .values(step_entered_at=utc_now() - timedelta(days=30))
        )
    fixed = deals.service.get_by_id(seeded.admin, open_deals[0].id)
    assert fixed.weighted_amount == Decimal("100.00")  # the step's 10 %
    assert fixed.wfm.win_chance is not None and fixed.wfm.win_chance < 0.4

    workflows.update(seeded.admin, graph.id, WorkflowUpdate(learned_win_chance=True))
    cards = [deals.service.get_by_id(seeded.admin, d.id) for d in open_deals]
    for card in cards:
        assert card.weighted_amount == (Decimal(1000) * Decimal(card.wfm.win_chance)).quantize(
            Decimal("0.01")
        )
    assert cards[0].weighted_amount < cards[1].weighted_amount
    board = deals.service.board(seeded.admin)
    column = next(c for c in board.columns if c.step.id == prospecting.id)
    expected = sum(card.weighted_amount for card in cards)
    assert abs(column.weighted_amount - expected) <= Decimal("0.03")  # rounding per card
    assert column.total_amount == Decimal(3000)
    filters = {"owner_id": None, "assignee_id": None, "search": None}
    filters |= {"overdue_only": False, "waiting_on_me": False}
    again = deals.service.learned_totals(seeded.admin, graph.id, **filters)  # the board's reread
    # the same, but for the cards' ages having grown by a few milliseconds meanwhile
    assert again is not None and abs(again[prospecting.id] - column.weighted_amount) < Decimal(
        "0.02"
    )
    workflows.update(seeded.admin, graph.id, WorkflowUpdate(learned_win_chance=False))
    board = deals.service.board(seeded.admin)
    column = next(c for c in board.columns if c.step.id == prospecting.id)
    assert column.weighted_amount == Decimal("300.00")
    assert deals.service.learned_totals(seeded.admin, graph.id, **filters) is None


def test_each_organization_learns_from_its_own_cards(database) -> None:
    acme, globex = organization("acme"), organization("globex")
    with acting_in(acme.id):
        _history_where_slow_prospects_are_lost(acme.admin)
        assert win_chance.learn(acme.admin, sales_graph().id)[0] is not None
        assert win_chance.refresh_stale() == 1  # Lead Qualification; sales was just learned
        assert win_chance.refresh_stale() == 0  # nothing is older than an hour
    with acting_in(globex.id):
        model, note = win_chance.learn(globex.admin, sales_graph().id)
        assert model is None and "0 (0 won)" in note


def test_the_card_says_its_learned_chance_and_how_many_cards_taught_it(seeded) -> None:
    _history_where_slow_prospects_are_lost(seeded.admin)
    win_chance.learn(seeded.admin, sales_graph().id)
    deal = deals.service.create(seeded.admin, DealCreate(name="Fresh", amount=Decimal(10)))
    read = deals.service.get_by_id(seeded.admin, deal.id)
    rows = {r["label"]: r["value"] for r in detail_fields(deals.DESCRIPTION, read, [])}
    assert rows["Win chance"] == f"{read.wfm.win_chance:.0%} · learned from 30 closed deals"
