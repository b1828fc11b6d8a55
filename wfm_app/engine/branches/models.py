"""Parallel branches on a step (the spec's planned ``workflow_branches``), the branch
instances a card opens when it enters that step, and every action taken on them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from wfm_app.sqltypes import JsonDocument, UtcDateTime, timestamp_field
from wfm_app.tenancy import OrgOwned, org_field


class WorkflowBranch(SQLModel, OrgOwned, table=True):
    """A branch that runs beside the others while a card is on ``workflow_step_id``.

    ``merge_condition``: ``{"mode": "all_approved" | "any_approved", "to_step_ids":
    [...]}``: which moves out of the step wait on this branch (by default every move to
    a later step that is not a LOST outcome) and how it counts with the step's other
    branches (see engine/branches/gate.py)."""

    __tablename__ = "workflow_branches"
    __table_args__ = (
        UniqueConstraint("workflow_step_id", "branch_name", name="uq_workflow_branch_name"),
        Index("idx_workflow_branches_workflow", "parent_workflow_id"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    parent_workflow_id: uuid.UUID = Field(foreign_key="workflows.id", ondelete="CASCADE")
    workflow_step_id: uuid.UUID = Field(foreign_key="workflow_steps.id", ondelete="CASCADE")
    branch_name: str = Field(sa_type=Text)
    merge_condition: dict[str, Any] | None = Field(default=None, sa_type=JsonDocument)
    # Roles whose holders may act on it (any of them).
    allowed_roles: list[str] | None = Field(default=None, sa_type=JsonDocument)
    # Its own short workflow; NULL: Pending -> Approved / Rejected.
    branch_workflow_id: uuid.UUID | None = Field(
        default=None, foreign_key="workflows.id", ondelete="SET NULL"
    )
    position: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class WfmBranchInstance(SQLModel, OrgOwned, table=True):
    """One branch of one card: opened (pending) when the card enters the step, closed
    when it leaves, reopened (pending again) when it comes back."""

    __tablename__ = "wfm_branch_instances"
    __table_args__ = (
        UniqueConstraint("wfm_project_id", "branch_id", name="uq_branch_instance"),
        # "Waiting on me": the open, pending instances of some branches.
        Index("idx_branch_instances_waiting", "branch_id", "is_open", "state"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    wfm_project_id: uuid.UUID = Field(foreign_key="wfm_projects.id", ondelete="CASCADE")
    branch_id: uuid.UUID = Field(foreign_key="workflow_branches.id", ondelete="CASCADE")
    state: str = Field(default="pending", sa_type=Text)  # pending | approved | rejected
    # Where it stands on the branch's own workflow, if it has one.
    branch_step_id: uuid.UUID | None = Field(
        default=None, foreign_key="workflow_steps.id", ondelete="SET NULL"
    )
    is_open: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})
    opened_at: datetime = timestamp_field()
    acted_by_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    acted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    comment: str | None = Field(default=None, sa_type=Text)


class WfmBranchAction(SQLModel, OrgOwned, table=True):
    """Who did what to a branch, and when: the branch's history."""

    __tablename__ = "wfm_branch_actions"
    __table_args__ = (Index("idx_branch_actions_project", "wfm_project_id", "acted_at"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    wfm_project_id: uuid.UUID = Field(foreign_key="wfm_projects.id", ondelete="CASCADE")
    branch_id: uuid.UUID = Field(foreign_key="workflow_branches.id", ondelete="CASCADE")
    action: str = Field(sa_type=Text)  # approve, reject, or a step of the branch's workflow
    state: str = Field(sa_type=Text)  # the branch's state after it
    acted_by_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    acted_at: datetime = timestamp_field()
    comment: str | None = Field(default=None, sa_type=Text)
