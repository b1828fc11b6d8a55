"""Moving the cards of one workflow (an older version) onto another (the current one)
along a step mapping, with a dry run first.

``preview`` proposes the mapping (a step goes to the target's step on the same status)
unless one is given, and reports how many cards would go from which step to which, which
steps have no target (their cards stay where they are), and which target steps would
pass a ``block`` WIP limit. ``apply`` refuses while any limit would break, then moves the
cards in batches, each batch one transaction that writes a history row of kind
"migration" per card; it is safe to stop and run again (what moved stays moved, the rest
follows), and a second run finds nothing to do.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, rules, step_settings
from wfm_app.engine.access import require_definitions_manager
from wfm_app.engine.automation import events
from wfm_app.engine.branches import moves as branch_moves
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.errors import ValidationFailed, WipLimitReached
from wfm_app.sqltypes import table_of, utc_now

BATCH = 500
MAX_CHECKED = 2_000  # cards per step a dry run reads to check the new step's field rules
_projects = table_of(WfmProject)
_history = table_of(WfmProjectHistory)


@dataclass(frozen=True)
class StepMove:
    from_step_id: uuid.UUID
    to_step_id: uuid.UUID | None  # None: no target, the cards stay
    cards: int


@dataclass(frozen=True)
class MigrationPreview:
    from_workflow_id: uuid.UUID
    to_workflow_id: uuid.UUID
    mapping: dict[uuid.UUID, uuid.UUID | None]
    moves: list[StepMove]
    over_limit: list[str]  # sentences: target steps whose block limit would break
    # sentences: cards that would land on a step without the fields every way in asks for
    unmet: list[str] = field(default_factory=list)

    @property
    def cards(self) -> int:
        return sum(m.cards for m in self.moves if m.to_step_id is not None)

    @property
    def without_target(self) -> int:
        return sum(m.cards for m in self.moves if m.to_step_id is None)


def proposed_mapping(
    source: WorkflowGraph, target: WorkflowGraph
) -> dict[uuid.UUID, uuid.UUID | None]:
    """Same status -> same step; a status the target lacks has no target."""
    by_status = {step.status.id: step.id for step in target.steps}
    return {step.id: by_status.get(step.status.id) for step in source.steps}


def _checked_mapping(
    source: WorkflowGraph, target: WorkflowGraph, given: dict[uuid.UUID, uuid.UUID | None] | None
) -> dict[uuid.UUID, uuid.UUID | None]:
    mapping = proposed_mapping(source, target)
    for from_step, to_step in (given or {}).items():
        if source.step(from_step) is None:
            message = f"Step {from_step} is not part of the workflow the cards are on."
            raise ValidationFailed(message, {"mapping": message})
        if to_step is not None and target.step(to_step) is None:
            message = f"Step {to_step} is not part of the workflow the cards go to."
            raise ValidationFailed(message, {"mapping": message})
        mapping[from_step] = to_step
    return mapping


def _graphs(
    from_workflow_id: uuid.UUID, to_workflow_id: uuid.UUID
) -> tuple[WorkflowGraph, WorkflowGraph]:
    if from_workflow_id == to_workflow_id:
        message = "Cards are migrated from one workflow to another, not onto the same one."
        raise ValidationFailed(message, {"toVersionId": message})
    return definitions.graph(from_workflow_id), definitions.graph(to_workflow_id)


def preview(
    actor: Actor | None,
    from_workflow_id: uuid.UUID,
    to_workflow_id: uuid.UUID,
    mapping: dict[uuid.UUID, uuid.UUID | None] | None = None,
) -> MigrationPreview:
    require_definitions_manager(actor)
    source, target = _graphs(from_workflow_id, to_workflow_id)
    chosen = _checked_mapping(source, target, mapping)
    with unit_of_work() as uow:
        waiting = rules.cards_per_step(uow.session, source.id, active_only=False)
        loads = rules.cards_per_step(uow.session, target.id, active_only=True)
        moves = [
            StepMove(step.id, chosen.get(step.id), int(waiting.get(step.id, 0)))
            for step in sorted(source.steps, key=lambda s: s.step_order)
        ]
        # the same snapshot as the counts
        unmet = _unmet_conditions(uow.session, source, target, moves)
    incoming: dict[uuid.UUID, int] = {}
    for move in moves:
        if move.to_step_id is not None:
            incoming[move.to_step_id] = incoming.get(move.to_step_id, 0) + move.cards
    over_limit = []
    for step_id, cards in incoming.items():
        step = target.step(step_id)
        settings = step_settings.of(step)
        limit = settings.wip_limit
        if step is None or not settings.blocks or limit is None:
            continue
        total = int(loads.get(step_id, 0)) + cards
        if cards and total > limit:
            over_limit.append(
                f'"{step.display_name}" would hold {total} cards; its limit is {limit} (block).'
            )
    return MigrationPreview(source.id, target.id, chosen, moves, over_limit, unmet)


def _entry_rules(target: WorkflowGraph, step_id: uuid.UUID) -> list[dict[str, Any]]:
    """The field rules every transition into the step asks for: a card migrated there
    skips the transitions, not what the step needs of it."""
    ways_in = [t for t in target.transitions if t.to_step_id == step_id]
    asked = [
        {
            json.dumps(rule, sort_keys=True)
            for rule in (t.conditions or {}).get("required_fields") or []
        }
        for t in ways_in
    ]
    common = set.intersection(*asked) if asked else set()
    return [json.loads(rule) for rule in sorted(common)]


def _unmet_conditions(
    session: Session, source: WorkflowGraph, target: WorkflowGraph, moves: list[StepMove]
) -> list[str]:
    """Which mapped cards would miss their new step's field rules (the first
    ``MAX_CHECKED`` of each step are read; report only: an admin may migrate anyway)."""
    found = []
    labels = rules.field_labels(target.id)
    for move in moves:
        required = _entry_rules(target, move.to_step_id) if move.to_step_id else []
        if not required or not move.cards:
            continue
        project_ids = session.scalars(
            select(_projects.c.id)
            .where(_projects.c.current_step_id == move.from_step_id)
            .order_by(_projects.c.id)
            .limit(MAX_CHECKED)
        ).all()
        missing = 0
        for project_id in project_ids:
            card = events.subject_of(session, project_id)
            if card and not rules.holds({"required_fields": required}, card.values, frozenset()):
                missing += 1
        if missing:
            source_step, target_step = source.step(move.from_step_id), target.step(move.to_step_id)
            fields = ", ".join(labels.get(rule["field"], rule["field"]) for rule in required)
            found.append(
                f'{missing} card(s) from "{source_step.display_name if source_step else ""}" would '
                f'be on "{target_step.display_name if target_step else ""}" without {fields}.'
            )
    return found


def apply(
    actor: Actor | None,
    from_workflow_id: uuid.UUID,
    to_workflow_id: uuid.UUID,
    mapping: dict[uuid.UUID, uuid.UUID | None] | None = None,
    *,
    batch: int = BATCH,
) -> int:
    """Migrate the mapped cards, ``batch`` per transaction; returns how many moved."""
    actor = require_definitions_manager(actor)
    report = preview(actor, from_workflow_id, to_workflow_id, mapping)
    if report.over_limit:
        raise WipLimitReached("Nothing was migrated: " + " ".join(report.over_limit))
    moved = 0
    for from_step, to_step in report.mapping.items():
        if to_step is None:
            continue
        while True:
            done = _one_batch(
                actor, from_workflow_id, report.to_workflow_id, from_step, to_step, batch
            )
            moved += done
            if done < batch:
                break
    return moved


def _one_batch(
    actor: Actor,
    from_workflow_id: uuid.UUID,
    to_workflow_id: uuid.UUID,
    from_step: uuid.UUID,
    to_step: uuid.UUID,
    size: int,
) -> int:
    now = utc_now()
    with unit_of_work() as uow:
        session = uow.session
        query = (
            select(_projects.c.id, _projects.c.step_entered_at)
            .where(_projects.c.current_step_id == from_step)
            .order_by(_projects.c.id)
            .limit(size)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = session.execute(query).all()
        if not rows:
            return 0
        ids = [row.id for row in rows]
        session.execute(
            update(_projects)
            .where(_projects.c.id.in_(ids), _projects.c.current_step_id == from_step)
            .values(
                workflow_id=to_workflow_id,
                current_step_id=to_step,
                updated_at=now,
                updated_by_user_id=actor.user_id,
            )
        )
        values: list[dict[str, Any]] = [
            {
                "id": uuid.uuid4(),
                "wfm_project_id": row.id,
                "from_step_id": from_step,
                "to_step_id": to_step,
                "changed_by_user_id": actor.user_id,
                "changed_at": now,
                "from_entered_at": row.step_entered_at,
                "kind": "migration",
                "wip_override": False,
            }
            for row in rows
        ]
        session.execute(insert(_history), values)
        branch_moves.migrated(
            session,
            definitions.graph(from_workflow_id),
            definitions.graph(to_workflow_id),
            ids,
            from_step,
            to_step,
        )
        return len(rows)
