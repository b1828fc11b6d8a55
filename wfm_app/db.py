"""The database engine and the unit of work: one transaction per user action.

Service functions open ``with unit_of_work() as uow:``. A service called from inside
another service's unit of work joins it, so an entity flow (create the deal, its WFM
project and the link) commits once or not at all.
"""

from __future__ import annotations

import contextvars
import select
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, IntegrityError
from sqlmodel import Session, create_engine

from wfm_app.engine.errors import Conflict
from wfm_app.settings import settings

_engine: Engine | None = None
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


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    # No pre-ping: it costs a round trip per transaction; recycle, and drop connections
    # the server has already closed (above) instead of testing each one.
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_recycle=1800,
        connect_args={"options": f"-c random_page_cost={settings.pg_random_page_cost}"},
    )
    event.listen(engine, "checkout", _drop_dead_connection)
    return engine


def configure(url: str) -> Engine:
    """Point the app at another database (tests, the CLI's --database-url)."""
    global _engine
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url)
    return _engine


def get_engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = make_engine(settings.database_url)
    return _engine


@dataclass
class UnitOfWork:
    session: Session
    definitions_changed: bool = False
    _after_commit: list[Callable[[], None]] = field(default_factory=list)

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """Yield the current unit of work, opening (and committing) one if none is open."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    with Session(get_engine(), expire_on_commit=False) as session:
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
        except BaseException:
            session.rollback()
            raise
        finally:
            _current.reset(token)
    for callback in uow._after_commit:
        callback()


def current_unit_of_work() -> UnitOfWork | None:
    return _current.get()
