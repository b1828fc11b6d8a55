"""The database engine and the unit of work: one transaction per user action.

Service functions open ``with unit_of_work() as uow:``. A service called from inside
another service's unit of work joins it, so an entity flow (create the deal, its WFM
project and the link) commits once or not at all.
"""

from __future__ import annotations

import contextvars
import json
import select
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
import psycopg.types.json
import sqlalchemy.engine
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, IntegrityError, OperationalError
from sqlmodel import Session

from wfm_app import tenant_scope
from wfm_app.errors import Conflict, TimedOut
from wfm_app.observability import db_timing
from wfm_app.settings import settings
from wfm_app.tenancy import current_org_id


def _json_from_database(data: str | bytes) -> Any:
    """JSONB as psycopg reads it (a card's custom field values, a history row's move values:
    one per card and per history row of an answer). orjson: 16,000 small documents read in
    19 ms instead of 52 (a text column: 8). It reads an integer past 64 bits as a float (the
    app stores numbers as floats below 10^15, engine/custom_values.py) and refuses a number
    past a double's range (JSONB keeps 1e400 as a 401-digit integer), which the standard
    library then reads."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


psycopg.types.json.set_json_loads(_json_from_database)


_engine: Engine | None = None
_first_use = threading.Lock()
_api_engine: Engine | None = None  # the same database; statements cut off (api_statements)
_in_api: contextvars.ContextVar[bool] = contextvars.ContextVar("wfm_api", default=False)
_current: contextvars.ContextVar[UnitOfWork | None] = contextvars.ContextVar(
    "wfm_unit_of_work", default=None
)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (below), so pysqlite must not open transactions for us.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    # Take SQLite's write lock when the transaction starts: two writers then queue up
    # instead of deadlocking on a read-then-write upgrade, and a move always sees the
    # row as the previous writer left it.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _drop_dead_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """An idle pooled connection has nothing to read. If its socket is readable, the server
    has sent it a goodbye (a restart's AdminShutdown, a terminated backend) or closed it:
    the pool then opens a fresh one. One non-blocking syscall, no round trip, so nothing
    like a pre-ping's cost per request, and no user action fails after a database restart."""
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        readable = [True]
    if readable:
        raise DisconnectionError("the server closed this pooled connection")


def _create_engine(url: str, **options: Any) -> Engine:
    # Looked up when called: OpenTelemetry's SQLAlchemy instrumentation (tracing.py)
    # wraps sqlalchemy.engine.create_engine once traces are configured.
    return sqlalchemy.engine.create_engine(url, **options)


def session_options(statement_timeout_ms: int | None = None) -> str:
    """The settings every PostgreSQL connection of the app starts with (libpq's
    ``options``); the benchmarks' raw-SQL floors take them too, or their ratios would lie.
    TimeZone by the name "UTC" (servers often default to "Etc/UTC", the same clock): for it
    psycopg loads a timestamp with the fixed UTC offset, not a zoneinfo lookup per value
    (60 timestamps: 12 us against 44; API reads 3-4 % less CPU in process)."""
    options = f"-c TimeZone=UTC -c random_page_cost={settings.pg_random_page_cost}"
    if statement_timeout_ms:
        options += f" -c statement_timeout={statement_timeout_ms}"
    return options


def make_engine(
    url: str, *, statement_timeout_ms: int | None = None, pool_size: int = 10
) -> Engine:
    if url.startswith("sqlite"):
        engine = _create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_immediate)
        tenant_scope.install(engine)
        db_timing.install(engine)
        return engine
    # No pre-ping: it costs a round trip per transaction; recycle, and drop connections
    # the server has already closed (above) instead of testing each one.
    options = session_options(statement_timeout_ms)
    engine = _create_engine(
        url,
        pool_size=pool_size,
        max_overflow=2 * pool_size,
        pool_recycle=1800,
        connect_args={"options": options},
    )
    event.listen(engine, "checkout", _drop_dead_connection)
    tenant_scope.install(engine)
    db_timing.install(engine)
    return engine


def configure(url: str) -> Engine:
    """Point the app at a database: WFM_DATABASE_URL on first use, or another one (tests,
    benchmarks)."""
    global _engine, _api_engine
    for old in (_engine, _api_engine):
        if old is not None:
            old.dispose()
    _engine, _api_engine = make_engine(url), None
    return _engine


def get_engine() -> Engine:
    if _engine is None:
        with _first_use:  # threads that start at once make one engine between them
            if _engine is None:
                return configure(settings.database_url)
    assert _engine is not None
    return _engine


def _api_bound_engine() -> Engine:
    """API work runs on connections whose statements PostgreSQL stops after
    WFM_API_STATEMENT_TIMEOUT_MS (set per connection: no extra statement per request). API
    executions are bounded by their threads, so a small pool serves them."""
    global _api_engine
    engine = get_engine()
    if engine.dialect.name != "postgresql" or not settings.api_statement_timeout_ms:
        return engine
    if _api_engine is None:
        _api_engine = make_engine(
            engine.url.render_as_string(hide_password=False),
            statement_timeout_ms=settings.api_statement_timeout_ms,
            pool_size=4,
        )
    return _api_engine


@contextmanager
def api_statements() -> Iterator[None]:
    """Units of work opened inside run under the API's statement timeout."""
    token = _in_api.set(True)
    try:
        yield
    finally:
        _in_api.reset(token)


def _cancelled(error: OperationalError) -> bool:
    return getattr(error.orig, "sqlstate", None) == "57014"  # query_canceled


@dataclass
class UnitOfWork:
    session: Session
    # the organization its transaction acts in (PostgreSQL's policies read it once)
    org_id: uuid.UUID = field(default_factory=current_org_id)
    definitions_changed: bool = False
    _after_commit: list[Callable[[], None]] = field(default_factory=list)

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """Yield the current unit of work, opening (and committing) one if none is open."""
    outer = _current.get()
    if outer is not None:
        if outer.org_id != current_org_id():
            # its transaction told row-level security another organization: refuse
            # rather than read one organization's rows while filtering for another
            raise RuntimeError("A unit of work cannot change organization halfway.")
        yield outer
        return
    engine = _api_bound_engine() if _in_api.get() else get_engine()
    with Session(engine, expire_on_commit=False) as session:
        uow = UnitOfWork(session=session)
        token = _current.set(uow)
        try:
            yield uow
            session.commit()
        except IntegrityError as exc:
            # Services check constraints first with a clear sentence; reaching this means
            # someone else saved a clashing change between our check and our write.
            session.rollback()
            raise Conflict(
                "That clashes with a change someone else just saved; reload and try again."
            ) from exc
        except OperationalError as exc:
            session.rollback()
            if _cancelled(exc):
                seconds = settings.api_statement_timeout_ms / 1000
                raise TimedOut(
                    f"This request took longer than {seconds:g} s and was stopped: ask for "
                    "less at once (a shorter range, fewer records or fields)."
                ) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            _current.reset(token)
    for callback in uow._after_commit:
        callback()


def current_unit_of_work() -> UnitOfWork | None:
    return _current.get()


@contextmanager
def separate_unit_of_work() -> Iterator[UnitOfWork]:
    """A transaction of its own beside an open one (an import's progress, visible while
    the import's own transaction is still open). PostgreSQL only: SQLite has one writer."""
    token = _current.set(None)
    try:
        with unit_of_work() as uow:
            yield uow
    finally:
        _current.reset(token)
