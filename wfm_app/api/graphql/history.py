"""A card's history as PipeCD's client reads it (``DealHistoryEntry``,
``LeadHistoryEntry``): each of our moves, with PipeCD's fields beside ours."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from wfm_app.api.graphql.prefetch import Later
from wfm_app.api.graphql.types import GqlInfo, User, WFMWorkflowStep, _step, _user
from wfm_app.engine import definitions, versions
from wfm_app.engine.schemas import HistoryEntry

EVENT_TYPES = {
    "move": "WFM_STEP_CHANGED",
    "migration": "WFM_VERSION_MIGRATED",
    "conversion": "CONVERTED_FROM_LEAD",
}


def _event_type(entry: HistoryEntry, noun: str) -> str:
    """An edit is PipeCD's DEAL_UPDATED (LEAD_UPDATED); a move, WFM_STEP_CHANGED."""
    if entry.kind == "update":
        return f"{noun}_UPDATED"
    return EVENT_TYPES.get(entry.kind, entry.kind)


def _step_name(workflow_id: uuid.UUID, step_id: uuid.UUID | None) -> str | None:
    """A step of the card's workflow or of another version of it (a migration's)."""
    if step_id is None:
        return None
    for version in versions.columns(workflow_id).workflow_ids:
        step = definitions.graph(version).step(step_id)
        if step is not None:
            return step.display_name
    return None


def _changes(entry: WFMHistoryEntry) -> dict[str, Any]:
    """{"wfm_step": {"old": name, "new": name}}, and what came with the move; an edit's:
    {"amount": {"old": "12000.00", "new": "15000.00"}, ...}."""
    read, workflow_id = entry._read, entry._workflow_id
    if read.kind == "update":
        return dict(read.values or {})
    changes: dict[str, Any] = {
        "wfm_step": {
            "old": _step_name(workflow_id, read.from_step_id),
            "new": _step_name(workflow_id, read.to_step_id),
        }
    }
    if read.comment:
        changes["comment"] = read.comment
    if read.values:
        changes["values"] = read.values
    if read.override:
        changes["wip_override"] = True
    if read.undoes_history_id:
        changes["undoes"] = str(read.undoes_history_id)
    return changes


@strawberry.type(name="WFMHistoryEntry")
class WFMHistoryEntry:
    _read: strawberry.Private[HistoryEntry]
    _workflow_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field
    def from_step(self) -> WFMWorkflowStep | None:
        return _step(self._workflow_id, self._read.from_step_id)

    @strawberry.field
    def to_step(self) -> WFMWorkflowStep | None:
        return _step(self._workflow_id, self._read.to_step_id)

    @strawberry.field
    def changed_at(self) -> datetime:
        return self._read.changed_at

    @strawberry.field
    def comment(self) -> str | None:
        return self._read.comment

    @strawberry.field
    def values(self) -> JSON | None:
        return JSON(self._read.values) if self._read.values is not None else None

    @strawberry.field
    def override(self) -> bool:
        return self._read.override

    @strawberry.field(graphql_type=User | None)
    def changed_by_user(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._read.changed_by_user_id)


@strawberry.type(name="DealHistoryEntry")
class DealHistoryEntry(WFMHistoryEntry):
    @strawberry.field(graphql_type=User | None)
    def user(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._read.changed_by_user_id)

    @strawberry.field(description="WFM_STEP_CHANGED, WFM_VERSION_MIGRATED or DEAL_UPDATED.")
    def event_type(self) -> str:
        return _event_type(self._read, "DEAL")

    @strawberry.field
    def changes(self) -> JSON:
        return JSON(_changes(self))

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.changed_at


@strawberry.type(name="LeadHistoryEntry")
class LeadHistoryEntry(WFMHistoryEntry):
    """PipeCD spells a lead's history entry in snake case."""

    _lead_id: strawberry.Private[uuid.UUID]

    @strawberry.field(name="lead_id")
    def lead_id(self) -> strawberry.ID:
        return strawberry.ID(str(self._lead_id))

    @strawberry.field(graphql_type=User | None)
    def user(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._read.changed_by_user_id)

    @strawberry.field(name="user_id")
    def user_id(self) -> strawberry.ID | None:
        by = self._read.changed_by_user_id
        return strawberry.ID(str(by)) if by else None

    @strawberry.field(name="event_type")
    def event_type(self) -> str:
        return _event_type(self._read, "LEAD")

    @strawberry.field
    def changes(self) -> JSON:
        return JSON(_changes(self))

    @strawberry.field(name="created_at")
    def created_at(self) -> datetime:
        return self._read.changed_at
