"""Workflow steps: statuses placed in a workflow, in order (spec: step management)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, registry, statuses, step_loads, step_settings
from wfm_app.engine.access import require_definitions_manager
from wfm_app.engine.calendars import store as calendars
from wfm_app.engine.common import get_or_404
from wfm_app.engine.models import Status, WfmProject, Workflow, WorkflowStep
from wfm_app.engine.schemas import (
    StatusCreate,
    StepCreate,
    StepRead,
    StepUpdate,
    WorkflowGraph,
)
from wfm_app.errors import Conflict, ValidationFailed
from wfm_app.sqltypes import utc_now

# Number keys every workflow's steps may carry besides the WIP limit, whatever rides on
# it: the rotting and SLA time limits (the editor gives each its own input).
TIME_LIMIT_KEYS = tuple(k for k in step_settings.NUMBERS if k.key != step_settings.WIP_LIMIT)


def metadata_keys(workflow_id: uuid.UUID) -> dict[str, registry.MetadataKey]:
    """The number keys the editor gives inputs: those the entity kinds riding on this
    workflow read (all kinds' keys for a workflow no project type uses yet) and the time
    limits."""
    kinds = definitions.kinds_on(workflow_id)
    keys = {key.key: key for kind in kinds for key in kind.metadata_keys}
    return keys | {key.key: key for key in TIME_LIMIT_KEYS}


def validate_metadata(
    metadata: dict[str, Any] | None, workflow_id: uuid.UUID
) -> dict[str, Any] | None:
    """Check the engine's keys (engine/step_settings.py) and those the entity kinds on this
    workflow declare; other keys pass through."""
    if metadata is None:
        return None
    kinds = definitions.kinds_on(workflow_id)
    errors = step_settings.problems(
        metadata, {key.key: key for kind in kinds for key in kind.metadata_keys}
    )
    if errors:
        raise ValidationFailed("The step metadata is invalid. " + " ".join(errors.values()), errors)
    calendars.check_step_choice(metadata)
    return metadata


def _ensure_single_initial(
    session: Session, workflow: Workflow, *, except_step_id: uuid.UUID | None = None
) -> None:
    query = (
        select(WorkflowStep.id, Status.name)
        .join(Status, col(Status.id) == WorkflowStep.status_id)
        .where(WorkflowStep.workflow_id == workflow.id, col(WorkflowStep.is_initial_step).is_(True))
    )
    if except_step_id is not None:
        query = query.where(WorkflowStep.id != except_step_id)
    existing = session.exec(query).first()
    if existing is not None:
        raise Conflict(
            f'Workflow "{workflow.name}" already has an initial step ("{existing[1]}"); '
            "a workflow has exactly one."
        )


def _ensure_status_free(
    session: Session, workflow: Workflow, status: Status, *, except_step_id: uuid.UUID | None = None
) -> None:
    query = select(WorkflowStep.id).where(
        WorkflowStep.workflow_id == workflow.id, WorkflowStep.status_id == status.id
    )
    if except_step_id is not None:
        query = query.where(WorkflowStep.id != except_step_id)
    if session.exec(query).first() is not None:
        raise Conflict(f'Status "{status.name}" is already a step of workflow "{workflow.name}".')


def _usable_status(session: Session, status_id: uuid.UUID) -> Status:
    status = get_or_404(session, Status, status_id, "Status")
    if status.is_archived:
        raise ValidationFailed(
            f'Status "{status.name}" is archived; restore it before adding it to a workflow.',
            {"status_id": "This status is archived."},
        )
    return status


def create_step(actor: Actor | None, data: StepCreate) -> StepRead:
    actor = require_definitions_manager(actor)
    metadata = validate_metadata(data.metadata, data.workflow_id)
    with unit_of_work() as uow:
        session = uow.session
        workflow = get_or_404(session, Workflow, data.workflow_id, "Workflow")
        if data.status_id is not None:
            status = _usable_status(session, data.status_id)
        elif data.new_status_name:  # "Add step" makes its status on the spot
            made = statuses.create(actor, StatusCreate(name=data.new_status_name))
            status = get_or_404(session, Status, made.id, "Status")
        else:
            message = "Pick a status, or name the step to make a new status."
            raise ValidationFailed(message, {"status_id": message})
        _ensure_status_free(session, workflow, status)
        if data.is_initial_step:
            _ensure_single_initial(session, workflow)
        step_order = data.step_order
        if step_order is None:
            highest = session.exec(
                select(func.max(WorkflowStep.step_order)).where(
                    WorkflowStep.workflow_id == workflow.id
                )
            ).one()
            step_order = (highest or 0) + 1
        elif session.exec(
            select(WorkflowStep.id).where(
                WorkflowStep.workflow_id == workflow.id, WorkflowStep.step_order == step_order
            )
        ).first():
            raise Conflict(f'Position {step_order} in workflow "{workflow.name}" is taken.')
        row = WorkflowStep(
            workflow_id=workflow.id,
            status_id=status.id,
            step_order=step_order,
            is_initial_step=data.is_initial_step,
            is_final_step=data.is_final_step,
            step_metadata=metadata,
        )
        session.add(row)
        session.flush()
        if step_settings.wip_limit_in(metadata) is not None:
            step_loads.start(session, [row.id], new=True)
        definitions.mark_changed(uow)
        return definitions.graph(workflow.id).known_step(row.id)


def update_step(actor: Actor | None, step_id: uuid.UUID, data: StepUpdate) -> StepRead:
    actor = require_definitions_manager(actor)
    given = data.model_fields_set
    with unit_of_work() as uow:
        session = uow.session
        row = get_or_404(session, WorkflowStep, step_id, "Step")
        workflow = get_or_404(session, Workflow, row.workflow_id, "Workflow")
        if "status_id" in given and data.status_id is not None and data.status_id != row.status_id:
            status = _usable_status(session, data.status_id)
            _ensure_status_free(session, workflow, status, except_step_id=row.id)
            row.status_id = status.id
        if "is_initial_step" in given and data.is_initial_step is not None:
            if data.is_initial_step:
                _ensure_single_initial(session, workflow, except_step_id=row.id)
            row.is_initial_step = data.is_initial_step
        if "is_final_step" in given and data.is_final_step is not None:
            row.is_final_step = data.is_final_step
        had_limit = step_settings.wip_limit_in(row.step_metadata) is not None
        if "metadata" in given:
            row.step_metadata = validate_metadata(data.metadata, row.workflow_id)
        row.updated_at = utc_now()
        session.add(row)
        session.flush()
        has_limit = step_settings.wip_limit_in(row.step_metadata) is not None
        if has_limit and not had_limit:
            step_loads.start(session, [row.id])
        elif had_limit and not has_limit:
            step_loads.stop(session, [row.id])
        definitions.mark_changed(uow)
        return definitions.graph(workflow.id).known_step(row.id)


def delete_step(actor: Actor | None, step_id: uuid.UUID) -> None:
    """Remove a step and its transitions. Refused while any project sits on it."""
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        session = uow.session
        row = get_or_404(session, WorkflowStep, step_id, "Step")
        waiting = session.exec(
            select(func.count())
            .select_from(WfmProject)
            .where(WfmProject.current_step_id == step_id)
        ).one()
        if waiting:
            name = definitions.graph(row.workflow_id).known_step(row.id).display_name
            noun = "project is" if waiting == 1 else "projects are"
            raise Conflict(
                f'{waiting} {noun} at step "{name}"; move them to another step before removing it.'
            )
        graph = definitions.graph(row.workflow_id)
        holding = [b for b in graph.branches if b.to_step_ids and row.id in b.to_step_ids]
        if holding:  # it would silently stop holding anything back
            names = ", ".join(f'"{b.name}"' for b in holding)
            raise Conflict(
                f"Branch {names} holds back moves to this step; change or remove it first."
            )
        session.delete(row)
        session.flush()
        definitions.mark_changed(uow)


def update_steps_order(
    actor: Actor | None, workflow_id: uuid.UUID, ordered_step_ids: list[uuid.UUID]
) -> WorkflowGraph:
    """Renumber every step of a workflow in the given order, all or nothing."""
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        session = uow.session
        workflow = get_or_404(session, Workflow, workflow_id, "Workflow")
        current = set(
            session.exec(
                select(WorkflowStep.id).where(WorkflowStep.workflow_id == workflow_id)
            ).all()
        )
        seen: set[uuid.UUID] = set()
        for step_id in ordered_step_ids:
            if step_id in seen:
                raise ValidationFailed(f"Step {step_id} appears more than once in the new order.")
            if step_id not in current:
                raise ValidationFailed(f'Step {step_id} is not part of workflow "{workflow.name}".')
            seen.add(step_id)
        missing = current - seen
        if missing:
            raise ValidationFailed(
                f"The new order must list every step of the workflow; {len(missing)} missing."
            )
        # Two passes inside one transaction keep uq_workflow_order satisfied at every
        # statement; a failure rolls both back, so no negative order is ever left behind.
        for passes in (-1, 1):
            for position, step_id in enumerate(ordered_step_ids, start=1):
                session.execute(
                    update(WorkflowStep)
                    .where(col(WorkflowStep.id) == step_id)
                    .values(step_order=passes * position, updated_at=utc_now())
                )
        definitions.mark_changed(uow)
        return definitions.graph(workflow_id)
