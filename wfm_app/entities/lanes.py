"""Swimlanes: a board's cards grouped by owner, assignee or a single-choice custom field.

Each lane's count and total come from the database with the board's filters (not from
the cards a column has loaded). Dropping a card into another lane sets that lane's value:
in the same column as an edit (the one update command, its checks), into another column
with the move itself (the one move command, values written in its locked read), so the
value and the move land together or not at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.auth.models import User
from wfm_app.db import unit_of_work
from wfm_app.engine import custom_fields
from wfm_app.engine.access import require_permission
from wfm_app.engine.custom_fields import PREFIX
from wfm_app.engine.models import WfmProject
from wfm_app.engine.rules import MoveRequest
from wfm_app.entities.base import EntityService
from wfm_app.entities.board import board_filter
from wfm_app.errors import ValidationFailed
from wfm_app.sqltypes import table_of

OWNER, ASSIGNEE = "owner", "assignee"
MAX_GROUP_BY = 100
_projects = table_of(WfmProject)
_users = table_of(User)
Service = EntityService[Any, Any, Any]


@dataclass(frozen=True, slots=True)
class Grouping:
    key: str  # "owner", "assignee" or "custom.<field key>"
    label: str
    choices: tuple[str, ...] = ()  # a choice field's options: its lanes even when empty


@dataclass(frozen=True, slots=True)
class Lane:
    key: str  # the value cards in it have ("" for none): a person's id or a choice
    label: str
    count: int
    total: Decimal


def groupings(actor: Actor | None, service: Service) -> list[Grouping]:
    """What this kind's board may be grouped by: owner, assignee, and every active
    single-choice custom field of the kind."""
    entity_type = service.kind.description.entity_type
    fields = custom_fields.get_all(actor, entity_type)
    return [
        Grouping(OWNER, "Owner"),
        Grouping(ASSIGNEE, "Assignee"),
        *(
            Grouping(PREFIX + f.key, f.label, f.options)
            for f in fields
            if f.field_type == "DROPDOWN"
        ),
    ]


def grouping(actor: Actor | None, service: Service, group_by: str) -> Grouping:
    """The grouping ``group_by`` names, or a VALIDATION error naming ``group_by``."""
    found = next((g for g in groupings(actor, service) if g.key == group_by[:MAX_GROUP_BY]), None)
    if found is None:
        message = f'A {service.kind.noun} board cannot be grouped by "{group_by[:40]}".'
        raise ValidationFailed(message, {"group_by": message})
    return found


def lane_of(read: Any, group_by: str) -> str:
    """The lane a card is in."""
    if group_by == OWNER:
        value: Any = read.owner_id
    elif group_by == ASSIGNEE:
        value = read.assignee_id
    else:
        value = (read.custom_fields or {}).get(group_by.removeprefix(PREFIX))
    return "" if value is None else str(value)


def _column(service: Service, group_by: str) -> Any:
    table = service.kind.table
    if group_by == OWNER:
        return table.c.user_id
    if group_by == ASSIGNEE:
        return table.c.assigned_to_user_id
    return table.c.custom_field_values[group_by.removeprefix(PREFIX)].as_string()


def lanes(
    actor: Actor | None,
    service: Service,
    workflow_id: uuid.UUID,
    group_by: str,
    *,
    owner_id: uuid.UUID | None = None,
    assignee_id: uuid.UUID | None = None,
    search: str | None = None,
    overdue_only: bool = False,
    waiting_on_me: bool = False,
) -> list[Lane]:
    """The board's lanes with the board's filters: those with cards, a choice field's
    every option, and "none" last."""
    actor = require_permission(actor, READ_PROJECTS, f"read {service.kind.noun}s")
    chosen = grouping(actor, service, group_by)
    filters = board_filter(workflow_id, owner_id, assignee_id, search, overdue_only, waiting_on_me)
    lane = _column(service, chosen.key)
    query = service.counted_by(actor, service._conditions(actor, filters), lane)
    with unit_of_work() as uow:
        counted = {
            ("" if key is None else str(key)): (int(n), Decimal(total))
            for key, n, total in uow.session.execute(query)
        }
        names = _names(uow.session, chosen, counted)
    keys = list(chosen.choices) + sorted(
        (k for k in counted if k and k not in chosen.choices), key=lambda k: names.get(k, k)
    )
    nobody = "Nobody" if chosen.key in (OWNER, ASSIGNEE) else f"No {chosen.label.lower()}"
    return [Lane(key, names.get(key, key), *counted.get(key, (0, Decimal(0)))) for key in keys] + [
        Lane("", nobody, *counted.get("", (0, Decimal(0))))
    ]


def _names(session: Any, chosen: Grouping, counted: dict[str, Any]) -> dict[str, str]:
    """People's names for owner and assignee lanes (a choice is its own label)."""
    if chosen.key not in (OWNER, ASSIGNEE):
        return {}
    ids = [uuid.UUID(k) for k in counted if k]
    if not ids:
        return {}
    rows = session.execute(
        select(_users.c.id, _users.c.display_name, _users.c.email).where(_users.c.id.in_(ids))
    )
    return {str(i): name or email or str(i) for i, name, email in rows}


def lane_values(group_by: str, lane_key: str) -> dict[str, Any]:
    """What a card dropped into a lane takes: the person or the choice (None: none)."""
    value: Any = lane_key or None
    if group_by == OWNER:
        if value is None:
            message = "Every card has an owner: drop it into a person's lane."
            raise ValidationFailed(message, {"lane": message})
        return {"owner_id": value}
    if group_by == ASSIGNEE:
        return {"assignee_id": value}
    return {group_by: value}


def place(
    actor: Actor | None,
    service: Service,
    card_id: uuid.UUID,
    from_step: uuid.UUID,
    to_step: uuid.UUID,
    group_by: str,
    from_lane: str,
    to_lane: str,
) -> tuple[Any, Any]:
    """Drop a card into a lane of a column: (the card after it, the move's result or
    None when it stayed in its column and only its lane's value changed)."""
    grouping(actor, service, group_by)
    values = lane_values(group_by, to_lane) if to_lane != from_lane else None
    if from_step == to_step:
        if values is None:
            return None, None
        return service.update(actor, card_id, service.kind.update_input(values)), None
    moved = service.move_command(
        actor,
        card_id,
        to_step,
        expected_step_id=from_step,
        request=MoveRequest(values=values),
    )
    return moved.card, moved
