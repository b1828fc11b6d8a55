"""The statements on the hot path (a move's locking read, its compare-and-set and its
history row, the announcing read after every create, update and move) run straight on
psycopg, compiled once.

SQLAlchemy spends about 0.15 ms of its own on each execution of such a wide prebuilt
SELECT (execution context, result metadata, a Row: 0.40 ms against 0.25 ms for the same
locking read on psycopg, measured in one transaction), and a move makes three of them. On
PostgreSQL a ``HotStatement`` hands the compiled SQL to the session's psycopg connection,
inside the transaction the session began (so row-level security's setting, the unit of
work and its rollback are the same); it takes the same organization filter as any
statement where policies do not hold (tenant_scope.statement_for), its errors come back
as SQLAlchemy's (a cancelled statement is still a TimedOut), and it is timed into the
same metric. Elsewhere (SQLite) it runs through SQLAlchemy. Only SELECT, and UPDATE,
DELETE or INSERT that set every value themselves: one that leaves a column's default to
SQLAlchemy (an INSERT's org_id or id) is refused when it is compiled."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import exc
from sqlalchemy.engine import Connection
from sqlmodel import Session

from wfm_app import tenant_scope
from wfm_app.observability import db_timing


@dataclass(frozen=True, slots=True)
class _Compiled:
    statement: Any  # held, so the id it is cached under stays its own
    sql: str
    keys: tuple[str, ...]
    kind: str  # select, update or delete: the metric's label
    construct: Callable[[dict[str, Any]], dict[str, Any]]


class HotStatement:
    def __init__(self, statement: Any, kind: str | None = None) -> None:
        """``kind``: the metric's label, when not the statement's own verb (an INSERT whose
        WITH holds the UPDATE that matters)."""
        self.statement = statement
        self.kind = kind
        self._compiled: dict[int, _Compiled] = {}

    def _compile(self, connection: Connection, statement: Any) -> _Compiled:
        found = self._compiled.get(id(statement))
        if found is not None:
            return found
        compiled = statement.compile(dialect=connection.dialect)
        if compiled.insert_prefetch or compiled.update_prefetch:
            raise TypeError("A hot statement must not leave column defaults to SQLAlchemy.")
        processors = compiled._bind_processors
        escaped = compiled.escaped_bind_names

        def construct(params: dict[str, Any]) -> dict[str, Any]:
            out = {}
            for name, value in compiled.construct_params(params).items():
                processor = processors.get(name)
                out[escaped.get(name, name)] = processor(value) if processor else value
            return out

        keys = tuple(column[0] for column in compiled._result_columns)
        kind = self.kind or next(
            (name for name in ("update", "delete", "insert") if getattr(compiled, f"is{name}")),
            "select",
        )
        made = _Compiled(statement, compiled.string, keys, kind, construct)
        self._compiled[id(statement)] = made
        return made

    def _run(
        self, connection: Connection, params: dict[str, Any], *, kept: bool = True
    ) -> tuple[Any, _Compiled]:
        """The psycopg cursor the statement ran on, and what it was compiled to. ``kept``:
        the connection's own cursor for this statement, used again next time (psycopg keeps
        a cursor's adapters while its query is the same; a new cursor made them again: a
        move in process, 1.33 ms of CPU against 1.30). Not for a large answer, which it
        would hold until the next run."""
        compiled = self._compile(connection, tenant_scope.statement_for(connection, self.statement))
        bound = compiled.construct(params)
        driver: Any = connection.connection.driver_connection
        started = time.perf_counter()
        try:
            cursor = _cursor(connection, compiled) if kept else driver.cursor()
            cursor.execute(compiled.sql, bound)
        except psycopg.Error as error:
            if driver.broken:
                connection.invalidate(error)
            wrapped = exc.DBAPIError.instance(
                compiled.sql, bound, error, psycopg.Error, dialect=connection.dialect
            )
            db_timing.failed(type(wrapped).__name__)
            raise wrapped from error
        db_timing.observe(compiled.kind, time.perf_counter() - started)
        return cursor, compiled

    def first(self, session: Session, params: dict[str, Any]) -> Mapping[str, Any] | None:
        """The first row as a mapping of its columns' keys, or None."""
        connection = session.connection()
        if connection.dialect.name != "postgresql":
            row = connection.execute(self.statement, params).first()
            return dict(row._mapping) if row is not None else None
        cursor, compiled = self._run(connection, params)
        found = cursor.fetchone()
        return dict(zip(compiled.keys, found, strict=True)) if found is not None else None

    def all(self, session: Session, params: dict[str, Any]) -> tuple[tuple[str, ...], list[Any]]:
        """The columns' keys, and every row as a tuple of their values."""
        connection = session.connection()
        if connection.dialect.name != "postgresql":
            result = connection.execute(self.statement, params)
            return tuple(result.keys()), list(result.all())
        cursor, compiled = self._run(connection, params, kept=False)
        with cursor:
            return compiled.keys, cursor.fetchall()

    def rowcount(self, session: Session, params: dict[str, Any]) -> int:
        """How many rows an UPDATE, DELETE or INSERT wrote."""
        connection = session.connection()
        if connection.dialect.name != "postgresql":
            return int(connection.execute(self.statement, params).rowcount)
        cursor, _compiled = self._run(connection, params)
        return int(cursor.rowcount)


_CURSORS = "wfm_hot_cursors"


def _cursor(connection: Connection, compiled: _Compiled) -> psycopg.Cursor[Any]:
    """The connection's cursor for ``compiled``, kept in the pool's record of the database
    connection (emptied when the pool replaces that connection; one thread uses it at once)."""
    kept: dict[int, psycopg.Cursor[Any]] = connection.connection.info.setdefault(_CURSORS, {})
    cursor = kept.get(id(compiled))
    if cursor is None:
        driver: Any = connection.connection.driver_connection
        cursor = kept[id(compiled)] = driver.cursor()
    return cursor


class Prepared:
    """Statements built once for what shapes them (a key) and run as HotStatements:
    building and hashing one per request cost the API's small lists more than running it."""

    def __init__(self) -> None:
        self._statements: dict[Hashable, HotStatement] = {}

    def get(self, key: Hashable, build: Callable[[], Any]) -> HotStatement:
        found = self._statements.get(key)
        if found is None:  # two threads may both build it: the same statement either way
            found = self._statements.setdefault(key, HotStatement(build()))
        return found
