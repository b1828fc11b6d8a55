"""Parallel branches: the seeded Legal and Finance approvals gate "Closed Won"."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from tests.service.branch_helpers import branch_named, deal_on_contract_sent
from tests.service.helpers import count, sales_graph, step_named
from wfm_app.auth import sessions
from wfm_app.auth.actor import MANAGER
from wfm_app.engine import definitions, statuses, steps, transitions, versions, workflows
from wfm_app.engine.automation import notifications, rule_admin
from wfm_app.engine.automation.config import RuleCreate
from wfm_app.engine.branches import admin as branch_admin
from wfm_app.engine.branches import decisions, reading
from wfm_app.engine.branches.admin import BranchCreate, BranchUpdate
from wfm_app.engine.branches.models import WfmBranchAction
from wfm_app.engine.rules import MoveRequest
from wfm_app.engine.schemas import StatusCreate, StepCreate, TransitionCreate, WorkflowCreate
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import ConditionFailed, Conflict, Forbidden, ValidationFailed
from wfm_app.tenancy import DEFAULT_ORG_ID


def _states(deal, viewer):
    project = deal.wfm.wfm_project_id
    return {i.branch.name: i.state for i in reading.get_instances(viewer, project)}


@pytest.fixture
def people(seeded):
    return seeded


def test_seed_gates_closed_won_on_legal_and_finance(people):
    contract = step_named(sales_graph(), "Contract Sent")
    won = step_named(sales_graph(), "Closed Won")
    seeded = {b.name: b for b in sales_graph().branches_on(contract.id)}
    assert list(seeded) == ["Legal review", "Finance approval"]
    assert seeded["Legal review"].allowed_roles == ("wfm_manager",)
    assert seeded["Finance approval"].allowed_roles == ("wfm_admin",)
    assert {b.mode for b in seeded.values()} == {"all_approved"}
    assert {b.to_step_ids for b in seeded.values()} == {(won.id,)}


def test_approvals_gate_the_move_until_both_are_given(people):
    deal = deal_on_contract_sent(people.alice)
    won = step_named(sales_graph(), "Closed Won")
    assert _states(deal, people.manager) == {
        "Legal review": "pending",
        "Finance approval": "pending",
    }
    with pytest.raises(ConditionFailed) as refused:
        deals.service.move(people.alice, deal.id, won.id)
    assert '"Legal review" (pending), "Finance approval" (pending)' in refused.value.message
    assert [u["label"] for u in refused.value.unmet] == ["Legal review", "Finance approval"]

    project = deal.wfm.wfm_project_id
    legal = decisions.act(people.manager, project, branch_named("Legal review").id, "approve", "OK")
    assert (legal.state, legal.acted_by_name, legal.comment) == ("approved", "Max Manager", "OK")
    with pytest.raises(ConditionFailed, match=r'until these are approved: "Finance approval"'):
        deals.service.move(people.alice, deal.id, won.id)

    decisions.act(people.admin, project, branch_named("Finance approval").id, "approve")
    moved = deals.service.move(people.alice, deal.id, won.id)
    assert moved.wfm.step.id == won.id
    closed = reading.get_instances(people.manager, project)
    assert {(i.branch.name, i.state, i.is_open) for i in closed} == {
        ("Legal review", "approved", False),
        ("Finance approval", "approved", False),
    }
    assert count(WfmBranchAction) == 2


def test_only_the_branch_roles_may_act(people):
    project = deal_on_contract_sent(people.alice).wfm.wfm_project_id
    legal, finance = branch_named("Legal review"), branch_named("Finance approval")
    with pytest.raises(Forbidden, match='Only wfm_manager may act on "Legal review"'):
        decisions.act(people.alice, project, legal.id, "approve")
    with pytest.raises(Forbidden):
        decisions.act(people.admin, project, legal.id, "approve")
    with pytest.raises(Forbidden):
        decisions.act(people.manager, project, finance.id, "approve")
    with pytest.raises(ValidationFailed) as bad:
        decisions.act(people.manager, project, legal.id, "maybe")
    assert "action" in bad.value.field_errors
    with pytest.raises(ValidationFailed) as long:
        decisions.act(people.manager, project, legal.id, "approve", "x" * 2001)
    assert "comment" in long.value.field_errors
    decisions.act(people.manager, project, legal.id, "approve")
    with pytest.raises(Conflict, match='"Legal review" is already approved'):
        decisions.act(people.manager, project, legal.id, "reject")


def test_concurrent_approvals_are_both_recorded(people):
    deal = deal_on_contract_sent(people.alice)
    project = deal.wfm.wfm_project_id
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def approve(actor, branch_name):
        start.wait()
        try:
            decisions.act(actor, project, branch_named(branch_name).id, "approve")
        except BaseException as error:
            errors.append(error)

    workers = [
        threading.Thread(target=approve, args=(people.manager, "Legal review")),
        threading.Thread(target=approve, args=(people.admin, "Finance approval")),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert _states(deal, people.manager) == {
        "Legal review": "approved",
        "Finance approval": "approved",
    }
    assert count(WfmBranchAction) == 2
    won = step_named(sales_graph(), "Closed Won")
    assert deals.service.move(people.alice, deal.id, won.id).wfm.step.id == won.id


def test_rejection_routed_back_and_reentry_reopens(people):
    graph = sales_graph()
    contract, negotiation = step_named(graph, "Contract Sent"), step_named(graph, "Negotiation")
    rule_admin.create(
        people.admin,
        RuleCreate(
            name="Rejected contracts go back to negotiation",
            workflow_id=graph.id,
            workflow_step_id=contract.id,
            trigger_event="branch_rejected",
            action_config={"type": "move_to_step", "step_id": str(negotiation.id)},
        ),
    )
    deal = deal_on_contract_sent(people.alice)
    project = deal.wfm.wfm_project_id
    decisions.act(people.admin, project, branch_named("Finance approval").id, "approve")
    rejected = decisions.act(
        people.manager,
        project,
        branch_named("Legal review").id,
        "reject",
        "Clause 7 is unacceptable",
    )
    assert (rejected.state, rejected.is_open) == ("rejected", False)
    assert deals.service.get_by_id(people.alice, deal.id).wfm.step.id == negotiation.id
    # going back and losing never wait on approvals; coming back reopens both, pending
    again = deals.service.move(people.alice, deal.id, contract.id)
    assert _states(again, people.alice) == {
        "Legal review": "pending",
        "Finance approval": "pending",
    }
    assert count(WfmBranchAction) == 2  # the earlier decisions stay in the history
    deals.service.move(people.alice, deal.id, negotiation.id)


def test_a_rejection_without_a_rule_holds_the_card(people):
    deal = deal_on_contract_sent(people.alice)
    project = deal.wfm.wfm_project_id
    decisions.act(people.manager, project, branch_named("Legal review").id, "reject")
    with pytest.raises(ConditionFailed, match=r'"Legal review" \(rejected\)'):
        deals.service.move(people.alice, deal.id, step_named(sales_graph(), "Closed Won").id)
    lost = step_named(sales_graph(), "Closed Lost")
    moved = deals.service.move(people.alice, deal.id, lost.id, request=MoveRequest(comment="No"))
    assert moved.wfm.step.id == lost.id


def test_defining_branches(people):
    graph = sales_graph()
    proposal, negotiation = step_named(graph, "Proposal"), step_named(graph, "Negotiation")
    waiting = deals.service.create(
        people.alice, DealCreate(name="On proposal", expected_close_date=date(2027, 1, 1))
    )
    deals.service.move(people.alice, waiting.id, step_named(graph, "Qualification").id)
    deals.service.move(people.alice, waiting.id, proposal.id)
    with pytest.raises(ValidationFailed) as bad_role:
        branch_admin.create(
            people.admin,
            BranchCreate(workflow_step_id=proposal.id, name="Pricing", allowed_roles=["boss"]),
        )
    assert "allowed_roles" in bad_role.value.field_errors
    with pytest.raises(ValidationFailed) as bad_mode:
        branch_admin.create(
            people.admin,
            BranchCreate(
                workflow_step_id=proposal.id,
                name="Pricing",
                allowed_roles=[MANAGER],
                merge_mode="most_approved",
            ),
        )
    assert "merge_mode" in bad_mode.value.field_errors
    with pytest.raises(Forbidden):
        branch_admin.create(
            people.manager,
            BranchCreate(workflow_step_id=proposal.id, name="Pricing", allowed_roles=[MANAGER]),
        )
    pricing = branch_admin.create(
        people.admin,
        BranchCreate(
            workflow_step_id=proposal.id,
            name="Pricing",
            allowed_roles=[MANAGER],
            merge_mode="any_approved",
        ),
    )
    with pytest.raises(Conflict, match="already has a branch"):
        branch_admin.create(
            people.admin,
            BranchCreate(workflow_step_id=proposal.id, name="pricing", allowed_roles=[MANAGER]),
        )
    # the card already on the step waits on it too (default: every later, not-lost step)
    with pytest.raises(ConditionFailed, match=r'"Pricing" \(pending\)'):
        deals.service.move(people.alice, waiting.id, negotiation.id)
    branch_admin.update(people.admin, pricing.id, BranchUpdate(gates_step_ids=[]))
    deals.service.move(people.alice, waiting.id, negotiation.id)
    branch_admin.delete_branch(people.admin, pricing.id)
    assert sales_graph().branches_on(proposal.id) == ()


def test_a_branch_with_its_own_workflow(people):
    names = ["Waiting", "In review", "Passed", "Failed"]
    status = {
        n: statuses.create(people.admin, StatusCreate(name=f"Security {n}")).id for n in names
    }
    flow = workflows.create(people.admin, WorkflowCreate(name="Security check"))
    made = {}
    for n, meta in zip(
        names,
        [
            {"outcome_type": "OPEN"},
            {"outcome_type": "OPEN"},
            {"outcome_type": "WON"},
            {"outcome_type": "LOST"},
        ],
        strict=True,
    ):
        made[n] = steps.create_step(
            people.admin,
            StepCreate(
                workflow_id=flow.id,
                status_id=status[n],
                is_initial_step=n == "Waiting",
                is_final_step=n in ("Passed", "Failed"),
                metadata={"name": n, **meta},
            ),
        ).id
    for a, b in [("Waiting", "In review"), ("In review", "Passed"), ("In review", "Failed")]:
        transitions.create_transition(
            people.admin,
            TransitionCreate(workflow_id=flow.id, from_step_id=made[a], to_step_id=made[b]),
        )
    contract = step_named(sales_graph(), "Contract Sent")
    security = branch_admin.create(
        people.admin,
        BranchCreate(
            workflow_step_id=contract.id,
            name="Security",
            allowed_roles=[MANAGER],
            branch_workflow_id=flow.id,
        ),
    )
    project = deal_on_contract_sent(people.alice).wfm.wfm_project_id
    with pytest.raises(ValidationFailed, match='it may go to "In review"'):
        decisions.act(people.manager, project, security.id, "approve")
    step = decisions.act(people.manager, project, security.id, "In review")
    assert (step.state, step.step_name) == ("pending", "In review")
    done = decisions.act(people.manager, project, security.id, "approve")
    assert (done.state, done.step_name) == ("approved", "Passed")


def test_a_draft_copies_the_branches(people):
    draft = definitions.graph(versions.create_draft(people.admin, sales_graph().id).id)
    copied = {b.name: b for b in draft.branches}
    assert set(copied) == {"Legal review", "Finance approval"}
    assert copied["Legal review"].to_step_ids == (step_named(draft, "Closed Won").id,)
    assert copied["Legal review"].step_id == step_named(draft, "Contract Sent").id


def test_migration_carries_decisions_to_the_new_version(people):
    from wfm_app.engine import card_migration

    live = sales_graph()
    deal = deal_on_contract_sent(people.alice)
    decisions.act(
        people.manager, deal.wfm.wfm_project_id, branch_named("Legal review").id, "approve"
    )
    draft = versions.create_draft(people.admin, live.id)
    versions.publish(people.admin, draft.id)
    assert card_migration.apply(people.admin, live.id, draft.id) >= 1
    moved = deals.service.get_by_id(people.alice, deal.id)
    assert moved.wfm.workflow_id == draft.id
    now = {
        i.branch.name: (i.state, i.is_open)
        for i in reading.get_instances(people.manager, moved.wfm.wfm_project_id)
        if i.branch.workflow_id == draft.id
    }
    assert now == {"Legal review": ("approved", True), "Finance approval": ("pending", True)}
    with pytest.raises(ConditionFailed, match='"Finance approval"'):
        deals.service.move(
            people.alice, deal.id, step_named(definitions.graph(draft.id), "Closed Won").id
        )


def test_a_step_a_branch_holds_back_is_not_removed_under_it(people):
    won = step_named(sales_graph(), "Closed Won")
    with pytest.raises(Conflict, match='Branch "Legal review", "Finance approval" holds back'):
        steps.delete_step(people.admin, won.id)


def test_my_work_lists_the_cards_waiting_on_my_approval(people):
    from wfm_app.engine import my_work
    from wfm_app.engine.branches import decisions

    deal = deal_on_contract_sent(people.alice)
    deal_on_contract_sent(people.alice, "Initech licence")
    names = lambda actor: [c.name for c in my_work.waiting_on_me(actor)]  # noqa: E731
    assert names(people.manager) == ["Acme licence", "Initech licence"]  # Legal review
    assert names(people.admin) == ["Acme licence", "Initech licence"]  # Finance approval
    assert names(people.alice) == []  # members approve nothing here
    decisions.act(
        people.manager, deal.wfm.wfm_project_id, branch_named("Legal review").id, "approve"
    )
    assert names(people.manager) == ["Initech licence"]
    assert names(people.admin) == ["Acme licence", "Initech licence"]


def test_people_are_told_when_an_approval_waits_on_them_and_when_it_is_decided(people):
    for actor, role in ((people.manager, MANAGER), (people.admin, "wfm_admin")):
        sessions.start(actor.user_id, frozenset({role}), org_id=DEFAULT_ORG_ID, id_token=None)
    deal = deal_on_contract_sent(people.alice, name="Initech licence")
    said = {n.message for n in notifications.mine(people.manager)}
    assert said == {'"Initech licence" waits on your approval: Legal review'}
    assert {n.message for n in notifications.mine(people.admin)} == {
        '"Initech licence" waits on your approval: Finance approval'
    }
    assert notifications.mine(people.alice) == []  # the mover is not told
    project = deal.wfm.wfm_project_id
    decisions.act(people.manager, project, branch_named("Legal review").id, "approve")
    assert [n.message for n in notifications.mine(people.manager)] == [
        '"Initech licence": Legal review approved by Max Manager'
    ]
    assert [n.message for n in notifications.mine(people.admin)] == [
        '"Initech licence" waits on your approval: Finance approval'
    ]
