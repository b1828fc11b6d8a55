"""Which user owns a WFM project, found through the entity tables that link to it.

Entities register their table here (the spec's RLS policy joins deals and leads the
same way); the engine itself never names an entity.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Table, false, literal, or_, select, union_all
from sqlmodel import Session

_owned_tables: list[Table] = []
_entity_types: dict[str, str] = {}  # table name -> its entity type ("DEAL")


def register(table: Table, entity_type: str) -> None:
    """``table`` must have ``id``, ``name``, ``wfm_project_id`` and ``user_id`` columns."""
    if table not in _owned_tables:
        _owned_tables.append(table)
    _entity_types[table.name] = entity_type


def owned_projects(owner_id: uuid.UUID | None) -> Any:
    """A selectable of (project_id, entity_id, entity_type, entity_name, owner_id) over
    every entity table, only ``owner_id``'s when given; None when no kind is registered."""
    if not _owned_tables:
        return None
    queries = []
    for table in _owned_tables:
        query = select(
            table.c.wfm_project_id.label("project_id"),
            table.c.id.label("entity_id"),
            literal(_entity_types[table.name]).label("entity_type"),
            table.c.name.label("entity_name"),
            table.c.user_id.label("owner_id"),
        )
        if owner_id is not None:
            query = query.where(table.c.user_id == owner_id)
        queries.append(query)
    return union_all(*queries)


def owner_of(session: Session, project_id: uuid.UUID) -> uuid.UUID | None:
    if not _owned_tables:
        return None
    queries = [
        select(table.c.user_id).where(table.c.wfm_project_id == project_id)
        for table in _owned_tables
    ]
    return session.execute(union_all(*queries).limit(1)).scalar()


def owned_among(
    session: Session, user_id: uuid.UUID | None, project_ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these projects belong to entities the user owns (one query)."""
    if user_id is None or not project_ids or not _owned_tables:
        return set()
    queries = [
        select(table.c.wfm_project_id).where(
            table.c.user_id == user_id, table.c.wfm_project_id.in_(project_ids)
        )
        for table in _owned_tables
    ]
    return set(session.execute(union_all(*queries)).scalars())


def owned_by(user_id: uuid.UUID, project_id: Any) -> Any:
    """A filter on a project id column: projects of entities ``user_id`` owns. One IN per
    entity table, OR-ed: PostgreSQL hashes each owner's ids once (an IN over their UNION
    is estimated at 200 rows and probed row by row)."""
    if not _owned_tables:
        return false()
    return or_(
        *[
            project_id.in_(select(table.c.wfm_project_id).where(table.c.user_id == user_id))
            for table in _owned_tables
        ]
    )
