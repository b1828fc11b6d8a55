"""A kind's cards a page at a time, newest first, for API clients (a connection in
PipeCD's shape: nodes, the total, and a cursor to the next page). The cursor is the last
card's creation time and id, so a page never repeats or skips a card when others are
added meanwhile. Part of ``EntityService`` (entities/base.py)."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic

from sqlalchemy import func, select, tuple_
from sqlmodel import Session

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine.access import require_permission
from wfm_app.entities.kind import EntityKind, ReadT
from wfm_app.errors import ValidationFailed

MAX_FIRST = 200


@dataclass(frozen=True, slots=True)
class Page(Generic[ReadT]):
    nodes: list[ReadT]
    total: int
    has_next: bool
    end_cursor: str | None


def _cursor(card: Any) -> str:
    raw = f"{card.created_at.isoformat()}|{card.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _position(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        when, _, entity_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(when), uuid.UUID(entity_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        message = "after must be an endCursor this API gave."
        raise ValidationFailed(message, {"after": message}) from None


class EntityPages(Generic[ReadT]):
    kind: EntityKind[ReadT, Any, Any]

    # Provided by EntityService and EntityBoard.
    def _select(self) -> Any:
        raise NotImplementedError

    def _visible(self, query: Any, actor: Actor) -> Any:
        raise NotImplementedError

    def _conditions(
        self,
        actor: Actor,
        *,
        workflow_id: uuid.UUID | None = None,
        owner_id: uuid.UUID | None = None,
        assignee_id: uuid.UUID | None = None,
        search: str | None = None,
        overdue_only: bool = False,
        waiting_on_me: bool = False,
    ) -> list[Any]:
        raise NotImplementedError

    def _read_rows(self, session: Session, rows: Any) -> list[ReadT]:
        raise NotImplementedError

    def page(
        self,
        actor: Actor | None,
        *,
        first: int = 20,
        after: str | None = None,
        search: str | None = None,
    ) -> Page[ReadT]:
        """The visible cards, newest first: ``first`` of them after the ``after`` cursor."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        if not 1 <= first <= MAX_FIRST:
            message = f"first must be from 1 to {MAX_FIRST}."
            raise ValidationFailed(message, {"first": message})
        if after is not None and len(after) > 200:
            raise ValidationFailed("after is too long.", {"after": "after is too long."})
        table = self.kind.table
        where = self._conditions(actor, search=search)
        query = self._visible(self._select(), actor).where(*where)
        if after:
            query = query.where(tuple_(table.c.created_at, table.c.id) < tuple_(*_position(after)))
        query = query.order_by(table.c.created_at.desc(), table.c.id.desc()).limit(first + 1)
        total = self._visible(select(func.count()).select_from(table), actor).where(*where)
        with unit_of_work() as uow:
            cards = self._read_rows(uow.session, uow.session.execute(query).all())
            count = int(uow.session.execute(total).scalar_one())
        shown = cards[:first]
        return Page(shown, count, len(cards) > first, _cursor(shown[-1]) if shown else None)
