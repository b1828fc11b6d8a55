"""Writing prepared cards: new ones a batch at a time (one multi-row statement per table:
projects, the kind's rows, their "imported" history entries, their external ids), and a
card already known by its external id through the ordinary update and move, so that
what a re-import changes is recorded and checked like any edit and move."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from wfm_app.engine import external_refs
from wfm_app.engine.branches import moves as branch_moves
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.entities.card_import.rows import Card, Plan
from wfm_app.errors import WfmError
from wfm_app.sqltypes import table_of

IMPORTED = "import"  # the history entry's kind (a move's is "move")
_projects = table_of(WfmProject)
_history = table_of(WfmProjectHistory)
_INSERT_PROJECT = insert(_projects)
_INSERT_HISTORY = insert(_history)


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


def known(session: Session, plan: Plan, cards: Sequence[Card]) -> dict[str, uuid.UUID]:
    """The cards' external ids already imported: id -> the entity's id."""
    ids = [card.external_id for card in cards if card.external_id]
    return external_refs.entities_of(session, plan.service.kind.table, plan.preset.key, ids)


def insert_new(
    session: Session, plan: Plan, cards: Sequence[Card], file_name: str, now: datetime
) -> None:
    """Every card in one statement per table, in the caller's transaction (the step
    counts of WIP-limited steps follow by trigger: engine/step_loads.py)."""
    if not cards:
        return
    actor, kind = plan.actor, plan.service.kind
    noun = kind.description.noun.capitalize()
    projects, entities, history, refs = [], [], [], []
    for card in cards:
        project_id, entity_id = uuid.uuid4(), uuid.uuid4()
        created = card.created_at or now
        name: str = card.data.name
        projects.append(
            {
                "id": project_id,
                "project_type_id": plan.project_type_id,
                "workflow_id": plan.graph.id,
                "current_step_id": card.step.id,
                "name": f"WFM for {noun}: {name}",
                "description": None,
                "is_active": True,
                "step_entered_at": now,
                "completed_at": now if card.step.is_final_step else None,
                "metadata": None,
                "created_by_user_id": actor.user_id,
                "updated_by_user_id": actor.user_id,
                "created_at": created,
                "updated_at": now,
            }
        )
        owner = card.owner_id or actor.user_id
        entities.append(
            {
                "id": entity_id,
                "name": name,
                "user_id": owner,
                "assigned_to_user_id": card.assignee_id,
                "assigned_at": now if card.assignee_id else None,
                "wfm_project_id": project_id,
                "created_at": created,
                "updated_at": now,
                "custom_field_values": card.custom,
                **kind.create_values(card.data),
            }
        )
        history.append(
            {
                "id": uuid.uuid4(),
                "wfm_project_id": project_id,
                "from_step_id": None,
                "to_step_id": card.step.id,
                "transition_id": None,
                "changed_by_user_id": actor.user_id,
                "changed_at": now,
                "comment": f"Imported from {file_name}, line {card.line}",
                "kind": IMPORTED,
            }
        )
        if card.external_id:
            refs.append((card.external_id, project_id))
        branch_moves.entered(session, plan.graph, project_id, card.step.id)
    session.execute(_INSERT_PROJECT, projects)
    session.execute(insert(kind.table), entities)
    session.execute(_INSERT_HISTORY, history)
    external_refs.remember(session, plan.preset.key, refs)


def update_known(plan: Plan, card: Card, entity_id: uuid.UUID) -> str | None:
    """A card imported before: its fields as the file has them now, and its step through
    the one move (rules apply); the reason if either is refused."""
    service, mapped = plan.service, set(plan.mapping.values())
    changes = {key: getattr(card.data, key) for key in mapped if key in card.values}
    if any(t.startswith("custom.") for t in mapped):
        changes["custom_fields"] = card.custom
    if "owner" in mapped and card.owner_id:
        changes["owner_id"] = card.owner_id
    if "assignee" in mapped:
        changes["assignee_id"] = card.assignee_id
    try:
        data = service.kind.update_model(**changes)
        read = service.update(plan.actor, entity_id, data)
        step = read.wfm.step
        if "step" in mapped and (step is None or step.id != card.step.id):
            service.move(plan.actor, entity_id, card.step.id)
    except WfmError as refused:
        return refused.message
    return None
