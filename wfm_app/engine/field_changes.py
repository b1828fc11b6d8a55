"""What an edit changed on a card (``wfm_field_changes``: one row per save, on the card's
WFM project): each field's value before and after, who and when. Written in the edit's
own transaction; read into the card's history as entries of kind "update"."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, Table, insert, select
from sqlmodel import Field, Session, SQLModel

from wfm_app.auth.actor import Actor
from wfm_app.sqltypes import JsonDocument, table_of, timestamp_field, utc_now
from wfm_app.tenancy import OrgOwned, org_field

# Columns whose change the history names, under the names the API and forms use.
RENAMED = {"user_id": "owner_id", "assigned_to_user_id": "assignee_id"}
UNTRACKED = {"assigned_at", "updated_at", "created_at"}
CUSTOM = "custom_fields."  # a custom field's key in a change: custom_fields.<key>


class FieldChange(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_field_changes"
    __table_args__ = (Index("idx_field_changes_project", "wfm_project_id", "changed_at"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    wfm_project_id: uuid.UUID = Field(foreign_key="wfm_projects.id", ondelete="CASCADE")
    changed_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL"
    )
    # {"amount": {"old": "12000.00", "new": "15000.00"}, "custom_fields.region": {...}}
    changes: dict[str, Any] = Field(sa_type=JsonDocument)
    changed_at: datetime = timestamp_field()


_changes: Table = table_of(FieldChange)


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: ids, dates and amounts as text; lists and flags as is."""
    if isinstance(value, uuid.UUID | date | Decimal):
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """{field: {"old", "new"}} for each column that ``after`` sets to another value; the
    custom values' document compared key by key."""
    found: dict[str, Any] = {}
    for column, new in after.items():
        if column in UNTRACKED:
            continue
        old = before.get(column)
        if column == "custom_field_values":
            old_custom, new_custom = old or {}, new or {}
            for key in sorted({*old_custom, *new_custom}):
                if old_custom.get(key) != new_custom.get(key):
                    found[CUSTOM + key] = {
                        "old": _plain(old_custom.get(key)),
                        "new": _plain(new_custom.get(key)),
                    }
        elif old != new and _plain(old) != _plain(new):  # 15000 is 15000.00
            found[RENAMED.get(column, column)] = {"old": _plain(old), "new": _plain(new)}
    return found


def record_edit(
    session: Session,
    actor: Actor,
    table: Table,
    entity_id: uuid.UUID,
    project_id: uuid.UUID,
    columns: Mapping[str, Any],
) -> None:
    """Before ``columns`` are written to the card's row (locked by the caller): record
    what they change, if anything."""
    before = (
        session.execute(
            select(*(table.c[column] for column in columns)).where(table.c.id == entity_id)
        )
        .mappings()
        .first()
    )
    changes = diff(dict(before or {}), columns)
    if changes:
        session.execute(
            insert(_changes).values(
                id=uuid.uuid4(),
                wfm_project_id=project_id,
                changed_by_user_id=actor.user_id,
                changes=changes,
                changed_at=utc_now(),
            )
        )
