from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from tests.service.helpers import count, lead_graph, sales_graph, ticket_graph
from wfm_app import db
from wfm_app.auth import users
from wfm_app.auth.models import Permission, User
from wfm_app.demo import seed_demo
from wfm_app.engine.models import (
    ProjectType,
    Status,
    WfmProject,
    WfmProjectHistory,
    WorkflowTransition,
)
from wfm_app.entities.deals import Deal
from wfm_app.entities.leads import Lead
from wfm_app.entities.tickets import SupportTicket
from wfm_app.seed import seed_definitions


def test_seed_loads_the_spec_definitions_idempotently(database):
    seed_definitions()
    seed_definitions()
    sales, leads = sales_graph(), lead_graph()
    assert sales.workflow.name == "Standard Sales Process"
    # Lead Qualification's five and, since issue 29, where a conversion takes a lead
    assert len(sales.steps) == 7 and len(leads.steps) == 6
    assert leads.steps[-1].metadata["outcome_type"] == "CONVERTED"
    assert count(Status) == 19
    assert all(step.status.color for step in sales.steps)
    probabilities = [step.metadata["deal_probability"] for step in sales.steps]
    assert probabilities == [10, 25, 50, 75, 90, 100, 0]
    assert [step.metadata["outcome_type"] for step in sales.steps][-2:] == ["WON", "LOST"]
    assert sales.initial_step.display_name == "Prospecting"
    assert [s.is_final_step for s in sales.steps] == [False] * 5 + [True, True]
    by_name = {step.display_name: step.id for step in sales.steps}
    assert sales.transition(by_name["Proposal"], by_name["Negotiation"])  # forward
    assert sales.transition(by_name["Proposal"], by_name["Qualification"])  # backward
    assert all(
        sales.transition(by_name[name], by_name["Closed Lost"])
        for name in ["Prospecting", "Qualification", "Proposal", "Negotiation", "Contract Sent"]
    )
    support = ticket_graph()
    assert [step.display_name for step in support.steps] == [
        "New",
        "Triaged",
        "In Progress",
        "Waiting on Customer",
        "Resolved",
        "Closed",
    ]
    ticket_step = {step.display_name: step.id for step in support.steps}
    assert support.transition(ticket_step["Resolved"], ticket_step["In Progress"])  # reopen
    assert support.transition(ticket_step["Resolved"], ticket_step["Closed"])
    assert [s.is_final_step for s in support.steps] == [False] * 5 + [True]
    assert count(WorkflowTransition) == 22 + 11  # + Qualified -> Converted
    # rules on moves: a close date to enter Proposal, a reason to lose, a soft WIP limit
    into_proposal = sales.transition(by_name["Qualification"], by_name["Proposal"])
    assert into_proposal.conditions["required_fields"][0]["field"] == "expected_close_date"
    assert sales.transition(by_name["Proposal"], by_name["Closed Lost"]).conditions == {
        "require_comment": True
    }
    negotiation = next(s for s in sales.steps if s.display_name == "Negotiation")
    assert (negotiation.metadata["wip_limit"], negotiation.metadata["wip_policy"]) == (10, "warn")
    with db.get_engine().connect() as conn:
        types = dict(conn.execute(select(ProjectType.name, ProjectType.default_workflow_id)).all())
        permissions = {
            f"{r}:{a}" for r, a in conn.execute(select(Permission.resource, Permission.action))
        }
    assert types == {
        "Sales Deal": sales.id,
        "Lead Management": leads.id,
        "Support Ticket": support.id,
    }
    assert {"wfm_definitions:manage", "wfm_projects:read", "wfm_projects:update"} <= permissions


def test_demo_data_spreads_over_the_steps(database):
    assert seed_demo() == 72
    assert seed_demo() == 0
    assert count(User) == 4 and count(Deal) == 36 and count(Lead) == 24
    assert count(SupportTicket) == 12
    assert count(WfmProjectHistory) > 36
    with db.get_engine().connect() as conn:
        occupied = set(conn.execute(select(WfmProject.current_step_id).distinct()).scalars())
    assert len(occupied & {step.id for step in sales_graph().steps}) >= 5


def test_user_upsert_keeps_one_row_per_identity(database):
    first = users.upsert(issuer="https://a", subject="1", email="a@x.io", display_name="A")
    again = users.upsert(issuer="https://a", subject="1", email="b@x.io", display_name="B")
    other = users.upsert(issuer="https://b", subject="1", email=None, display_name=None)
    assert first.id == again.id != other.id
    assert (again.email, again.display_name) == ("b@x.io", "B")
    assert count(User) == 2


def test_a_first_sign_in_made_at_once_in_several_processes_gives_one_user(database):
    """A new client's first burst reaches every serving process at once: each signs the
    token's user in, and none may fail on the others' insert (it answered 500 once)."""
    writers = 6

    def sign_in(subject: str, ready: threading.Barrier) -> uuid.UUID:
        ready.wait()
        return users.upsert(issuer="https://a", subject=subject, email=None, display_name="N").id

    with ThreadPoolExecutor(writers) as pool:
        for round_ in range(10):
            ready = threading.Barrier(writers)
            ids = list(pool.map(sign_in, [f"new-{round_}"] * writers, [ready] * writers))
            assert len(set(ids)) == 1
    assert count(User) == 10


def test_people_are_listed_for_managers_and_emails_shown_only_to_them(people):
    from wfm_app.engine import people as people_service
    from wfm_app.errors import Forbidden

    with pytest.raises(Forbidden):
        people_service.get_all(people.alice)
    assert len(people_service.get_all(people.manager)) == 4
    ids = [people.admin.user_id, people.alice.user_id]
    seen_by_alice = people_service.get_many(people.alice, ids)
    assert seen_by_alice[people.admin.user_id].email is None  # another person's address
    assert seen_by_alice[people.admin.user_id].display_name == "Ada Admin"
    assert seen_by_alice[people.alice.user_id].email == "alice@example.com"  # her own
    assert people_service.get_many(people.manager, ids)[people.admin.user_id].email
