"""Changes to cards, announced from the transaction that made them, for live boards.

On PostgreSQL a change is a ``NOTIFY wfm_changes`` sent inside the transaction: the
server delivers it to every listening app process only if and when the transaction
commits (never for a rollback), in commit order, whichever process or path (board,
GraphQL, automation, worker) made it. Chosen over an outbox table read after commit: no
polling, no extra table to clean, and a listener that was down has nothing to catch up
on, since a board it did not serve was not open. On SQLite (one process) the change is
handed to this process's subscribers after commit.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass

import orjson
import psycopg
from psycopg.pq.abc import PGconn
from sqlalchemy import func, select
from sqlmodel import Session

from wfm_app.db import current_unit_of_work
from wfm_app.engine.definitions import DEFINITIONS_CHANNEL
from wfm_app.tenancy import current_org_id

log = logging.getLogger(__name__)

CHANNEL = "wfm_changes"
_DEFINITIONS_CHANNEL_BYTES = DEFINITIONS_CHANNEL.encode()  # as libpq names a notice's channel


@dataclass(frozen=True, slots=True)
class Change:
    op: str  # created | updated | moved | deleted
    entity_type: str
    entity_id: str
    workflow_id: str
    owner_id: str | None  # the owner now (before, for a deletion)
    previous_owner_id: str | None  # the owner before the change
    from_step_id: str | None
    to_step_id: str | None
    # who it is assigned to now and before (they see it like its owner)
    assignee_id: str | None = None
    previous_assignee_id: str | None = None
    # whose card: only that organization's boards hear of it
    org_id: str = ""

    def to_json(self) -> str:
        return orjson.dumps(asdict(self)).decode()

    @classmethod
    def from_json(cls, text: str | bytes) -> Change:
        return cls(**orjson.loads(text))


def change(
    op: str,
    entity_type: str,
    entity_id: uuid.UUID,
    workflow_id: uuid.UUID,
    owner_id: uuid.UUID | None,
    *,
    previous_owner_id: uuid.UUID | None = None,
    from_step_id: uuid.UUID | None = None,
    to_step_id: uuid.UUID | None = None,
    assignee_id: uuid.UUID | None = None,
    previous_assignee_id: str | None = None,
) -> Change:
    """``previous_assignee_id``: from ``before()``; None when the assignee did not change."""

    def text(value: uuid.UUID | None) -> str | None:
        return str(value) if value is not None else None

    return Change(
        op,
        entity_type,
        str(entity_id),
        str(workflow_id),
        text(owner_id),
        text(previous_owner_id if previous_owner_id is not None else owner_id),
        text(from_step_id),
        text(to_step_id),
        text(assignee_id),
        previous_assignee_id if previous_assignee_id is not None else text(assignee_id),
        str(current_org_id()),
    )


NOBODY = "nobody"  # "assigned to nobody before", as opposed to "unchanged" (None)


def before(person: uuid.UUID | None) -> str:
    """Who had it before a change, as a change says so (see ``NOBODY``)."""
    return str(person) if person else NOBODY


_subscribers: list[Callable[[Change], None]] = []


def subscribe(callback: Callable[[Change], None]) -> None:
    """Called with every change this process hears of (on SQLite: makes)."""
    _subscribers.append(callback)


def unsubscribe(callback: Callable[[Change], None]) -> None:
    if callback in _subscribers:
        _subscribers.remove(callback)


def _publish(announced: Change) -> None:
    for callback in list(_subscribers):
        try:
            callback(announced)
        except Exception:  # a broken subscriber must not fail the write that announced
            log.exception("live change subscriber failed")


def announce(session: Session, announced: Change) -> None:
    """Inside the writing transaction: delivered only if it commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_notify(CHANNEL, announced.to_json())))
        return
    uow = current_unit_of_work()
    if uow is not None:
        uow.after_commit(lambda: _publish(announced))


async def listen(
    dsn: str, definitions_changed: Callable[[], None], retry_seconds: float = 1.0
) -> None:
    """Hand every change announced on PostgreSQL to this process's subscribers, and call
    ``definitions_changed`` when another process changed workflow definitions, for as
    long as the process runs; reconnects after the server restarts (and then drops its
    definitions, since it may have missed a change)."""
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                await conn.execute(f"LISTEN {DEFINITIONS_CHANNEL}")
                definitions_changed()
                await _hear_until_lost(conn.pgconn, definitions_changed)
        except psycopg.OperationalError as error:
            log.warning("change listener lost its connection (%s); reconnecting", error)
            await asyncio.sleep(retry_seconds)


async def _hear_until_lost(pgconn: PGconn, definitions_changed: Callable[[], None]) -> None:
    """Read notifications whenever the connection's socket is readable, with one reader
    registered for the connection's life. psycopg's ``notifies()`` registers a reader and
    a timer and removes both for every batch: with moves made one at a time, that was
    about half of what each move's announcement cost every serving process's event loop.
    Returns only by raising OperationalError, when the connection is lost."""
    loop = asyncio.get_running_loop()
    lost: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        try:
            pgconn.consume_input()
        except psycopg.OperationalError as error:
            if not lost.done():
                lost.set_exception(error)
            return
        while (notice := pgconn.notifies()) is not None:
            _heard(notice.relname, notice.extra, definitions_changed)

    socket = pgconn.socket
    loop.add_reader(socket, readable)
    try:
        readable()  # anything that arrived with the LISTEN commands' answers
        await lost
    finally:
        loop.remove_reader(socket)


def _heard(channel: bytes, payload: bytes, definitions_changed: Callable[[], None]) -> None:
    if channel == _DEFINITIONS_CHANNEL_BYTES:
        definitions_changed()
        return
    try:
        _publish(Change.from_json(payload))
    except (TypeError, ValueError):
        log.warning("ignored a malformed change: %.200r", payload)
