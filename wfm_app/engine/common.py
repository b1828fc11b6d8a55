"""Small helpers the definition services share."""

from __future__ import annotations

import uuid
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from wfm_app.auth.actor import Actor
from wfm_app.errors import Conflict, NotFound
from wfm_app.sqltypes import utc_now

RowT = TypeVar("RowT", bound=SQLModel)


class Audited(Protocol):
    updated_at: Any
    updated_by_user_id: uuid.UUID | None


def get_or_404(session: Session, model: type[RowT], row_id: uuid.UUID, noun: str) -> RowT:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"{noun} {row_id} does not exist.")
    return row


def ensure_unique_name(
    session: Session, model: Any, name: str, noun: str, *, except_id: uuid.UUID | None = None
) -> None:
    """Names are unique regardless of case, so "Open" and "open" never both exist."""
    query = select(model.id).where(func.lower(model.name) == name.lower())
    if except_id is not None:
        query = query.where(model.id != except_id)
    if session.exec(query).first() is not None:
        raise Conflict(f'A {noun} named "{name}" already exists.')


def given_changes(data: BaseModel, *, clearable: set[str]) -> dict[str, Any]:
    """The fields a caller gave. A given None clears only the ``clearable`` fields."""
    return {
        key: value
        for key, value in data.model_dump(exclude_unset=True).items()
        if value is not None or key in clearable
    }


def touch(row: Audited, actor: Actor) -> None:
    row.updated_at = utc_now()
    row.updated_by_user_id = actor.user_id
