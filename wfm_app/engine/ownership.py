"""Whose a WFM project is (its owner and its assignee), found through the entity tables
that link to it. "A user's work" is what they own or are assigned, everywhere.

Entities register their table here (the spec's RLS policy joins deals and leads the
same way); the engine itself never names an entity.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Table, false, literal, or_, select, union_all
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.engine import access
from wfm_app.sqltypes import among

_owned_tables: list[Table] = []
_entity_types: dict[str, str | None] = {}  # table name -> its entity type ("DEAL")


def register(table: Table, entity_type: str | None) -> None:
    """``table`` must have ``id``, ``name``, ``wfm_project_id``, ``user_id`` (the owner)
    and ``assigned_to_user_id`` columns; ``entity_type`` None: its rows say theirs in an
    ``entity_type`` column (a table several kinds share)."""
    if table not in _owned_tables:
        _owned_tables.append(table)
    _entity_types[table.name] = entity_type


def _entity_type(table: Table) -> Any:
    named = _entity_types[table.name]
    return table.c.entity_type if named is None else literal(named)


def owned_projects(owner_id: uuid.UUID | None, only: list[uuid.UUID] | None = None) -> Any:
    """A selectable of (project_id, entity_id, entity_type, entity_name, owner_id) over
    every entity table, only ``owner_id``'s when given, only the ``only`` projects when
    given; None when no kind is registered."""
    if not _owned_tables:
        return None
    queries = []
    for table in _owned_tables:
        query = select(
            table.c.wfm_project_id.label("project_id"),
            table.c.id.label("entity_id"),
            _entity_type(table).label("entity_type"),
            table.c.name.label("entity_name"),
            table.c.user_id.label("owner_id"),
        )
        if owner_id is not None:
            query = query.where(_theirs(table, owner_id))
        if only is not None:
            query = query.where(table.c.wfm_project_id.in_(only))
        queries.append(query)
    return union_all(*queries)


def custom_values() -> Any:
    """A selectable of (project_id, entity_type, custom_field_values) over every entity
    table (each keeps its custom values in that document); None when no kind is
    registered."""
    if not _owned_tables:
        return None
    return union_all(
        *(
            select(
                table.c.wfm_project_id.label("project_id"),
                _entity_type(table).label("entity_type"),
                table.c.custom_field_values,
            )
            for table in _owned_tables
        )
    )


def _theirs(table: Table, user_id: uuid.UUID | None) -> Any:
    return access.theirs_clause(table.c.user_id, table.c.assigned_to_user_id, user_id)


def people_of(session: Session, project_id: uuid.UUID) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """(owner, assignee) of the card riding on the project."""
    if not _owned_tables:
        return None, None
    queries = [
        select(table.c.user_id, table.c.assigned_to_user_id).where(
            table.c.wfm_project_id == project_id
        )
        for table in _owned_tables
    ]
    row = session.execute(union_all(*queries).limit(1)).first()
    return (row[0], row[1]) if row else (None, None)


def owned_among(
    session: Session, user_id: uuid.UUID | None, project_ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these projects are the user's work (one query)."""
    if user_id is None or not project_ids or not _owned_tables:
        return set()
    queries = [
        select(table.c.wfm_project_id).where(
            _theirs(table, user_id), among(session, table.c.wfm_project_id, project_ids)
        )
        for table in _owned_tables
    ]
    return set(session.execute(union_all(*queries)).scalars())


def visible_among(session: Session, actor: Actor, project_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Those of these projects whose cards the actor may see (one query for a member)."""
    if access.sees_everyones(actor):
        return list(project_ids)
    owned = owned_among(session, actor.user_id, project_ids)
    return [project_id for project_id in project_ids if project_id in owned]


def owned_by(user_id: uuid.UUID, project_id: Any) -> Any:
    """A filter on a project id column: ``user_id``'s work. One IN per entity table,
    OR-ed: PostgreSQL hashes each owner's ids once (an IN over their UNION is estimated
    at 200 rows and probed row by row)."""
    if not _owned_tables:
        return false()
    return or_(
        *[
            project_id.in_(select(table.c.wfm_project_id).where(_theirs(table, user_id)))
            for table in _owned_tables
        ]
    )


def entity_type_of(session: Session, entity_id: uuid.UUID) -> str | None:
    """Which kind a card is ("DEAL", "PURCHASE_REQUEST"), from its id alone (one query)."""
    if not _owned_tables:
        return None
    queries = [
        select(_entity_type(table).label("entity_type")).where(table.c.id == entity_id)
        for table in _owned_tables
    ]
    return session.execute(union_all(*queries).limit(1)).scalar()
