"""Where an edit of a workflow's shape goes. Steps added, removed or reordered and
transitions added or deleted on the live version reshape every card's board at once, so
the editor takes such an edit of a live version that has cards to the family's draft
(opened, or copied now) unless the admin chooses to change the live version there and
then. Settings (a step's name, probability, WIP limit, conditions, rules, branches) apply
in place. The spec's GraphQL operations keep editing the version they name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, rules, versions
from wfm_app.engine.access import require_definitions_manager
from wfm_app.engine.common import get_or_404
from wfm_app.engine.errors import Conflict
from wfm_app.engine.models import Workflow, WorkflowStep, WorkflowTransition


@dataclass(frozen=True)
class LiveLoad:
    """Cards on a live version, and the steps they are on (empty for a draft, an older
    version or a workflow without cards: edits there apply in place)."""

    cards: int
    busy_steps: frozenset[uuid.UUID]


@dataclass(frozen=True)
class DraftTarget:
    """The draft an edit of the live version goes to, and where the live version's steps
    and transitions are in it (the same status; the same pair of statuses)."""

    draft_id: uuid.UUID
    draft_name: str
    created: bool
    steps: dict[uuid.UUID, uuid.UUID]
    transitions: dict[uuid.UUID, uuid.UUID]


def live_load(actor: Actor | None, workflow_id: uuid.UUID) -> LiveLoad:
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        row = get_or_404(uow.session, Workflow, workflow_id, "Workflow")
        if row.version_state != versions.LIVE:
            return LiveLoad(0, frozenset())
        per_step = rules.cards_per_step(uow.session, workflow_id, active_only=False)
        return LiveLoad(sum(per_step.values()), frozenset(per_step))


def _by_status(session: Session, workflow_id: uuid.UUID) -> dict[uuid.UUID, uuid.UUID]:
    rows = session.execute(
        select(col(WorkflowStep.id), col(WorkflowStep.status_id)).where(
            col(WorkflowStep.workflow_id) == workflow_id
        )
    ).all()
    return {step: status for step, status in rows}


def _by_statuses(
    session: Session, workflow_id: uuid.UUID, status_of: dict[uuid.UUID, uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID]:
    rows = session.execute(
        select(
            col(WorkflowTransition.id),
            col(WorkflowTransition.from_step_id),
            col(WorkflowTransition.to_step_id),
        ).where(col(WorkflowTransition.workflow_id) == workflow_id)
    ).all()
    return {(status_of[a], status_of[b]): t for t, a, b in rows}


def draft_for_edit(actor: Actor | None, workflow_id: uuid.UUID) -> DraftTarget:
    """The live version's draft (copied now when there is none) and the map onto it."""
    actor = require_definitions_manager(actor)
    with unit_of_work() as uow:
        session = uow.session
        row = get_or_404(session, Workflow, workflow_id, "Workflow")
        if row.version_state != versions.LIVE:
            raise Conflict(f'"{row.name}" is not the live version; edit it in place.')
        members = versions.members_of(session, row)
        draft = next((m for m in members if m.version_state == versions.DRAFT), None)
        created = draft is None
        if draft is None:
            draft = versions.start_draft(session, actor, members)
            definitions.mark_changed(uow)
        live_status, draft_status = _by_status(session, row.id), _by_status(session, draft.id)
        draft_step = {status: step for step, status in draft_status.items()}
        steps = {
            live: draft_step[status] for live, status in live_status.items() if status in draft_step
        }
        drafted = _by_statuses(session, draft.id, draft_status)
        moves = {
            t: drafted[pair]
            for pair, t in _by_statuses(session, row.id, live_status).items()
            if pair in drafted
        }
        return DraftTarget(draft.id, draft.name, created, steps, moves)
