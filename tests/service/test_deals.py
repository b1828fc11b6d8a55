"""The spec's "Entity Integration" list, moves, history, access, and bad input."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from tests.service.helpers import approve_contract, count, lead_graph, sales_graph, step_named
from tests.statements import statements_sent
from wfm_app import db
from wfm_app.engine import project_types, projects, workflows
from wfm_app.engine.inputs import parse
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.schemas import ProjectTypeCreate, WorkflowCreate
from wfm_app.entities import deals, leads
from wfm_app.entities.deals import Deal, DealCreate, DealUpdate
from wfm_app.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed


def new_deal(actor, name="Acme licence", amount="10000"):
    # dated: the seeded process asks for a close date to enter "Proposal"
    return deals.service.create(
        actor,
        DealCreate(name=name, amount=Decimal(amount), expected_close_date=date(2027, 1, 31)),
    )


def test_should_create_wfm_project_during_deal_creation(seeded):
    deal = new_deal(seeded.alice)
    graph = sales_graph()
    project = project_of(seeded.alice, deal)
    assert project.workflow_id == graph.id
    assert project.current_step_id == graph.initial_step.id
    assert project.name == "WFM for Deal: Acme licence"
    assert project.project_type_id == project_types.get_by_name(seeded.alice, "Sales Deal").id
    assert project.is_active and project.completed_at is None
    assert project.created_by_user_id == seeded.alice.user_id


def test_should_link_deal_to_wfm_project_correctly(seeded):
    deal = new_deal(seeded.alice)
    fetched = deals.service.get_by_id(seeded.alice, deal.id)
    assert fetched == deal
    assert fetched.wfm.step.display_name == "Prospecting"
    assert fetched.wfm.step.status.name == "Prospecting"
    assert fetched.owner_id == seeded.alice.user_id
    assert fetched.owner_name == "Alice Member"
    assert fetched.wfm.progress == pytest.approx(0.10)
    assert fetched.weighted_amount == Decimal("1000.00")
    assert count(Deal) == 1 and count(WfmProject) == 1


def test_should_handle_wfm_project_creation_failure_gracefully(seeded):
    empty = workflows.create(seeded.admin, WorkflowCreate(name="Empty"))
    broken = project_types.create(
        seeded.admin, ProjectTypeCreate(name="Broken", default_workflow_id=empty.id)
    )
    with pytest.raises(ValidationFailed, match='Workflow "Empty" has no initial step yet'):
        deals.service.create(seeded.alice, DealCreate(name="Doomed", wfm_project_type_id=broken.id))
    with pytest.raises(NotFound):
        deals.service.create(
            seeded.alice, DealCreate(name="Doomed", wfm_project_type_id=uuid.uuid4())
        )
    assert count(Deal) == 0 and count(WfmProject) == 0


def test_deal_and_project_are_one_transaction(seeded):
    """Whatever fails after the inserts, neither the project nor the deal is left."""
    with pytest.raises(RuntimeError), db.unit_of_work():
        deal = new_deal(seeded.alice)
        assert deals.service.get_by_id(seeded.alice, deal.id) is not None
        raise RuntimeError("the caller's transaction fails after the deal was made")
    assert count(Deal) == 0 and count(WfmProject) == 0


def test_unknown_owner_is_refused(seeded):
    with pytest.raises(NotFound, match=r"User .* does not exist"):
        deals.service.create(seeded.manager, DealCreate(name="Ghost", owner_id=uuid.uuid4()))
    assert count(Deal) == 0 and count(WfmProject) == 0


def test_should_allow_valid_transitions(seeded):
    deal = new_deal(seeded.alice)
    graph = sales_graph()
    qualification = step_named(graph, "Qualification")
    moved = deals.service.move(seeded.alice, deal.id, qualification.id)
    assert moved.wfm.step.id == qualification.id
    assert moved.wfm.step_entered_at > deal.wfm.step_entered_at
    assert moved.weighted_amount == Decimal("2500.00")
    history = deals.service.history(seeded.alice, deal.id)
    assert len(history) == 1
    entry = history[0]
    assert (entry.from_step_id, entry.to_step_id) == (graph.initial_step.id, qualification.id)
    assert entry.changed_by_user_id == seeded.alice.user_id
    assert entry.changed_by_name == "Alice Member"
    assert entry.transition_id == graph.transition(graph.initial_step.id, qualification.id).id


def test_should_reject_invalid_transitions(seeded):
    deal = new_deal(seeded.alice)
    won = step_named(sales_graph(), "Closed Won")
    with pytest.raises(InvalidTransition) as error:
        deals.service.move(seeded.alice, deal.id, won.id)
    assert error.value.message == (
        'No transition from "Prospecting" to "Closed Won"; '
        'it may move to "Qualification", "Closed Lost".'
    )
    assert deals.service.get_by_id(seeded.alice, deal.id) == deal
    assert count(WfmProjectHistory) == 0


def test_should_handle_missing_transition_definitions(seeded):
    deal = new_deal(seeded.alice)
    lead_step = lead_graph().steps[1]
    with pytest.raises(ValidationFailed, match='not part of workflow "Standard Sales Process"'):
        deals.service.move(seeded.alice, deal.id, lead_step.id)
    with pytest.raises(InvalidTransition, match='already at "Prospecting"'):
        deals.service.move(seeded.alice, deal.id, deal.wfm.step.id)
    with pytest.raises(NotFound):
        deals.service.move(seeded.alice, uuid.uuid4(), lead_step.id)
    assert count(WfmProjectHistory) == 0


def test_final_step_completes_the_project_and_ends_the_road(seeded):
    deal = new_deal(seeded.alice)
    graph = sales_graph()
    for name in ["Qualification", "Proposal", "Negotiation", "Contract Sent", "Closed Won"]:
        if name == "Closed Won":  # the seeded Legal and Finance approvals come first
            approve_contract(seeded, deal)
        deal = deals.service.move(seeded.alice, deal.id, step_named(graph, name).id)
    project = project_of(seeded.alice, deal)
    assert project.completed_at is not None
    assert project.completed_by_user_id == seeded.alice.user_id
    assert deal.wfm.outcome == "WON" and deal.weighted_amount == deal.amount
    with pytest.raises(InvalidTransition, match="cannot move anywhere"):
        deals.service.move(seeded.alice, deal.id, step_named(graph, "Closed Lost").id)
    assert len(deals.service.history(seeded.alice, deal.id)) == 5


def project_of(actor, deal):
    return projects.get_many(actor, [deal.wfm.wfm_project_id])[deal.wfm.wfm_project_id]


def _set_active(project_id: uuid.UUID, *, is_active: bool) -> None:
    """The spec's is_active column, as data brought over from elsewhere may hold it (no
    operation of ours archives a project)."""
    with db.unit_of_work() as uow:
        uow.session.get_one(WfmProject, project_id).is_active = is_active


def test_archived_project_does_not_move(seeded):
    deal = new_deal(seeded.alice)
    _set_active(deal.wfm.wfm_project_id, is_active=False)
    target = step_named(sales_graph(), "Qualification")
    with pytest.raises(Conflict, match="archived"):
        deals.service.move(seeded.alice, deal.id, target.id)
    _set_active(deal.wfm.wfm_project_id, is_active=True)
    assert deals.service.move(seeded.alice, deal.id, target.id).wfm.step.id == target.id


def test_stale_board_move_is_a_conflict(seeded):
    deal = new_deal(seeded.alice)
    graph = sales_graph()
    qualification = step_named(graph, "Qualification")
    deals.service.move(seeded.manager, deal.id, qualification.id)
    with pytest.raises(Conflict, match="Someone else moved it"):
        deals.service.move(
            seeded.alice,
            deal.id,
            step_named(graph, "Closed Lost").id,
            expected_step_id=graph.initial_step.id,
        )
    assert count(WfmProjectHistory) == 1


def test_members_see_and_move_only_their_own(seeded):
    mine = new_deal(seeded.alice, "Alice's")
    theirs = new_deal(seeded.bob, "Bob's")
    target = step_named(sales_graph(), "Qualification")
    assert [d.name for d in deals.service.get_all(seeded.alice)] == ["Alice's"]
    # What she may not see does not exist for her, on every path, with one sentence each.
    assert deals.service.get_by_id(seeded.alice, theirs.id) is None
    assert projects.get_many(seeded.alice, [theirs.wfm.wfm_project_id]) == {}
    gone = f"Deal {theirs.id} does not exist."
    for attempt in (
        lambda: deals.service.move(seeded.alice, theirs.id, target.id),
        lambda: deals.service.update(seeded.alice, theirs.id, DealUpdate(name="Mine now")),
        lambda: deals.service.delete(seeded.alice, theirs.id),
        lambda: deals.service.history(seeded.alice, theirs.id),
    ):
        with pytest.raises(NotFound) as caught:
            attempt()
        assert caught.value.message == gone
    assert projects.get_many(
        seeded.alice, [mine.wfm.wfm_project_id, theirs.wfm.wfm_project_id]
    ).keys() == {mine.wfm.wfm_project_id}
    with pytest.raises(Forbidden, match="only create deals for yourself"):
        deals.service.create(seeded.alice, DealCreate(name="For Bob", owner_id=seeded.bob.user_id))
    assert count(WfmProjectHistory) == 0 and count(Deal) == 2
    assert deals.service.get_by_id(seeded.bob, theirs.id).name == "Bob's"


def test_managers_and_admins_see_and_move_everything(seeded):
    deal = new_deal(seeded.bob)
    target = step_named(sales_graph(), "Qualification")
    for actor in (seeded.manager, seeded.admin):
        assert [d.id for d in deals.service.get_all(actor)] == [deal.id]
    moved = deals.service.move(seeded.manager, deal.id, target.id)
    assert moved.wfm.step.id == target.id
    assignable = deals.service.create(
        seeded.manager, DealCreate(name="For Bob", owner_id=seeded.bob.user_id)
    )
    assert assignable.owner_id == seeded.bob.user_id
    assert {d.name for d in deals.service.get_all(seeded.bob)} == {"Acme licence", "For Bob"}


def test_update_validates_and_renames_the_project(seeded):
    deal = new_deal(seeded.alice)
    for bad in ({"amount": "-5"}, {"amount": "lots"}, {"name": " "}, {"currency": "dollars"}):
        with pytest.raises(ValidationFailed):
            deals.service.update(seeded.alice, deal.id, parse(DealUpdate, bad))
    assert deals.service.get_by_id(seeded.alice, deal.id) == deal
    updated = deals.service.update(
        seeded.alice, deal.id, parse(DealUpdate, {"name": "Acme renewal", "amount": "12.5"})
    )
    assert (updated.name, updated.amount) == ("Acme renewal", Decimal("12.50"))
    project = project_of(seeded.alice, deal)
    assert project.name == "WFM for Deal: Acme renewal"


def test_bad_create_input_creates_nothing(seeded):
    with pytest.raises(ValidationFailed) as error:
        parse(DealCreate, {"name": "", "amount": "-1"})
    assert set(error.value.field_errors) == {"name", "amount"}
    assert count(Deal) == 0


def test_delete_removes_deal_project_and_history(seeded):
    deal = new_deal(seeded.alice)
    deals.service.move(seeded.alice, deal.id, step_named(sales_graph(), "Qualification").id)
    deals.service.delete(seeded.alice, deal.id)
    assert (count(Deal), count(WfmProject), count(WfmProjectHistory)) == (0, 0, 0)
    with pytest.raises(NotFound):
        deals.service.delete(seeded.alice, deal.id)


def test_board_groups_by_step_with_totals(seeded):
    graph = sales_graph()
    qualification = step_named(graph, "Qualification")
    first = new_deal(seeded.alice, "One", "1000")
    new_deal(seeded.alice, "Two", "3000")
    new_deal(seeded.bob, "Three", "500")
    deals.service.move(seeded.alice, first.id, qualification.id)

    board = deals.service.board(seeded.manager)
    assert [c.step.display_name for c in board.columns] == [s.display_name for s in graph.steps]
    by_name = {c.step.display_name: c for c in board.columns}
    assert by_name["Prospecting"].count == 2
    assert by_name["Prospecting"].total_amount == Decimal("3500")
    assert by_name["Prospecting"].weighted_amount == Decimal("350.00")
    assert by_name["Qualification"].weighted_amount == Decimal("250.00")
    assert deals.service.board(seeded.alice).columns[0].count == 1
    assert deals.service.board(seeded.manager, search="tw").columns[0].cards[0].name == "Two"
    owner_filtered = deals.service.board(seeded.manager, owner_id=seeded.bob.user_id)
    assert [c.name for c in owner_filtered.columns[0].cards] == ["Three"]


def test_board_runs_a_constant_number_of_queries(seeded):
    def statements_for_board() -> int:
        with statements_sent() as seen:
            deals.service.board(seeded.manager)
        return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])

    deals.service.board(seeded.manager)  # warm the definitions cache
    new_deal(seeded.alice, "First")
    few = statements_for_board()
    for index in range(25):
        new_deal(seeded.bob if index % 2 else seeded.alice, f"Deal {index}")
    assert statements_for_board() == few == 2  # the column pages, then counts and totals


def test_board_columns_are_paged_in_the_database(seeded):
    for index in range(25):
        new_deal(seeded.alice, f"Deal {index:02}", "100")
    board = deals.service.board(seeded.manager)
    first = board.columns[0]
    assert (first.count, len(first.cards), first.total_amount) == (25, 20, Decimal("2500"))
    assert first.cards[0].name == "Deal 24"  # newest in the step first
    rest = deals.service.column_page(
        seeded.manager, board.workflow.id, first.step.id, offset=len(first.cards)
    )
    assert [deal.name for deal in rest] == [f"Deal {i:02}" for i in range(4, -1, -1)]
    wider = deals.service.board(seeded.manager, limits={first.step.id: 30})
    assert len(wider.columns[0].cards) == 25
    # one owner's board ranks that owner's cards per step: the same pages
    mine = deals.service.board(seeded.alice).columns[0]
    assert [d.name for d in mine.cards] == [d.name for d in first.cards]
    assert (mine.count, mine.total_amount) == (25, Decimal("2500"))
    assert len(deals.service.board(seeded.alice, limits={first.step.id: 30}).columns[0].cards) == 25
    with pytest.raises(ValidationFailed):
        deals.service.column_page(seeded.manager, board.workflow.id, first.step.id, offset=-1)


def test_leads_ride_on_the_same_engine(seeded):
    lead = leads.service.create(
        seeded.bob, leads.LeadCreate(name="Grace at Globex", company="Globex", score=60)
    )
    graph = lead_graph()
    assert lead.wfm.workflow_id == graph.id
    assert lead.wfm.step.display_name == "New Lead"
    moved = leads.service.move(seeded.bob, lead.id, step_named(graph, "Contacted").id)
    assert moved.wfm.progress == pytest.approx(0.30)
    with pytest.raises(ValidationFailed) as error:
        parse(leads.LeadCreate, {"name": "X", "email": "not-an-email", "score": 101})
    assert set(error.value.field_errors) == {"email", "score"}
    assert leads.service.get_all(seeded.alice) == []
    assert [h.to_step_id for h in leads.service.history(seeded.bob, lead.id)] == [moved.wfm.step.id]
