"""A card's history read for many cards at once (engine/timeline.py, one statement): moves
and edits in time order, a move before an edit of the same instant, every visible card
present (an empty list when nothing happened to it), others' cards left out, and two
organizations kept apart. On both backends."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from tests.service.helpers import sales_graph, step_named
from tests.service.test_organizations import organization
from wfm_app.db import unit_of_work
from wfm_app.engine.field_changes import FieldChange
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate, DealUpdate
from wfm_app.errors import NotFound
from wfm_app.sqltypes import table_of
from wfm_app.tenancy import acting_in


def test_many_cards_each_get_their_moves_and_edits_in_order(seeded) -> None:
    graph = sales_graph()
    busy = deals.service.create(seeded.alice, DealCreate(name="Busy", amount=Decimal(10)))
    quiet = deals.service.create(seeded.alice, DealCreate(name="Quiet"))
    bobs = deals.service.create(seeded.bob, DealCreate(name="Bob's"))
    deals.service.update(seeded.alice, busy.id, DealUpdate(amount=Decimal(20)))
    deals.service.move(seeded.alice, busy.id, step_named(graph, "Qualification").id)
    deals.service.update(seeded.alice, busy.id, DealUpdate(name="Busy 2"))
    deals.service.move(seeded.bob, bobs.id, step_named(graph, "Qualification").id)

    found = deals.service.history_many(seeded.alice, [busy.id, quiet.id, bobs.id], edits=True)

    assert set(found) == {busy.id, quiet.id}  # Bob's card is not Alice's to see
    assert found[quiet.id] == []
    assert [(e.kind, e.changed_by_name) for e in found[busy.id]] == [
        ("update", "Alice Member"),
        ("move", "Alice Member"),
        ("update", "Alice Member"),
    ]
    moved = found[busy.id][1]
    assert moved.to_step_id == step_named(graph, "Qualification").id and not moved.override
    assert found[busy.id][2].values == {"name": {"old": "Busy", "new": "Busy 2"}}
    # moves only, unless edits are asked for
    only_moves = deals.service.history_many(seeded.alice, [busy.id], edits=False)
    assert [e.kind for e in only_moves[busy.id]] == ["move"]
    # a visible card with no history is there; one nobody may see is not
    assert deals.service.history(seeded.alice, quiet.id, edits=True) == []
    with pytest.raises(NotFound):
        deals.service.history(seeded.alice, bobs.id, edits=True)


def test_a_move_comes_before_an_edit_of_the_same_instant(seeded) -> None:
    deal = deals.service.create(seeded.alice, DealCreate(name="Same time"))
    deals.service.update(seeded.alice, deal.id, DealUpdate(name="Same time 2"))
    deals.service.move(seeded.alice, deal.id, step_named(sales_graph(), "Qualification").id)
    moved_at = deals.service.history(seeded.alice, deal.id)[0].changed_at
    with unit_of_work() as uow:
        uow.session.execute(update(table_of(FieldChange)).values(changed_at=moved_at))
    found = deals.service.history(seeded.alice, deal.id, edits=True)
    assert [e.kind for e in found] == ["move", "update"]


def test_each_organization_reads_only_its_own_timelines(database) -> None:
    acme, globex = organization("acme"), organization("globex")
    with acting_in(acme.id):
        deal = deals.service.create(acme.admin, DealCreate(name="Acme deal"))
        deals.service.update(acme.admin, deal.id, DealUpdate(name="Acme deal 2"))
    with acting_in(globex.id):
        assert deals.service.history_many(globex.admin, [deal.id], edits=True) == {}
        assert deals.service.get_all(globex.admin) == []
    with acting_in(acme.id):
        found = deals.service.history_many(acme.admin, [deal.id], edits=True)
        assert [e.kind for e in found[deal.id]] == ["update"]
        assert [d.id for d in deals.service.get_all(acme.admin)] == [deal.id]
    with acting_in(globex.id):  # the statements built for acme's admin, run for globex's
        assert deals.service.get_all(globex.admin) == []
        assert deals.service.history_many(globex.admin, [deal.id], edits=True) == {}


def test_statements_built_once_answer_each_actor_with_their_own_sight(seeded) -> None:
    """The plain list and the timelines are built once per kind of sight (anyone's, or
    one's own) and run for every actor with it: each still sees only their own."""
    alices = deals.service.create(seeded.alice, DealCreate(name="Alice's"))
    bobs = deals.service.create(seeded.bob, DealCreate(name="Bob's"))
    both = [alices.id, bobs.id]
    for _round in range(2):
        assert [d.id for d in deals.service.get_all(seeded.alice)] == [alices.id]
        assert [d.id for d in deals.service.get_all(seeded.bob)] == [bobs.id]
        assert {d.id for d in deals.service.get_all(seeded.manager)} == set(both)
        assert set(deals.service.history_many(seeded.alice, both)) == {alices.id}
        assert set(deals.service.history_many(seeded.bob, both)) == {bobs.id}
        assert set(deals.service.history_many(seeded.manager, both)) == set(both)
        for owner, card in ((seeded.alice, alices), (seeded.bob, bobs)):
            one = deals.service.get_all(seeded.manager, owner_id=owner.user_id)
            assert [d.id for d in one] == [card.id]
        assert deals.service.get_all(seeded.alice, owner_id=seeded.bob.user_id) == []
