"""Every statement sees the rows of the organization the work acts in, and no other.

In the service layer, ORM queries get ``with_loader_criteria`` on every ``OrgOwned`` model
involved, and new rows take the organization (tenancy.org_field). Core SELECT, UPDATE and
DELETE statements on tenant tables get ``org_id = :org`` in every FROM, subqueries
included, where nothing else would filter them: on SQLite, and on PostgreSQL for a role
the policies do not hold (the tests' owner connection). On PostgreSQL each transaction
hands the organization to row-level security (``SET LOCAL wfm.org_id``, as
``set_config(..., true)`` would: local to the transaction, so nothing leaks through the
pool); the policies (migration 0015) hold every statement of the app's role to it, Core
ones included, and the app refuses to start as any other role. There the rewrite is
skipped: it costs about a millisecond for a statement built per call (1.2 ms for a wide
one), the policies do the same work inside the server for next to nothing.
"""

from __future__ import annotations

from contextlib import suppress
from contextvars import ContextVar
from typing import Any
from weakref import WeakKeyDictionary

import psycopg
from psycopg import pq
from sqlalchemy import Uuid, bindparam, event, or_
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.schema import Table
from sqlalchemy.sql.selectable import Alias, FromClause, Join, Select

from wfm_app.tenancy import OrgOwned, current_org_id

# A test-only switch: off, the service layer adds no organization filter, so tests can
# show that PostgreSQL's row-level security alone keeps organizations apart.
service_filter: ContextVar[bool] = ContextVar("wfm_service_filter", default=True)
_ORG = "wfm_org_id"
_SCOPED = frozenset({"select", "compound_select", "update", "delete"})


def _is_tenant(table: Any) -> bool:
    return isinstance(table, Table) and "org_id" in table.c


def _criteria(table: FromClause, nullable: bool) -> ColumnElement[bool]:
    column = table.c.org_id
    # read when the statement runs: one scoped statement serves every organization
    same = column == bindparam(_ORG, callable_=current_org_id, type_=Uuid())
    # the far side of an outer join may be missing: NULL there is "no row", not a leak
    return or_(same, column.is_(None)) if nullable else same


def _collect(source: FromClause, nullable: bool, into: list[ColumnElement[bool]]) -> None:
    if isinstance(source, Join):
        _collect(source.left, nullable or source.full, into)
        _collect(source.right, nullable or source.isouter, into)
    elif _is_tenant(source) or (isinstance(source, Alias) and _is_tenant(source.element)):
        into.append(_criteria(source, nullable))


def _scope_select(select: Select[Any]) -> None:
    criteria: list[ColumnElement[bool]] = []
    for source in select.get_final_froms():
        _collect(source, False, criteria)
    if criteria:
        select._where_criteria += tuple(criteria)


def _scope_write(statement: Any) -> None:
    """The rows written are the organization's (tables it names only to pick them are
    scoped where they are selected from, in subqueries)."""
    criteria: list[ColumnElement[bool]] = []
    _collect(statement.table, False, criteria)
    if criteria:
        statement._where_criteria += tuple(criteria)


_VISITORS = {"select": _scope_select, "update": _scope_write, "delete": _scope_write}
# Statements the engine keeps (module constants: a card's locking read, its announcing
# read, ...) are scoped once; the rewrite costs about a millisecond on a wide one.
_scoped: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()


def _scoped_core(statement: Any) -> Any:
    try:
        return _scoped[statement]
    except (KeyError, TypeError):
        pass
    scoped = visitors.cloned_traverse(statement, {}, _VISITORS)
    with suppress(TypeError):  # one that cannot be weakly referenced is scoped each time
        _scoped[statement] = scoped
    return scoped


_policies_hold: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def _held_by_policies(connection: Connection) -> bool:
    """Whether PostgreSQL's policies hold this engine's role (the app refuses any other at
    start-up): then the database filters Core statements itself, and rewriting one built
    per call (a list's query: about a millisecond) would only repeat it. Other roles (the
    tests' owner connection) and SQLite get the rewrite."""
    engine = connection.engine
    held = _policies_hold.get(engine)
    if held is None:
        held = engine.dialect.name == "postgresql" and privileged(connection) is None
        _policies_hold[engine] = held
    return held


def privileged(connection: Connection) -> str | None:
    """The role's name when it skips row-level security; None when policies hold."""
    row = connection.exec_driver_sql(
        "SELECT current_user, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).first()
    return str(row[0]) if row is not None and row[1] else None


def statement_for(connection: Connection, statement: Any) -> Any:
    """``statement`` as it runs on ``connection``: with the organization filter unless the
    policies hold its role (or it is an ORM statement, scoped by _scope_orm)."""
    orm = getattr(statement, "_propagate_attrs", {}).get("compile_state_plugin") == "orm"
    if orm or not service_filter.get() or not _scopable(statement) or _held_by_policies(connection):
        return statement
    return _scoped_core(statement)


def _scopable(statement: Any) -> bool:
    """A SELECT, UPDATE or DELETE, or a statement whose WITH holds one (a move's UPDATE
    feeding its history INSERT): traversal scopes what its CTEs read and write too."""
    return getattr(statement, "__visit_name__", "") in _SCOPED or bool(
        getattr(statement, "_independent_ctes", ())
    )


def _before_execute(
    connection: Connection,
    statement: Any,
    multiparams: Any,
    params: Any,
    _options: Any,
) -> tuple[Any, Any, Any]:
    return statement_for(connection, statement), multiparams, params


def _scope_orm(state: ORMExecuteState) -> None:
    if not service_filter.get() or state.is_column_load or state.is_relationship_load:
        return
    if state.is_select or state.is_update or state.is_delete:
        org = bindparam(_ORG, current_org_id(), type_=Uuid())
        scoped = [
            with_loader_criteria(model, model.org_id == org, include_aliases=True)  # type: ignore[attr-defined]
            for model in (mapper.class_ for mapper in state.all_mappers)
            if issubclass(model, OrgOwned)
        ]
        if scoped:
            state.statement = state.statement.options(*scoped)


def _hand_to_row_level_security(connection: Connection) -> None:
    # SET LOCAL takes no parameters; the value is a UUID's text, nothing a user typed
    setting = f"SET LOCAL wfm.org_id = '{current_org_id()}'"
    if not _begin_with(connection, setting):
        connection.exec_driver_sql(setting)


def _begin_with(connection: Connection, setting: str) -> bool:
    """Open the transaction and set the organization in one round trip.

    psycopg would send its own ``BEGIN`` before the first statement, one round trip of a
    move's seven; a plain transaction (no isolation level, read-only or deferrable asked
    for) can start as ``BEGIN; SET LOCAL ...`` instead, after which psycopg sees one in
    progress and sends nothing. False where that does not apply."""
    driver = connection.connection.driver_connection
    if not isinstance(driver, psycopg.Connection) or driver.autocommit:
        return False
    if (driver.isolation_level, driver.read_only, driver.deferrable) != (None, None, None):
        return False
    pgconn = driver.pgconn
    if pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    result = pgconn.exec_(f"BEGIN; {setting}".encode())
    if result.status != pq.ExecStatus.COMMAND_OK:
        message = (result.error_message or b"").decode(errors="replace")
        raise psycopg.OperationalError(f"could not begin the transaction: {message}")
    return True


def install(engine: Engine) -> None:
    """Scope ``engine``'s statements to the organization the work acts in."""
    event.listen(engine, "before_execute", _before_execute, retval=True)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _hand_to_row_level_security)


event.listen(Session, "do_orm_execute", _scope_orm)
