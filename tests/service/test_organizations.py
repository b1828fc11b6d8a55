"""Two organizations on one database, seeded alike: each sees and changes only its own.

Run on PostgreSQL and SQLite. Here the tests connect as the database's owner, so what
keeps the organizations apart is the service layer (wfm_app/tenant_scope.py); the row-level
security that backs it up on PostgreSQL is tried on its own in test_row_level_security.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.api import in_process
from tests.conftest import make_actor
from tests.service.helpers import make_process, step_named
from wfm_app import db, organizations
from wfm_app.auth.actor import ADMIN, Actor
from wfm_app.engine import (
    analytics,
    definitions,
    kinds,
    portable,
    project_moves,
    statuses,
    workflows,
)
from wfm_app.entities import deals, export
from wfm_app.entities.deals import DealCreate, DealUpdate
from wfm_app.entities.filtering import CardFilter
from wfm_app.errors import Forbidden, NotFound
from wfm_app.sqltypes import utc_now
from wfm_app.tenancy import acting_in


@dataclass(frozen=True)
class Org:
    id: uuid.UUID
    admin: Actor


def organization(key: str) -> Org:
    org_id, _ = organizations.create_seeded(key, key.title())
    with acting_in(org_id):  # the person (and so the actor) belongs to it
        return Org(org_id, make_actor("admin", f"{key} admin", ADMIN))


@pytest.fixture
def two(database: str) -> tuple[Org, Org]:
    return organization("acme"), organization("globex")


def test_both_have_the_same_names_each_its_own(two: tuple[Org, Org]) -> None:
    acme, globex = two
    with acting_in(acme.id):
        acme_statuses = {s.name: s.id for s in statuses.get_all(acme.admin)}
        acme_workflows = {w.id for w in workflows.get_all(acme.admin)}
    with acting_in(globex.id):
        globex_statuses = {s.name: s.id for s in statuses.get_all(globex.admin)}
        globex_workflows = {w.id for w in workflows.get_all(globex.admin)}
    assert "Prospecting" in acme_statuses and "Prospecting" in globex_statuses
    assert set(acme_statuses) == set(globex_statuses)
    assert not set(acme_statuses.values()) & set(globex_statuses.values())
    assert acme_workflows and not acme_workflows & globex_workflows


def test_a_card_of_one_does_not_exist_for_the_other(two: tuple[Org, Org]) -> None:
    acme, globex = two
    with acting_in(acme.id):
        deal = deals.service.create(acme.admin, DealCreate(name="Acme only", amount=Decimal(5)))
        graph = definitions.graph(deal.wfm.workflow_id)
        qualification = step_named(graph, "Qualification").id
    with acting_in(globex.id):
        assert deals.service.get_by_id(globex.admin, deal.id) is None
        assert deals.service.get_all(globex.admin) == []
        assert all(not c.cards for c in deals.service.board(globex.admin).columns)
        with pytest.raises(NotFound):
            deals.service.move(globex.admin, deal.id, qualification)
        with pytest.raises(NotFound):
            deals.service.update(globex.admin, deal.id, DealUpdate(name="Taken"))
        with pytest.raises(NotFound):
            deals.service.delete(globex.admin, deal.id)
        with pytest.raises(NotFound):
            definitions.graph(graph.workflow.id)  # its workflow is not theirs either
    with acting_in(acme.id):
        kept = deals.service.get_by_id(acme.admin, deal.id)
        assert kept is not None and kept.name == "Acme only"
        assert kept.wfm.step is not None and kept.wfm.step.id != qualification


def test_a_moves_one_statement_writes_no_other_organizations_card(two: tuple[Org, Org]) -> None:
    """On PostgreSQL a move's compare-and-set and its history row are one statement (a
    CTE's UPDATE feeding an INSERT): past the row lock, which refuses first, it is scoped
    like any UPDATE and neither moves the other's card nor writes its history."""
    acme, globex = two
    with acting_in(acme.id):
        deal = deals.service.create(acme.admin, DealCreate(name="Acme only", amount=Decimal(5)))
        graph = definitions.graph(deal.wfm.workflow_id)
        assert deal.wfm.step is not None
        start, qualification = deal.wfm.step.id, step_named(graph, "Qualification").id
        transition = graph.transition(start, qualification)
        assert transition is not None
    now = utc_now()
    changed = {
        "project_id": deal.wfm.wfm_project_id,
        "from_step": start,
        "to_step": qualification,
        "now": now,
        "completed_at": None,
        "completed_by": None,
        "user_id": globex.admin.user_id,
        "transition_id": transition.id,
    }
    with acting_in(globex.id), db.unit_of_work() as uow:
        history = {
            "org_id": globex.id,
            "id": uuid.uuid4(),
            "from_step_id": start,
            "to_step_id": qualification,
            "transition_id": transition.id,
            "changed_by_user_id": globex.admin.user_id,
            "changed_at": now,
            "from_entered_at": now,
            "comment": None,
            "move_values": None,
            "wip_override": False,
            "kind": "move",
            "undoes_history_id": None,
        }
        assert project_moves.compare_and_set(uow.session, changed, history) == 0
    with acting_in(acme.id):
        kept = deals.service.get_by_id(acme.admin, deal.id)
        assert kept is not None and kept.wfm.step is not None and kept.wfm.step.id == start
        moved = deals.service.move(acme.admin, deal.id, qualification)
        assert moved.wfm.step is not None and moved.wfm.step.id == qualification


def test_an_actor_acts_only_in_their_own_organization(two: tuple[Org, Org]) -> None:
    acme, globex = two
    with acting_in(acme.id), pytest.raises(Forbidden, match="another organization"):
        deals.service.get_all(globex.admin)


def test_graphql_answers_each_from_its_own_organization(two: tuple[Org, Org]) -> None:
    acme, globex = two
    made = in_process.run(acme.admin, 'mutation { createDeal(input: {name: "Acme deal"}) { id } }')
    deal_id = made["data"]["createDeal"]["id"]
    listed = in_process.run(
        globex.admin,
        "{ deals { id } wfmStatuses { id name } dealsFiltered { totalCount nodes { id } } "
        'items(kind: "deal") { totalCount } leadsFiltered { totalCount } }',
    )
    assert listed["data"]["deals"] == []
    assert listed["data"]["dealsFiltered"] == {"totalCount": 0, "nodes": []}
    assert listed["data"]["items"]["totalCount"] == 0
    acme_statuses = in_process.run(acme.admin, "{ wfmStatuses { id } }")["data"]["wfmStatuses"]
    assert {s["id"] for s in listed["data"]["wfmStatuses"]}.isdisjoint(
        {s["id"] for s in acme_statuses}
    )
    read = in_process.run(globex.admin, "query($id: ID!) { deal(id: $id) { id } }", id=deal_id)
    assert read["data"]["deal"] is None
    deleted = in_process.run(globex.admin, "mutation($id: ID!) { deleteDeal(id: $id) }", id=deal_id)
    assert deleted["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    again = in_process.run(acme.admin, "query($id: ID!) { deal(id: $id) { name } }", id=deal_id)
    assert again["data"]["deal"] == {"name": "Acme deal"}


def test_analytics_and_exports_count_only_their_own(two: tuple[Org, Org]) -> None:
    acme, globex = two
    with acting_in(acme.id):
        deal = deals.service.create(acme.admin, DealCreate(name="Counted", amount=Decimal(9)))
        graph = definitions.graph(deal.wfm.workflow_id)
        deals.service.move(acme.admin, deal.id, step_named(graph, "Qualification").id)
        acme_moves = sum(t.count for t in analytics.of(acme.admin, graph.workflow.id).time_in_step)
        acme_yaml = portable.to_yaml(portable.export(acme.admin))
        acme_cards = "".join(export.lines(deals.service, acme.admin, CardFilter()))
    assert acme_moves >= 1 and "Counted" in acme_cards
    with acting_in(globex.id):
        with pytest.raises(NotFound):  # acme's workflow does not exist here
            analytics.of(globex.admin, graph.workflow.id)
        globex_sales = deals.service.default_workflow_id(globex.admin)
        own = analytics.of(globex.admin, globex_sales)
        assert sum(t.count for t in own.time_in_step) == 0
        globex_yaml = portable.to_yaml(portable.export(globex.admin))
        globex_cards = "".join(export.lines(deals.service, globex.admin, CardFilter()))
    assert globex_cards.count("\r\n") == 1  # the header only
    # the same seeded definitions, each exported from its own rows (no ids in the file)
    assert globex_yaml == acme_yaml
    assert "Counted" not in globex_yaml


def test_a_transaction_keeps_the_organization_it_began_in(two: tuple[Org, Org]) -> None:
    acme, globex = two
    with (
        acting_in(acme.id),
        db.unit_of_work(),
        acting_in(globex.id),
        pytest.raises(RuntimeError, match="halfway"),
    ):
        deals.service.get_all(globex.admin)


def test_each_names_its_own_kinds(two: tuple[Org, Org]) -> None:
    made = {}
    for org in two:
        with acting_in(org.id):
            process = make_process(org.admin, "Assets", ["Ordered", "In use"], [(0, 1)])
            made[org.id] = kinds.create(
                org.admin, kinds.KindCreate(name="Asset", project_type_id=process.id)
            )
            assert [kind.key for kind in kinds.get_all(org.admin)].count("asset") == 1
    acme, globex = two
    assert made[acme.id].entity_type == made[globex.id].entity_type  # the same name, apart
    assert made[acme.id].project_type_id != made[globex.id].project_type_id
