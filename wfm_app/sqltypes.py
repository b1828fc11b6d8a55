"""Column types that behave the same on PostgreSQL and on the embedded SQLite file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Table, any_, bindparam, func, literal
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Select
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, Session, SQLModel

# Deterministic constraint names, so migrations can name what they alter on any backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL (indexable, as in the spec), plain JSON text elsewhere.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table, typed (SQLModel's ``__table__`` is not)."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


def among(session: Session, column: Any, values: Sequence[Any]) -> Any:
    """``column IN values``; on PostgreSQL ``column = ANY(:values)``: a thousand ids are
    one array parameter to send and parse, not a thousand."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def among_parameter(dialect: str, column: Any, name: str) -> Any:
    """``among`` in a statement built once: the values come as the parameter ``name``
    each time it runs."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def among_selected(dialect: str, column: Any, selected: Select[Any]) -> Any:
    """``column IN (selected)``; on PostgreSQL ``column = ANY(ARRAY(selected))``: the
    subquery runs once and ``column``'s index is probed for each value it gave, whatever
    the planner guesses of their number (it guessed 50 for 1,000 visible cards, and
    hashed a whole history table to join them)."""
    if dialect == "postgresql":
        return column == any_(func.array(selected.scalar_subquery()))
    return column.in_(selected)


def utc_now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """TIMESTAMPTZ that always comes back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a timestamptz column")
        return value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        # psycopg already returns aware datetimes: skip a Python call per value on boards.
        if dialect.name == "postgresql":
            return None
        return super().result_processor(dialect, coltype)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def timestamp_field() -> Any:
    """A ``TIMESTAMPTZ NOT NULL DEFAULT NOW()`` column, filled in Python too."""
    return Field(
        default_factory=utc_now,
        sa_type=UtcDateTime,
        sa_column_kwargs={"server_default": func.now()},
    )
