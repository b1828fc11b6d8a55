"""Workflow transitions: the moves a workflow allows (spec: transition management)."""

from __future__ import annotations

import uuid

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import convert, definitions, rules
from wfm_app.engine.access import require_definitions_manager
from wfm_app.engine.common import get_or_404
from wfm_app.engine.models import Workflow, WorkflowStep, WorkflowTransition
from wfm_app.engine.schemas import TransitionCreate, TransitionRead, TransitionUpdate
from wfm_app.errors import Conflict, ValidationFailed
from wfm_app.sqltypes import utc_now


def create_transition(actor: Actor | None, data: TransitionCreate) -> TransitionRead:
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        session = uow.session
        workflow = get_or_404(session, Workflow, data.workflow_id, "Workflow")
        graph = definitions.graph(workflow.id)
        ends = {"from_step_id": data.from_step_id, "to_step_id": data.to_step_id}
        for field_name, step_id in ends.items():
            if graph.step(step_id) is None:
                get_or_404(session, WorkflowStep, step_id, "Step")
                raise ValidationFailed(
                    f'Step {step_id} belongs to another workflow, not "{workflow.name}"; '
                    "a transition joins two steps of the same workflow.",
                    {field_name: "Pick a step of this workflow."},
                )
        source, target = graph.step(data.from_step_id), graph.step(data.to_step_id)
        assert source is not None and target is not None
        if source.id == target.id:
            raise ValidationFailed(
                f'A transition must lead to another step, not back to "{source.display_name}".',
                {"to_step_id": "Pick a different step."},
            )
        if graph.transition(source.id, target.id) is not None:
            raise Conflict(
                f'"{workflow.name}" already has a transition from "{source.display_name}" '
                f'to "{target.display_name}".'
            )
        row = WorkflowTransition(
            workflow_id=workflow.id,
            from_step_id=source.id,
            to_step_id=target.id,
            name=data.name,
            conditions=rules.validate_conditions(workflow.id, data.conditions),
        )
        session.add(row)
        session.flush()
        definitions.mark_changed(uow)
        return convert.transition_read(row)


def update_transition(
    actor: Actor | None, transition_id: uuid.UUID, data: TransitionUpdate
) -> TransitionRead:
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        row = get_or_404(uow.session, WorkflowTransition, transition_id, "Transition")
        given = data.model_fields_set
        if "name" in given or not given:
            row.name = data.name
        if "conditions" in given:
            row.conditions = rules.validate_conditions(row.workflow_id, data.conditions)
        row.updated_at = utc_now()
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return convert.transition_read(row)


def delete_transition(actor: Actor | None, transition_id: uuid.UUID) -> None:
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        row = get_or_404(uow.session, WorkflowTransition, transition_id, "Transition")
        uow.session.delete(row)
        uow.session.flush()
        definitions.mark_changed(uow)
