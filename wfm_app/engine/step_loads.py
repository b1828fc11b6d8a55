"""How many active cards a WIP-limited step holds, exact and O(1) to read.

Counting a step's cards under the move's lock made a move onto a WIP-limited step cost
O(cards on the step) (~140,000 at 10^6 projects). Instead ``wfm_step_loads`` holds a row
per step with a WIP limit, and database triggers on ``wfm_projects`` (migration 0013) keep
every row exact in the same transaction as whatever changed the projects: moves, new and
deleted cards, card migration, SQL run by hand.

A step gets its row when it gets its limit (``start``, in the admin's transaction: one
count while the projects' writers wait) and loses it with the limit (``stop``). A move
locks the rows of both its ends, in step id order, before it writes the project, so the
triggers only write rows the move already holds: moves in opposite directions cannot
deadlock, and no writer waits for a row while the limit's count waits for the writers.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from typing import Any

from psycopg.errors import LockNotAvailable
from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from wfm_app.engine import step_settings
from wfm_app.engine.models import StepLoad, WfmProject, WorkflowStep
from wfm_app.errors import Conflict
from wfm_app.hot_statements import Prepared
from wfm_app.sqltypes import among_parameter, table_of

_loads: Table = table_of(StepLoad)
_projects: Table = table_of(WfmProject)
_steps: Table = table_of(WorkflowStep)


def _count(session: Session, step_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
    counts = dict.fromkeys(step_ids, 0)
    rows = session.execute(
        select(_projects.c.current_step_id, func.count())
        .where(_projects.c.current_step_id.in_(step_ids), _projects.c.is_active.is_(True))
        .group_by(_projects.c.current_step_id)
    ).all()
    counts.update({step_id: int(n) for step_id, n in rows})
    return counts


def _hold_projects_still(session: Session) -> None:
    """Wait for the moves and writes of projects in flight, and hold new ones back until
    this transaction ends (PostgreSQL; SQLite has one writer at a time anyway). EXCLUSIVE
    also waits for a move's ``FOR UPDATE`` of its card, which comes before it locks the
    rows of its steps: no move can miss a row this transaction makes. Reads go on."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("SET LOCAL lock_timeout = '5s'"))
    try:
        session.execute(text("LOCK TABLE wfm_projects IN EXCLUSIVE MODE"))
    except OperationalError as error:
        if isinstance(error.orig, LockNotAvailable):
            raise Conflict("Cards are moving all the time right now; save it again.") from None
        raise


def start(session: Session, step_ids: Collection[uuid.UUID], *, new: bool = False) -> None:
    """Keep these steps' loads from now on (they have just been given a WIP limit).
    ``new``: steps made in this transaction, which no card can be on yet."""
    have = set(
        session.execute(select(_loads.c.step_id).where(_loads.c.step_id.in_(step_ids))).scalars()
    )
    missing = [step_id for step_id in step_ids if step_id not in have]
    if not missing:
        return
    if not new:
        _hold_projects_still(session)
    counts = dict.fromkeys(missing, 0) if new else _count(session, missing)
    session.execute(
        insert(_loads), [{"step_id": step_id, "active_cards": n} for step_id, n in counts.items()]
    )


def start_copied(session: Session, steps: Collection[Mapping[str, Any]]) -> None:
    """Keep the loads of the WIP-limited ones of these steps just copied (no cards yet)."""
    limited = [s["id"] for s in steps if step_settings.wip_limit_in(s["metadata"]) is not None]
    start(session, limited, new=True)


def stop(session: Session, step_ids: Collection[uuid.UUID]) -> None:
    """No longer keep these steps' loads (their WIP limits are gone)."""
    if step_ids:
        session.execute(delete(_loads).where(_loads.c.step_id.in_(step_ids)))


def read(session: Session, step_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Active cards on each of these WIP-limited steps, everyone's."""
    if not step_ids:
        return {}
    found = dict(
        session.execute(
            select(_loads.c.step_id, _loads.c.active_cards).where(_loads.c.step_id.in_(step_ids))
        ).all()
    )
    missing = [step_id for step_id in step_ids if step_id not in found]
    return {**found, **(_count(session, missing) if missing else {})}


# Built and compiled once and run on psycopg (hot_statements.py), the ids as one array:
# through SQLAlchemy, with an IN list expanded per call, this locking read of two rows took
# 0.97 ms in one transaction, 0.24-0.33 ms this way.
_locking_reads = Prepared()


def _locking_read(dialect: str) -> Any:
    return (
        select(_loads.c.step_id, _loads.c.active_cards)
        .where(among_parameter(dialect, _loads.c.step_id, "ids"))
        .order_by(_loads.c.step_id)
        .with_for_update()
    )


def lock(
    session: Session, counted: Collection[uuid.UUID], touched: Collection[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """The loads of the ``counted`` (WIP-limited) steps of a move, with the rows of all
    the ``touched`` steps (both ends) locked until the transaction ends, in step id order.
    The move holds its card ``FOR UPDATE`` already, so a limit being given (``start``)
    waits for it: no row appears between these locks and the triggers' writes. A limited
    step without a row (a limit written by hand) is counted under its step's lock."""
    ids = sorted(set(counted) | set(touched))
    dialect = session.get_bind().dialect.name
    _keys, rows = _locking_reads.get(dialect, lambda: _locking_read(dialect)).all(
        session, {"ids": ids}
    )
    found = dict(rows)
    loads = {step_id: int(n) for step_id, n in found.items() if step_id in counted}
    for step_id in sorted(set(counted) - set(found)):
        session.execute(select(_steps.c.id).where(_steps.c.id == step_id).with_for_update())
        loads.update(_count(session, [step_id]))
    return loads
