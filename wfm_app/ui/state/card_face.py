"""What a card's face shows at a glance besides its fields: its owner's initials, its
status colour, its close or due date as a chip that turns amber when near and red when
past, and a ticket's priority in colour (issue 33.3)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from wfm_app.auth.actor import Actor
from wfm_app.engine import access, definitions, people
from wfm_app.engine.automation import timers
from wfm_app.engine.registry import EntityDescription, FieldSpec
from wfm_app.entities import lanes
from wfm_app.sqltypes import utc_now
from wfm_app.ui.state.entity_views import CardView, as_float, card_line, days_in_step

SOON = timedelta(days=3)
PRIORITY_TONES = {"urgent": "red", "high": "orange", "normal": "gray", "low": "gray"}


def initials(name: str) -> str:
    """'Alice Member' -> 'AM'; one word -> its first letter."""
    words = name.split()
    if not words:
        return ""
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def date_field(description: EntityDescription) -> FieldSpec | None:
    """The kind's close or due date: its first date field."""
    return next((spec for spec in description.fields if spec.type == "date"), None)


def due_chip(description: EntityDescription, read: Any, today: date) -> tuple[str, str]:
    """('Due date 2026-12-18 · overdue', 'red'), ('… · soon', 'amber'), ('…', 'gray') or
    ('', '') when the card has no such date. A finished card's date is only a date."""
    spec = date_field(description)
    value = getattr(read, spec.key, None) if spec else None
    if spec is None or not isinstance(value, date):
        return "", ""
    shown = f"{spec.label} {value.isoformat()}"
    step = read.wfm.step
    if step is not None and step.is_final_step:
        return shown, "gray"
    if value < today:
        return f"{shown} · overdue", "red"
    if value <= today + SOON:
        return f"{shown} · soon", "amber"
    return shown, "gray"


def priority_of(read: Any) -> tuple[str, str]:
    """A card's priority word and colour, for kinds with a priority ('' otherwise)."""
    priority = getattr(read, "priority", None)
    if not isinstance(priority, str) or priority not in PRIORITY_TONES:
        return "", ""
    return f"Priority {priority}", PRIORITY_TONES[priority]


def approvals_for(viewer: Actor | None, read: Any) -> list[list[str]]:
    """[name, state, "mine"] per branch of the card's step; "mine" when the viewer may
    decide it (the badge then says "Your approval: ...")."""
    if not read.wfm.branches:
        return []
    step = read.wfm.step
    mine = {
        branch.name
        for branch in definitions.graph(read.wfm.workflow_id).branches_on(step.id if step else None)
        if viewer is not None and access.may_act_on_branch(viewer, branch.allowed_roles)
    }
    return [[name, state, "mine" if name in mine else ""] for name, state in read.wfm.branches]


def card_view(service: Any, read: Any, group_by: str, viewer: Actor | None = None) -> CardView:
    """One card as ``viewer`` sees it on a board (``group_by``: its swimlanes, if any)."""
    description = service.kind.description
    due, due_tone = due_chip(description, read, utc_now().date())
    priority, priority_tone = priority_of(read)
    # what the chips show is left out of the card's line
    dated = date_field(description)
    apart = {dated.key} if dated is not None and due else set()
    if priority:
        apart.add("priority")
    step = read.wfm.step
    faces = people.pictures_by_person()
    return CardView(
        id=str(read.id),
        name=read.name,
        detail=card_line(description, read, apart),
        owner=read.owner_name or "",
        days=days_in_step(read.wfm.step_entered_at),
        amount=as_float(service.kind.amount_of(read)),
        badge=timers.overdue_label(step, read.wfm.step_entered_at, utc_now()),
        assignee=read.assignee_name or "",
        approvals=approvals_for(viewer, read),
        lane=lanes.lane_of(read, group_by) if group_by else "",
        initials=initials(read.owner_name or ""),
        assignee_initials=initials(read.assignee_name or ""),
        accent=(step.status.color or "") if step is not None else "",
        due=due,
        due_tone=due_tone,
        priority=priority,
        priority_tone=priority_tone,
        picture=faces.get(getattr(read, "owner_id", None), ""),
        assignee_picture=faces.get(getattr(read, "assignee_id", None), ""),
    )
