"""Workflows: process templates (spec: wfmWorkflowService, core CRUD and validation)."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import convert, definitions, versions
from wfm_app.engine.access import require_access, require_definitions_manager
from wfm_app.engine.calendars import store as calendars
from wfm_app.engine.common import ensure_unique_name, get_or_404, given_changes, touch
from wfm_app.engine.models import Workflow
from wfm_app.engine.schemas import (
    TransitionRead,
    WorkflowCreate,
    WorkflowGraph,
    WorkflowRead,
    WorkflowUpdate,
)
from wfm_app.errors import NotFound


def get_all(actor: Actor | None, *, is_archived: bool = False) -> list[WorkflowRead]:
    require_access(actor)
    with unit_of_work() as uow:
        rows = uow.session.exec(
            select(Workflow).where(Workflow.is_archived == is_archived).order_by(col(Workflow.name))
        ).all()
        return [convert.workflow_read(row) for row in rows]


def get_by_id(actor: Actor | None, workflow_id: uuid.UUID) -> WorkflowGraph | None:
    """The workflow with its ordered steps and transitions, from the definitions cache."""
    require_access(actor)
    try:
        return definitions.graph(workflow_id)
    except NotFound:
        return None


def get_by_name(actor: Actor | None, name: str) -> WorkflowRead | None:
    require_access(actor)
    with unit_of_work() as uow:
        row = uow.session.exec(select(Workflow).where(Workflow.name == name)).first()
        return convert.workflow_read(row) if row else None


def create(actor: Actor | None, data: WorkflowCreate) -> WorkflowRead:
    actor = require_definitions_manager(actor)
    with unit_of_work() as uow:
        ensure_unique_name(uow.session, Workflow, data.name, "workflow")
        row = Workflow(
            name=data.name,
            description=data.description,
            undo_restores_step=data.undo_restores_step,
            calendar_id=calendars.checked_choice(data.calendar_id),
            learned_win_chance=data.learned_win_chance,
            version_state=versions.DRAFT if data.as_draft else versions.LIVE,
            created_by_user_id=actor.user_id,
            updated_by_user_id=actor.user_id,
        )
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return convert.workflow_read(row)


def update(actor: Actor | None, workflow_id: uuid.UUID, data: WorkflowUpdate) -> WorkflowRead:
    actor = require_definitions_manager(actor)
    changes = given_changes(data, clearable={"description", "calendar_id"})
    if "calendar_id" in changes:
        calendars.checked_choice(changes["calendar_id"])
    with unit_of_work() as uow:
        row = get_or_404(uow.session, Workflow, workflow_id, "Workflow")
        if "name" in changes:
            ensure_unique_name(uow.session, Workflow, changes["name"], "workflow", except_id=row.id)
        for key, value in changes.items():
            setattr(row, key, value)
        touch(row, actor)
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return convert.workflow_read(row)


def allowed_transitions(
    actor: Actor | None, workflow_id: uuid.UUID, from_step_id: uuid.UUID
) -> list[TransitionRead]:
    require_access(actor)
    graph = definitions.graph(workflow_id)
    if graph.step(from_step_id) is None:
        raise NotFound(f'Step {from_step_id} is not part of workflow "{graph.workflow.name}".')
    return graph.allowed_from(from_step_id)
