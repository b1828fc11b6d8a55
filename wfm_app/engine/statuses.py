"""Statuses: global, reusable names for workflow steps (spec: wfmStatusService)."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import convert, definitions
from wfm_app.engine.access import require_access, require_definitions_manager
from wfm_app.engine.common import ensure_unique_name, get_or_404, given_changes, touch
from wfm_app.engine.models import Status, Workflow, WorkflowStep
from wfm_app.engine.schemas import StatusCreate, StatusRead, StatusUpdate
from wfm_app.errors import Conflict


def get_all(actor: Actor | None, *, is_archived: bool = False) -> list[StatusRead]:
    require_access(actor)
    with unit_of_work() as uow:
        rows = uow.session.exec(
            select(Status).where(Status.is_archived == is_archived).order_by(col(Status.name))
        ).all()
        return [convert.status_read(row) for row in rows]


def get_by_id(actor: Actor | None, status_id: uuid.UUID) -> StatusRead | None:
    require_access(actor)
    with unit_of_work() as uow:
        row = uow.session.get(Status, status_id)
        return convert.status_read(row) if row else None


def get_by_name(actor: Actor | None, name: str) -> StatusRead | None:
    require_access(actor)
    with unit_of_work() as uow:
        row = uow.session.exec(select(Status).where(Status.name == name)).first()
        return convert.status_read(row) if row else None


def used_by(actor: Actor | None) -> dict[uuid.UUID, list[tuple[uuid.UUID, str]]]:
    """The workflows (id, name) that use each status, by name (statuses in no workflow
    are absent)."""
    require_access(actor)
    with unit_of_work() as uow:
        rows = uow.session.exec(
            select(WorkflowStep.status_id, Workflow.id, Workflow.name)
            .join(Workflow, col(Workflow.id) == col(WorkflowStep.workflow_id))
            .distinct()
            .order_by(col(Workflow.name))
        ).all()
        found: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {}
        for status_id, workflow_id, name in rows:
            found.setdefault(status_id, []).append((workflow_id, name))
        return found


def create(actor: Actor | None, data: StatusCreate) -> StatusRead:
    actor = require_definitions_manager(actor)
    with unit_of_work() as uow:
        ensure_unique_name(uow.session, Status, data.name, "status")
        row = Status(
            name=data.name,
            description=data.description,
            color=data.color,
            created_by_user_id=actor.user_id,
            updated_by_user_id=actor.user_id,
        )
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return convert.status_read(row)


def update(actor: Actor | None, status_id: uuid.UUID, data: StatusUpdate) -> StatusRead:
    actor = require_definitions_manager(actor)
    changes = given_changes(data, clearable={"description", "color"})
    with unit_of_work() as uow:
        row = get_or_404(uow.session, Status, status_id, "Status")
        if "name" in changes:
            ensure_unique_name(uow.session, Status, changes["name"], "status", except_id=row.id)
        for key, value in changes.items():
            setattr(row, key, value)
        touch(row, actor)
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return convert.status_read(row)


def delete(actor: Actor | None, status_id: uuid.UUID) -> None:
    """Delete an unused status. A status used by a step is refused: archive it instead."""
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        row = get_or_404(uow.session, Status, status_id, "Status")
        users = uow.session.exec(
            select(Workflow.name)
            .join(WorkflowStep, col(WorkflowStep.workflow_id) == Workflow.id)
            .where(WorkflowStep.status_id == status_id)
            .order_by(col(Workflow.name))
        ).all()
        if users:
            names = ", ".join(f'"{name}"' for name in users)
            raise Conflict(
                f'Status "{row.name}" is used by a step of {names}; '
                "remove those steps or archive the status instead."
            )
        uow.session.delete(row)
        uow.session.flush()
        definitions.mark_changed(uow)
