"""Issue 15 (part): workflow versions. A draft is edited while the live version serves
moves; publishing runs the lint (errors block, warnings must be accepted); new cards start
on the published version, cards already in flight stay on theirs until migrated."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.service.helpers import sales_graph, step_named
from wfm_app.engine import (
    card_migration,
    definitions,
    project_types,
    statuses,
    steps,
    transitions,
    versions,
    workflows,
)
from wfm_app.engine.schemas import (
    ProjectTypeCreate,
    StatusCreate,
    StepCreate,
    StepUpdate,
    TransitionCreate,
    WorkflowCreate,
)
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import Conflict, Forbidden, ValidationFailed


def _add_demo_step(admin, draft_id, *, with_way_out: bool) -> None:
    """ "Demo Booked" after Qualification in the draft (a dead end unless ``with_way_out``)."""
    graph = definitions.graph(draft_id)
    status = statuses.create(admin, StatusCreate(name="Demo Booked"))
    demo = steps.create_step(admin, StepCreate(workflow_id=draft_id, status_id=status.id))
    qualification = step_named(graph, "Qualification")
    transitions.create_transition(
        admin,
        TransitionCreate(workflow_id=draft_id, from_step_id=qualification.id, to_step_id=demo.id),
    )
    if with_way_out:
        proposal = step_named(graph, "Proposal")
        transitions.create_transition(
            admin,
            TransitionCreate(workflow_id=draft_id, from_step_id=demo.id, to_step_id=proposal.id),
        )


def test_a_draft_is_edited_while_the_live_version_serves_moves(seeded):
    live = sales_graph()
    deal = deals.service.create(seeded.alice, DealCreate(name="In flight", amount=Decimal(10)))
    draft = versions.create_draft(seeded.admin, live.id)
    assert (draft.name, draft.version, draft.state, draft.cards) == (
        "Standard Sales Process (draft v2)",
        2,
        "draft",
        0,
    )
    copied = definitions.graph(draft.id)
    assert len(copied.steps) == len(live.steps) and len(copied.transitions) == len(live.transitions)
    _add_demo_step(seeded.admin, draft.id, with_way_out=True)
    assert len(sales_graph().steps) == 7  # the live version is untouched
    moved = deals.service.move(seeded.alice, deal.id, step_named(live, "Qualification").id)
    assert moved.wfm.workflow_id == live.id
    with pytest.raises(Conflict):
        versions.create_draft(seeded.admin, live.id)
    with pytest.raises(Forbidden):
        versions.create_draft(seeded.manager, live.id)


def test_lint_errors_block_publishing(seeded):
    draft = versions.create_draft(seeded.admin, sales_graph().id)
    _add_demo_step(seeded.admin, draft.id, with_way_out=False)
    with pytest.raises(ValidationFailed) as blocked:
        versions.publish(seeded.admin, draft.id)
    assert (
        "Publishing is blocked" in blocked.value.message and "Demo Booked" in blocked.value.message
    )
    assert sales_graph().workflow.name == "Standard Sales Process"  # nothing changed


def test_publishing_switches_new_cards_and_cards_in_flight_migrate_later(seeded):
    live = sales_graph()
    old = deals.service.create(seeded.alice, DealCreate(name="Old one", amount=Decimal(10)))
    draft = versions.create_draft(seeded.admin, live.id)
    _add_demo_step(seeded.admin, draft.id, with_way_out=True)
    proposal = step_named(definitions.graph(draft.id), "Proposal")
    named = {**proposal.metadata, "name": "Offer"}
    steps.update_step(seeded.admin, proposal.id, StepUpdate(metadata=named))
    # what publishing changes, said before it is done (the editor's "Publish this draft?")
    assert versions.check(seeded.admin, draft.id).changes == [
        'Step "Demo Booked" added.',
        'Step "Proposal" renamed "Offer".',
        'Transition "Qualification → Demo Booked" added.',
        'Transition "Demo Booked → Offer" added.',
        "1 card stays on the current version until you migrate it (Migrate cards).",
    ]
    version, found = versions.publish(seeded.admin, draft.id)
    assert (version.name, version.state, found.errors) == ("Standard Sales Process", "live", [])
    new = deals.service.create(seeded.alice, DealCreate(name="New one", amount=Decimal(10)))
    assert new.wfm.workflow_id == draft.id and old.wfm.workflow_id == live.id
    family = versions.get_all(seeded.alice, draft.id)
    assert [(v.name, v.state, v.cards) for v in family] == [
        ("Standard Sales Process (v1)", "superseded", 1),
        ("Standard Sales Process", "live", 1),
    ]
    assert card_migration.apply(seeded.admin, live.id, draft.id) == 1
    assert deals.service.get_by_id(seeded.alice, old.id).wfm.workflow_id == draft.id


def test_a_warning_must_be_accepted(seeded):
    live = sales_graph()
    deals.service.create(seeded.alice, DealCreate(name="On prospecting", amount=Decimal(1)))
    draft = versions.create_draft(seeded.admin, live.id)
    graph = definitions.graph(draft.id)
    # the draft starts on Qualification and drops Prospecting, where a card is
    steps.update_step(
        seeded.admin, step_named(graph, "Prospecting").id, StepUpdate(is_initial_step=False)
    )
    steps.update_step(
        seeded.admin, step_named(graph, "Qualification").id, StepUpdate(is_initial_step=True)
    )
    steps.delete_step(seeded.admin, step_named(graph, "Prospecting").id)
    with pytest.raises(ValidationFailed) as asked:
        versions.publish(seeded.admin, draft.id)
    assert "accept_warnings" in asked.value.field_errors and "Prospecting" in asked.value.message
    version, found = versions.publish(seeded.admin, draft.id, accept_warnings=True)
    assert version.state == "live" and len(found.warnings) == 1


def _graphql(actor, document: str, **variables):
    from tests import harness
    from wfm_app.api.graphql.context import Context
    from wfm_app.api.graphql.schema import schema

    context = Context(actor=actor)
    return harness.run_async(
        schema.execute(document, variable_values=variables, context_value=context)
    )


def test_over_graphql(seeded):
    live = sales_graph()
    draft = _graphql(
        seeded.admin,
        "mutation($w: ID!) { createWFMWorkflowDraft(workflowId: $w) { id version state } }",
        w=str(live.id),
    ).data["createWFMWorkflowDraft"]
    assert (draft["version"], draft["state"]) == (2, "draft")
    refused = _graphql(
        seeded.manager,
        "mutation($d: ID!) { publishWFMWorkflow(id: $d) { warnings } }",
        d=draft["id"],
    )
    assert refused.errors[0].extensions["code"] == "FORBIDDEN"
    published = _graphql(
        seeded.admin,
        "mutation($d: ID!) { publishWFMWorkflow(id: $d) { version { name state } warnings } }",
        d=draft["id"],
    ).data["publishWFMWorkflow"]
    assert published == {
        "version": {"name": "Standard Sales Process", "state": "live"},
        "warnings": [],
    }
    listed = _graphql(
        seeded.alice,
        "query($w: ID!) { wfmWorkflowVersions(workflowId: $w) { version state cards } }",
        w=str(live.id),
    ).data["wfmWorkflowVersions"]
    assert [(v["version"], v["state"]) for v in listed] == [(1, "superseded"), (2, "live")]
    every = _graphql(seeded.alice, "{ wfmWorkflows { name version versionState } }").data
    assert {"name": "Standard Sales Process", "version": 2, "versionState": "live"} in every[
        "wfmWorkflows"
    ]


def test_the_live_board_hears_of_cards_on_older_versions_the_viewer_may_see(seeded):
    live = sales_graph()
    deals.service.create(seeded.alice, DealCreate(name="Alice's", amount=Decimal(1)))
    deals.service.create(seeded.bob, DealCreate(name="Bob's", amount=Decimal(1)))
    draft = versions.create_draft(seeded.admin, live.id)
    versions.publish(seeded.admin, draft.id)
    old_name = "Standard Sales Process (v1)"
    assert versions.older_cards(seeded.manager, draft.id) == [(old_name, 2)]
    assert versions.older_cards(seeded.alice, draft.id) == [(old_name, 1)]
    assert versions.older_cards(seeded.alice, live.id) == []  # not the live version


def test_the_live_board_shows_older_versions_cards_in_its_columns_and_moves_them(seeded):
    live = sales_graph()
    old = deals.service.create(seeded.alice, DealCreate(name="Old card", amount=Decimal(7)))
    draft = versions.create_draft(seeded.admin, live.id)
    versions.publish(seeded.admin, draft.id)
    new = definitions.graph(draft.id)
    for actor in (seeded.alice, seeded.manager):  # one owner's plan and everyone's
        board = deals.service.board(actor, workflow_id=new.id)
        prospecting = next(
            c for c in board.columns if c.step.id == step_named(new, "Prospecting").id
        )
        assert [card.name for card in prospecting.cards] == ["Old card"]
        assert (prospecting.count, prospecting.total_amount) == (1, Decimal(7))
    page = deals.service.column_page(
        seeded.alice, new.id, step_named(new, "Prospecting").id, offset=0, limit=5
    )
    assert [card.name for card in page] == ["Old card"]
    # moved from the new board: its own version's steps with the same status are meant
    moved = deals.service.move(
        seeded.alice,
        old.id,
        step_named(new, "Qualification").id,
        expected_step_id=step_named(new, "Prospecting").id,
    )
    assert moved.wfm.workflow_id == live.id
    assert moved.wfm.step.id == step_named(live, "Qualification").id


def test_a_new_workflow_can_start_as_a_draft_and_go_live_when_published(seeded):
    """The admin pages start a workflow as a draft (issue 33.10): no card starts on it, and
    its first publish lists everything as added and supersedes nothing."""
    made = workflows.create(seeded.admin, WorkflowCreate(name="Onboarding", as_draft=True))
    assert (made.version_state, made.name) == ("draft", "Onboarding")
    intake = statuses.create(seeded.admin, StatusCreate(name="Intake"))
    done = statuses.create(seeded.admin, StatusCreate(name="Done"))
    first = steps.create_step(
        seeded.admin, StepCreate(workflow_id=made.id, status_id=intake.id, is_initial_step=True)
    )
    last = steps.create_step(
        seeded.admin, StepCreate(workflow_id=made.id, status_id=done.id, is_final_step=True)
    )
    transitions.create_transition(
        seeded.admin,
        TransitionCreate(workflow_id=made.id, from_step_id=first.id, to_step_id=last.id),
    )
    kind = project_types.create(
        seeded.admin, ProjectTypeCreate(name="Onboarding deal", default_workflow_id=made.id)
    )
    refused = DealCreate(name="Too early", amount=Decimal(5), wfm_project_type_id=kind.id)
    with pytest.raises(ValidationFailed, match="is a draft; publish it"):
        deals.service.create(seeded.alice, refused)

    assert versions.check(seeded.admin, made.id).changes == [
        'Step "Intake" added.',
        'Step "Done" added.',
        'Transition "Intake → Done" added.',
    ]
    published, _lint = versions.publish(seeded.admin, made.id)
    assert (published.id, published.name, published.state) == (made.id, "Onboarding", "live")
    assert [v.state for v in versions.get_all(seeded.admin, made.id)] == ["live"]
    deal = deals.service.create(seeded.alice, refused.model_copy(update={"name": "On time"}))
    assert deal.wfm.workflow_id == made.id
    # the API's createWFMWorkflow (PipeCD's contract) stays live at once
    assert workflows.create(seeded.admin, WorkflowCreate(name="Live now")).version_state == "live"
