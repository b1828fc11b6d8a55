"""Opening and closing a card's branch instances as it moves, and holding back a move
that still waits on some (gate.py).

Everything runs in the move's transaction under the project's row lock, so an approval
(decisions.py takes the same lock) and a move of the same card never interleave. A step
without branches costs a move no query at all: the definitions cache knows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from wfm_app.engine import definitions
from wfm_app.engine.branches import gate
from wfm_app.engine.branches.models import WfmBranchInstance
from wfm_app.engine.schemas import BranchRead, StepRead, WorkflowGraph
from wfm_app.errors import ConditionFailed
from wfm_app.sqltypes import table_of, utc_now

_instances = table_of(WfmBranchInstance)


def pending(branch: BranchRead, now: datetime) -> dict[str, Any]:
    """An instance's columns when it (re)opens: pending, on its own workflow's initial
    step if it has one, nobody's decision yet."""
    initial = (
        definitions.graph(branch.branch_workflow_id).initial_step
        if branch.branch_workflow_id
        else None
    )
    return {
        "state": "pending",
        "branch_step_id": initial.id if initial else None,
        "is_open": True,
        "opened_at": now,
        "acted_by_user_id": None,
        "acted_at": None,
        "comment": None,
    }


def open_new(
    session: Session,
    project_ids: Sequence[uuid.UUID],
    branches: Sequence[BranchRead],
    kept: dict[tuple[uuid.UUID, str], dict[str, Any]] | None = None,
) -> None:
    """Insert a pending instance per card and branch (``kept``: the state to keep instead,
    by card and branch name), in one statement."""
    now = utc_now()
    rows = [
        {"id": uuid.uuid4(), "wfm_project_id": project_id, "branch_id": branch.id}
        | pending(branch, now)
        | (kept or {}).get((project_id, branch.name), {})
        for project_id in project_ids
        for branch in branches
    ]
    if rows:
        session.execute(insert(_instances), rows)


def _close(
    session: Session, project_ids: Sequence[uuid.UUID], branches: Sequence[BranchRead]
) -> None:
    session.execute(
        update(_instances)
        .where(
            _instances.c.wfm_project_id.in_(project_ids),
            _instances.c.branch_id.in_([b.id for b in branches]),
        )
        .values(is_open=False)
    )


def check_gate(
    session: Session,
    graph: WorkflowGraph,
    project_id: uuid.UUID,
    from_step_id: uuid.UUID,
    target: StepRead,
) -> None:
    """ConditionFailed naming the branches a move still waits on, if any."""
    waiting_on = gate.gating(graph, from_step_id, target)
    if not waiting_on:
        return
    states = dict(
        session.execute(
            select(_instances.c.branch_id, _instances.c.state).where(
                _instances.c.wfm_project_id == project_id,
                _instances.c.branch_id.in_([b.id for b in waiting_on]),
                _instances.c.is_open,
            )
        ).all()
    )
    missing = gate.unmet(waiting_on, states)
    if missing:
        message = gate.sentence(missing, states, target)
        unmet = [{"field": f"branch:{b.id}", "label": b.name, "message": message} for b in missing]
        raise ConditionFailed(message, unmet)


def left(
    session: Session, graph: WorkflowGraph, project_id: uuid.UUID, step_id: uuid.UUID | None
) -> None:
    """The card left ``step_id``: its branches there close (their decisions are kept)."""
    here = graph.branches_on(step_id)
    if here:
        _close(session, [project_id], here)


def entered(
    session: Session, graph: WorkflowGraph, project_id: uuid.UUID, step_id: uuid.UUID | None
) -> None:
    """The card entered ``step_id``: one pending instance per branch there (reopened and
    reset if the card was here before; the earlier decision stays in the actions)."""
    here = graph.branches_on(step_id)
    if not here:
        return
    known = set(
        session.scalars(
            select(_instances.c.branch_id).where(
                _instances.c.wfm_project_id == project_id,
                _instances.c.branch_id.in_([b.id for b in here]),
            )
        ).all()
    )
    now = utc_now()
    for branch in here:
        if branch.id in known:
            session.execute(
                update(_instances)
                .where(
                    _instances.c.wfm_project_id == project_id,
                    _instances.c.branch_id == branch.id,
                )
                .values(**pending(branch, now))
            )
    open_new(session, [project_id], [b for b in here if b.id not in known])


def migrated(
    session: Session,
    source: WorkflowGraph,
    target: WorkflowGraph,
    project_ids: list[uuid.UUID],
    from_step_id: uuid.UUID,
    to_step_id: uuid.UUID,
) -> None:
    """Cards moved to another version's step (card_migration.py): the branches there
    open, keeping the state of the branch of the same name they had (a new version's
    branches are copies), and the old version's close."""
    old, new = source.branches_on(from_step_id), target.branches_on(to_step_id)
    if not new and not old:
        return
    kept: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}
    if old:
        names = {b.id: b.name for b in old}
        rows = session.execute(
            select(_instances).where(
                _instances.c.wfm_project_id.in_(project_ids),
                _instances.c.branch_id.in_(list(names)),
                _instances.c.is_open,
            )
        ).all()
        for row in rows:
            kept[(row.wfm_project_id, names[row.branch_id])] = {
                "state": row.state,
                "acted_by_user_id": row.acted_by_user_id,
                "acted_at": row.acted_at,
                "comment": row.comment,
            }
        _close(session, project_ids, old)
    open_new(session, project_ids, new, kept)
