"""The parallel-branch types (PipeCD's names): a branch a workflow's step opens, and a
card's instance of it. Split from types.py, which refers to them lazily."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from wfm_app.api.graphql.prefetch import Later
from wfm_app.api.graphql.types import (
    GqlInfo,
    User,
    WFMProject,
    WFMWorkflow,
    WFMWorkflowStep,
    _project,
    _step,
    _user,
    workflow,
)
from wfm_app.engine.branches.reading import BranchInstanceRead
from wfm_app.engine.schemas import BranchRead


@strawberry.type(name="WFMWorkflowBranch")
class WFMWorkflowBranch:
    _read: strawberry.Private[BranchRead]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field
    def name(self) -> str:
        return self._read.name

    @strawberry.field(name="branch_name")
    def branch_name(self) -> str:
        return self._read.name

    @strawberry.field
    def parent_workflow_id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.workflow_id))

    @strawberry.field
    def step(self) -> WFMWorkflowStep | None:
        return _step(self._read.workflow_id, self._read.step_id)

    @strawberry.field(description="Roles whose holders may approve or reject it.")
    def allowed_roles(self) -> list[str]:
        return list(self._read.allowed_roles)

    @strawberry.field(description="all_approved or any_approved")
    def merge_mode(self) -> str:
        return self._read.mode

    @strawberry.field(description="The steps whose moves wait on it; null: every later step.")
    def gates_steps(self) -> list[WFMWorkflowStep] | None:
        if self._read.to_step_ids is None:
            return None
        found = [_step(self._read.workflow_id, step_id) for step_id in self._read.to_step_ids]
        return [step for step in found if step]

    @strawberry.field(description="As stored: {mode, to_step_ids}.")
    def merge_condition(self) -> JSON:
        gates = self._read.to_step_ids
        condition: dict[str, Any] = {"mode": self._read.mode}
        if gates is not None:
            condition["to_step_ids"] = [str(step_id) for step_id in gates]
        return JSON(condition)

    @strawberry.field(description="Its own workflow; null: Pending -> Approved / Rejected.")
    def branch_workflow(self) -> WFMWorkflow | None:
        own = self._read.branch_workflow_id
        return workflow(own) if own else None

    @strawberry.field
    def position(self) -> int:
        return self._read.position


@strawberry.type(name="WFMBranchInstance")
class WFMBranchInstance:
    _read: strawberry.Private[BranchInstanceRead]

    @strawberry.field
    def branch(self) -> WFMWorkflowBranch:
        return WFMWorkflowBranch(_read=self._read.branch)

    @strawberry.field(description="pending, approved or rejected")
    def state(self) -> str:
        return self._read.state

    @strawberry.field(description="Where it stands on the branch's own workflow, if any.")
    def step_name(self) -> str | None:
        return self._read.step_name

    @strawberry.field(description="False once the card left the step.")
    def is_open(self) -> bool:
        return self._read.is_open

    @strawberry.field(graphql_type=User | None)
    def acted_by(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._read.acted_by_user_id)

    @strawberry.field
    def acted_at(self) -> datetime | None:
        return self._read.acted_at

    @strawberry.field
    def comment(self) -> str | None:
        return self._read.comment

    @strawberry.field(graphql_type=WFMProject | None)
    def project(self, info: GqlInfo) -> Later[WFMProject | None]:
        return _project(info, self._read.project_id)
