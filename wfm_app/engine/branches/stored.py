"""Branches as stored, read for the definitions cache (engine/definitions.py), which the
rest of the engine reads them from."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlmodel import Session, col

from wfm_app.engine.branches.models import WorkflowBranch
from wfm_app.engine.schemas import BranchRead


def branch_read(row: WorkflowBranch) -> BranchRead:
    merge = row.merge_condition or {}
    gates = merge.get("to_step_ids")
    return BranchRead(
        id=row.id,
        workflow_id=row.parent_workflow_id,
        step_id=row.workflow_step_id,
        name=row.branch_name,
        allowed_roles=tuple(row.allowed_roles or ()),
        mode=str(merge.get("mode") or "all_approved"),
        to_step_ids=tuple(uuid.UUID(s) for s in gates) if gates is not None else None,
        branch_workflow_id=row.branch_workflow_id,
        position=row.position,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def load_all(session: Session, workflow_id: uuid.UUID) -> tuple[BranchRead, ...]:
    """For the definitions cache (engine/definitions.py)."""
    rows = session.scalars(
        select(WorkflowBranch)
        .where(col(WorkflowBranch.parent_workflow_id) == workflow_id)
        .order_by(col(WorkflowBranch.position), col(WorkflowBranch.branch_name))
    ).all()
    return tuple(branch_read(row) for row in rows)
