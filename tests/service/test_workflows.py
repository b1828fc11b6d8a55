"""The spec's "Workflow Creation" and "Transition Validation" lists, and every refusal."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from tests.service.helpers import count, sales_graph, step_named
from wfm_app import db
from wfm_app.engine import definitions, statuses, steps, transitions, workflows
from wfm_app.engine.models import WorkflowStep, WorkflowTransition
from wfm_app.engine.schemas import (
    StatusCreate,
    StatusUpdate,
    StepCreate,
    StepUpdate,
    TransitionCreate,
    TransitionUpdate,
    WorkflowCreate,
    WorkflowUpdate,
)
from wfm_app.entities import deals
from wfm_app.errors import Conflict, Forbidden, NotFound, ValidationFailed


@pytest.fixture
def support(people):
    """A three-step workflow: New -> Working -> Done, built through the services."""
    admin = people.admin
    names = ["New", "Working", "Done"]
    status_ids = [
        (statuses.get_by_name(admin, name) or statuses.create(admin, StatusCreate(name=name))).id
        for name in names
    ]
    workflow = workflows.create(admin, WorkflowCreate(name="Support", description="Tickets"))
    made = [
        steps.create_step(
            admin,
            StepCreate(
                workflow_id=workflow.id,
                status_id=status_id,
                is_initial_step=index == 0,
                is_final_step=index == 2,
                metadata={"name": names[index]},
            ),
        )
        for index, status_id in enumerate(status_ids)
    ]
    return workflow, made


def orders(workflow_id: uuid.UUID) -> dict[uuid.UUID, int]:
    with db.get_engine().connect() as conn:
        rows = conn.execute(
            select(WorkflowStep.id, WorkflowStep.step_order).where(
                WorkflowStep.workflow_id == workflow_id
            )
        ).all()
    return dict(rows)


def test_should_create_workflow_with_initial_step(people, support):
    workflow, made = support
    graph = workflows.get_by_id(people.alice, workflow.id)
    assert graph.workflow.name == "Support"
    assert [step.display_name for step in graph.steps] == ["New", "Working", "Done"]
    assert [step.step_order for step in graph.steps] == [1, 2, 3]
    assert graph.initial_step.id == made[0].id
    assert workflows.get_all(people.alice)[0].id == workflow.id


def test_a_step_makes_its_status_when_none_is_picked(people, support):
    workflow, _made = support
    step = steps.create_step(
        people.admin, StepCreate(workflow_id=workflow.id, new_status_name="Waiting on parts")
    )
    assert step.status.name == "Waiting on parts" and step.display_name == "Waiting on parts"
    assert statuses.get_by_name(people.admin, "Waiting on parts") is not None
    with pytest.raises(ValidationFailed) as refused:  # neither a status nor a name
        steps.create_step(people.admin, StepCreate(workflow_id=workflow.id))
    assert "status_id" in refused.value.field_errors
    with pytest.raises(Conflict):  # the name of an existing status: nothing is made
        steps.create_step(
            people.admin, StepCreate(workflow_id=workflow.id, new_status_name="Working")
        )
    assert len(definitions.graph(workflow.id).steps) == 4


def test_should_validate_step_ordering_constraints(people, support):
    workflow, _made = support
    spare = statuses.create(people.admin, StatusCreate(name="Spare"))
    with pytest.raises(Conflict, match='Position 2 in workflow "Support" is taken'):
        steps.create_step(
            people.admin, StepCreate(workflow_id=workflow.id, status_id=spare.id, step_order=2)
        )
    assert count(WorkflowStep) == 3


def test_should_prevent_duplicate_statuses_in_workflow(people, support):
    workflow, made = support
    with pytest.raises(Conflict, match='Status "New" is already a step of workflow "Support"'):
        steps.create_step(
            people.admin, StepCreate(workflow_id=workflow.id, status_id=made[0].status.id)
        )
    with pytest.raises(Conflict):
        steps.update_step(people.admin, made[1].id, StepUpdate(status_id=made[0].status.id))
    assert count(WorkflowStep) == 3


def test_a_workflow_has_one_initial_step(people, support):
    workflow, made = support
    spare = statuses.create(people.admin, StatusCreate(name="Spare"))
    with pytest.raises(Conflict, match='already has an initial step \\("New"\\)'):
        steps.create_step(
            people.admin,
            StepCreate(workflow_id=workflow.id, status_id=spare.id, is_initial_step=True),
        )
    with pytest.raises(Conflict):
        steps.update_step(people.admin, made[2].id, StepUpdate(is_initial_step=True))
    assert definitions.graph(workflow.id).initial_step.id == made[0].id
    # Moving the flag is two edits: clear, then set.
    steps.update_step(people.admin, made[0].id, StepUpdate(is_initial_step=False))
    steps.update_step(people.admin, made[1].id, StepUpdate(is_initial_step=True))
    assert workflows.get_by_id(people.admin, workflow.id).initial_step.id == made[1].id


def test_archived_status_cannot_become_a_step(people, support):
    workflow, _made = support
    spare = statuses.create(people.admin, StatusCreate(name="Spare"))
    statuses.update(people.admin, spare.id, StatusUpdate(is_archived=True))
    with pytest.raises(ValidationFailed, match="archived"):
        steps.create_step(people.admin, StepCreate(workflow_id=workflow.id, status_id=spare.id))


def test_step_metadata_is_validated(people, support):
    _workflow, made = support
    with pytest.raises(ValidationFailed) as error:
        steps.update_step(
            people.admin,
            made[1].id,
            StepUpdate(metadata={"deal_probability": 140, "outcome_type": "MAYBE", "x": 1}),
        )
    assert set(error.value.field_errors) == {"metadata.deal_probability", "metadata.outcome_type"}
    updated = steps.update_step(
        people.admin,
        made[1].id,
        StepUpdate(metadata={"name": "In progress", "deal_probability": 40, "custom": [1]}),
    )
    assert updated.display_name == "In progress"
    assert updated.metadata["custom"] == [1]


def test_reorder_is_atomic_and_complete(people, support):
    workflow, made = support
    before = orders(workflow.id)
    a, b, c = (step.id for step in made)
    bad_orders = {
        "missing": [c, a],
        "repeated": [c, a, a],
        "foreign": [c, a, uuid.uuid4()],
    }
    for _label, ordered in bad_orders.items():
        with pytest.raises(ValidationFailed):
            steps.update_steps_order(people.admin, workflow.id, ordered)
        assert orders(workflow.id) == before
    graph = steps.update_steps_order(people.admin, workflow.id, [c, a, b])
    assert [step.id for step in graph.steps] == [c, a, b]
    assert orders(workflow.id) == {c: 1, a: 2, b: 3}
    assert all(order > 0 for order in orders(workflow.id).values())


def test_reorder_refuses_a_step_of_another_workflow(seeded, support):
    workflow, made = support
    foreign = sales_graph().steps[0].id
    with pytest.raises(ValidationFailed, match='is not part of workflow "Support"'):
        steps.update_steps_order(seeded.admin, workflow.id, [made[0].id, made[1].id, foreign])


def test_transitions_are_checked(people, support):
    workflow, made = support
    new, working, done = made
    created = transitions.create_transition(
        people.admin,
        TransitionCreate(
            workflow_id=workflow.id, from_step_id=new.id, to_step_id=working.id, name="Start"
        ),
    )
    with pytest.raises(Conflict, match='already has a transition from "New" to "Working"'):
        transitions.create_transition(
            people.admin,
            TransitionCreate(workflow_id=workflow.id, from_step_id=new.id, to_step_id=working.id),
        )
    with pytest.raises(ValidationFailed, match="another step"):
        transitions.create_transition(
            people.admin,
            TransitionCreate(workflow_id=workflow.id, from_step_id=new.id, to_step_id=new.id),
        )
    with pytest.raises(NotFound):
        transitions.create_transition(
            people.admin,
            TransitionCreate(workflow_id=workflow.id, from_step_id=new.id, to_step_id=uuid.uuid4()),
        )
    assert count(WorkflowTransition) == 1

    renamed = transitions.update_transition(people.admin, created.id, TransitionUpdate(name="Go"))
    assert renamed.name == "Go"

    def allowed(from_step):
        return [
            t.to_step_id
            for t in workflows.allowed_transitions(people.alice, workflow.id, from_step.id)
        ]

    assert allowed(new) == [working.id] and allowed(working) == allowed(done) == []
    transitions.delete_transition(people.admin, created.id)
    assert allowed(new) == []


def test_a_transition_cannot_cross_workflows(seeded, support):
    workflow, made = support
    sales_step = sales_graph().steps[0]
    with pytest.raises(ValidationFailed, match="belongs to another workflow"):
        transitions.create_transition(
            seeded.admin,
            TransitionCreate(
                workflow_id=workflow.id, from_step_id=made[0].id, to_step_id=sales_step.id
            ),
        )
    assert workflows.get_by_id(seeded.admin, workflow.id).transitions == ()


def test_removing_a_step_with_projects_on_it_is_refused(seeded):
    graph = sales_graph()
    first = graph.initial_step
    deals.service.create(seeded.alice, deals.DealCreate(name="Big one"))
    with pytest.raises(Conflict, match='1 project is at step "Prospecting"'):
        steps.delete_step(seeded.admin, first.id)
    assert sales_graph() == graph

    negotiation = step_named(graph, "Negotiation")
    touching = [t for t in graph.transitions if negotiation.id in (t.from_step_id, t.to_step_id)]
    assert touching
    steps.delete_step(seeded.admin, negotiation.id)
    after = sales_graph()
    assert after.step(negotiation.id) is None
    assert len(after.transitions) == len(graph.transitions) - len(touching)


def test_definitions_cache_sees_commits_and_ignores_rollbacks(people, support):
    workflow, made = support
    before = definitions.graph(workflow.id)
    with pytest.raises(RuntimeError), db.unit_of_work():
        steps.update_step(people.admin, made[1].id, StepUpdate(metadata={"name": "Doomed"}))
        raise RuntimeError("abandon the transaction")
    assert definitions.graph(workflow.id) == before
    workflows.update(people.admin, workflow.id, WorkflowUpdate(name="Helpdesk"))
    assert definitions.graph(workflow.id).workflow.name == "Helpdesk"


def test_workflow_names_are_unique_and_archivable(people, support):
    workflow, _made = support
    with pytest.raises(Conflict):
        workflows.create(people.admin, WorkflowCreate(name="support"))
    workflows.update(people.admin, workflow.id, WorkflowUpdate(is_archived=True))
    assert workflows.get_all(people.admin) == []
    assert workflows.get_all(people.admin, is_archived=True)[0].name == "Support"


def test_only_definition_managers_may_change_workflows(people, support):
    workflow, made = support

    def attempts(actor):
        return [
            lambda: workflows.create(actor, WorkflowCreate(name="Mine")),
            lambda: workflows.update(actor, workflow.id, WorkflowUpdate(name="Mine")),
            lambda: steps.create_step(
                actor, StepCreate(workflow_id=workflow.id, status_id=made[0].status.id)
            ),
            lambda: steps.update_step(actor, made[0].id, StepUpdate(is_final_step=True)),
            lambda: steps.delete_step(actor, made[2].id),
            lambda: steps.update_steps_order(actor, workflow.id, [s.id for s in made][::-1]),
            lambda: transitions.create_transition(
                actor,
                TransitionCreate(
                    workflow_id=workflow.id, from_step_id=made[0].id, to_step_id=made[1].id
                ),
            ),
        ]

    for actor in (people.manager, people.bob):
        for attempt in attempts(actor):
            with pytest.raises(Forbidden):
                attempt()
    graph = definitions.graph(workflow.id)
    assert graph.transitions == ()
    assert [s.display_name for s in graph.steps] == ["New", "Working", "Done"]


def test_step_and_transition_reads(people, support):
    workflow, made = support
    made_transition = transitions.create_transition(
        people.admin,
        TransitionCreate(workflow_id=workflow.id, from_step_id=made[0].id, to_step_id=made[1].id),
    )
    graph = workflows.get_by_id(people.alice, workflow.id)
    assert [s.id for s in graph.steps] == [s.id for s in made]
    assert graph.step(made[1].id).display_name == "Working"
    assert graph.step(uuid.uuid4()) is None
    assert list(graph.transitions) == [made_transition]
    assert workflows.get_by_id(people.alice, uuid.uuid4()) is None
