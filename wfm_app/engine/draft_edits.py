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

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, rules, versions
from wfm_app.engine.access import require_definitions_manager
from wfm_app.engine.common import get_or_404
from wfm_app.engine.models import Workflow
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.errors import Conflict


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


def _same_places(
    live: WorkflowGraph, draft: WorkflowGraph
) -> tuple[dict[uuid.UUID, uuid.UUID], dict[uuid.UUID, uuid.UUID]]:
    """Live step -> draft step with its status; live transition -> draft transition
    between the same statuses."""
    by_status = {step.status.id: step.id for step in draft.steps}
    steps = {s.id: by_status[s.status.id] for s in live.steps if s.status.id in by_status}
    drafted = {(t.from_step_id, t.to_step_id): t.id for t in draft.transitions}
    moves = {
        t.id: drafted[(steps[t.from_step_id], steps[t.to_step_id])]
        for t in live.transitions
        if (steps.get(t.from_step_id), steps.get(t.to_step_id)) in drafted
    }
    return steps, moves


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
        steps, moves = _same_places(
            definitions.load_graph(session, row.id), definitions.load_graph(session, draft.id)
        )
        return DraftTarget(draft.id, draft.name, created, steps, moves)
