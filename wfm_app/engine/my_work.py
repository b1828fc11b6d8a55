"""The home page's "My work": the viewer's open cards on every board, the longest
waiting in their step first, with what is rotting or past its SLA marked; and the cards
waiting on the viewer's approval."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import access, definitions, ownership
from wfm_app.engine.access import require_permission
from wfm_app.engine.automation import timers
from wfm_app.engine.branches import reading as branch_reading
from wfm_app.engine.models import WfmProject, Workflow, WorkflowStep
from wfm_app.sqltypes import table_of, utc_now

LIMIT = 50

_projects = table_of(WfmProject)
_steps = table_of(WorkflowStep)
_workflows = table_of(Workflow)


@dataclass(frozen=True)
class OpenCard:
    entity_type: str
    entity_id: uuid.UUID
    name: str
    workflow_id: uuid.UUID
    step_id: uuid.UUID
    step_name: str
    step_entered_at: datetime
    overdue: str  # "Rotting · 16 days", "SLA breached · 30 h" or ""


def open_cards(actor: Actor | None, limit: int = LIMIT) -> tuple[list[OpenCard], int]:
    """The viewer's own open cards (not on a final step), oldest in their step first, at
    most ``limit``; and how many they have in all."""
    viewer = require_permission(actor, READ_PROJECTS, "see your work")
    owned = ownership.owned_projects(viewer.user_id)
    if owned is None:
        return [], 0
    owned = owned.subquery("owned")
    mine = (
        select(
            owned.c.entity_type,
            owned.c.entity_id,
            owned.c.entity_name,
            _projects.c.workflow_id,
            _projects.c.current_step_id,
            _projects.c.step_entered_at,
        )
        .join(_projects, _projects.c.id == owned.c.project_id)
        .join(_steps, _steps.c.id == _projects.c.current_step_id)
        .where(_steps.c.is_final_step.is_(False), _projects.c.is_active.is_(True))
    )
    now = utc_now()
    with unit_of_work() as uow:
        rows = uow.session.execute(
            mine.order_by(_projects.c.step_entered_at, owned.c.entity_id).limit(limit)
        ).all()
        total = len(rows)
        if total == limit:  # more than shown: count them all
            count = select(func.count()).select_from(mine.subquery())
            total = int(uow.session.execute(count).scalar_one())
    return [_open_card(row, now) for row in rows], total


def _open_card(row: Any, now: datetime) -> OpenCard:
    step = definitions.graph(row.workflow_id).step(row.current_step_id)
    return OpenCard(
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        name=row.entity_name,
        workflow_id=row.workflow_id,
        step_id=row.current_step_id,
        step_name=step.display_name if step else "",
        step_entered_at=row.step_entered_at,
        overdue=timers.overdue_label(step, row.step_entered_at, now),
    )


def waiting_on_me(actor: Actor | None, limit: int = LIMIT) -> list[OpenCard]:
    """Cards of any kind with an open approval the viewer may give (a branch of their
    step allows one of their roles), among those they may see; the longest waiting
    first."""
    viewer = require_permission(actor, READ_PROJECTS, "see your work")
    every = ownership.owned_projects(None)
    if every is None:
        return []
    every = every.subquery("every")
    with unit_of_work() as uow:
        workflow_ids = list(uow.session.execute(select(_workflows.c.id)).scalars())
    waiting = branch_reading.waiting_on(viewer, workflow_ids)
    query = (
        select(
            every.c.entity_type,
            every.c.entity_id,
            every.c.entity_name,
            _projects.c.workflow_id,
            _projects.c.current_step_id,
            _projects.c.step_entered_at,
        )
        .join(_projects, _projects.c.id == every.c.project_id)
        .where(waiting, _projects.c.is_active.is_(True))
    )
    if not access.sees_everyones(viewer):
        if viewer.user_id is None:
            return []
        query = query.where(ownership.owned_by(viewer.user_id, _projects.c.id))
    now = utc_now()
    with unit_of_work() as uow:
        rows = uow.session.execute(
            query.order_by(_projects.c.step_entered_at, every.c.entity_id).limit(limit)
        ).all()
    return [_open_card(row, now) for row in rows]
