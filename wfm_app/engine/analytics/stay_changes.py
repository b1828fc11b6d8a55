"""Which cards' stays changed, and in which transaction: the feed the analytics frames
(frame.py) refresh from instead of rereading a workflow's whole history.

PostgreSQL triggers (migration 0033) add a row per card whose stays a statement changed:
a history row written or removed, a card created, deleted, moved or migrated. Each row
carries its transaction's id. A reader remembers the oldest transaction still running when
it last read (its snapshot's ``xmin``); every change it has not seen yet comes from that
transaction or a later one, so the next read asks for rows from it on. Rows are kept for
``KEPT``; a frame not refreshed within ``STALE_AFTER`` (well inside it) is rebuilt whole.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, Index, delete, text
from sqlmodel import Field, Session, SQLModel

from wfm_app.db import unit_of_work
from wfm_app.sqltypes import timestamp_field, utc_now
from wfm_app.tenancy import OrgOwned, org_field

KEPT = timedelta(hours=1)
STALE_AFTER = timedelta(minutes=10)


class StayChange(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_stay_changes"
    __table_args__ = (Index("idx_wfm_stay_changes_xid", "org_id", "xid"),)

    org_id: uuid.UUID = org_field()
    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    project_id: uuid.UUID  # no foreign key: a deleted card's change is the news
    xid: int = Field(sa_type=BigInteger)  # the writing transaction's id
    at: datetime = timestamp_field()


def horizon(session: Session) -> int:
    """The oldest transaction still running for this session's snapshot: every change
    this snapshot does not show comes from it or a later one."""
    found = session.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text"))
    return int(found.scalar_one())


def changes(session: Session, since: int) -> tuple[int, list[uuid.UUID]]:
    """The horizon now, and the cards whose stays changed in transactions from ``since``
    on, read in one statement: one snapshot for both."""
    query = text(
        "SELECT pg_snapshot_xmin(pg_current_snapshot())::text, array(SELECT DISTINCT "
        "project_id FROM wfm_stay_changes WHERE xid >= :since)"
    )
    now, changed = session.execute(query, {"since": since}).one()
    return int(now), list(changed)


def prune(now: datetime | None = None) -> int:
    """Forget changes older than KEPT (the worker's round, per organization)."""
    cutoff = (now or utc_now()) - KEPT
    table = StayChange.__table__  # type: ignore[attr-defined]
    with unit_of_work() as uow:
        if uow.session.get_bind().dialect.name != "postgresql":
            return 0
        result = uow.session.execute(delete(table).where(table.c.at < cutoff))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
