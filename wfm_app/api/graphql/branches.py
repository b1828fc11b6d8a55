"""Parallel branches over GraphQL: a step's branches, a card's branch instances, acting
on one (people with the branch's role) and defining them (admins). Each resolver is
one call of engine/branches."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from wfm_app.api.graphql import inputs as gin
from wfm_app.api.graphql.common import actor_of, deleted, id_of
from wfm_app.api.graphql.types import (
    DeleteResponse,
    GqlInfo,
    User,
    WFMProject,
    WFMWorkflow,
    WFMWorkflowStep,
    _step,
    _user,
    workflow,
)
from wfm_app.engine.branches import admin, decisions
from wfm_app.engine.branches.admin import BranchCreate, BranchUpdate
from wfm_app.engine.branches.reading import BranchInstanceRead
from wfm_app.engine.schemas import BranchRead, parse


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
        condition = {"mode": self._read.mode}
        if gates is not None:
            condition["to_step_ids"] = [str(step_id) for step_id in gates]  # type: ignore[assignment]
        return condition  # type: ignore[return-value]

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

    @strawberry.field
    async def acted_by(self, info: GqlInfo) -> User | None:
        return await _user(info, self._read.acted_by_user_id)

    @strawberry.field
    def acted_at(self) -> datetime | None:
        return self._read.acted_at

    @strawberry.field
    def comment(self) -> str | None:
        return self._read.comment

    @strawberry.field
    async def project(self, info: GqlInfo) -> WFMProject | None:
        found = await info.context.projects.load(self._read.project_id)
        return WFMProject(_read=found) if found else None


@strawberry.input(name="CreateWFMWorkflowBranchInput")
class CreateWFMWorkflowBranchInput:
    workflow_step_id: strawberry.ID
    name: str
    allowed_roles: list[str]
    merge_mode: str | None = strawberry.UNSET
    gates_step_ids: list[strawberry.ID] | None = strawberry.UNSET
    branch_workflow_id: strawberry.ID | None = strawberry.UNSET
    position: int | None = strawberry.UNSET


@strawberry.input(name="UpdateWFMWorkflowBranchInput")
class UpdateWFMWorkflowBranchInput:
    name: str | None = strawberry.UNSET
    allowed_roles: list[str] | None = strawberry.UNSET
    merge_mode: str | None = strawberry.UNSET
    gates_step_ids: list[strawberry.ID] | None = strawberry.UNSET
    branch_workflow_id: strawberry.ID | None = strawberry.UNSET
    position: int | None = strawberry.UNSET


@strawberry.type
class BranchMutations:
    @strawberry.mutation(name="actOnWFMBranch")
    def act_on_wfm_branch(
        self,
        info: GqlInfo,
        project_id: strawberry.ID,
        branch_id: strawberry.ID,
        action: str,
        comment: str | None = None,
    ) -> WFMBranchInstance:
        done = decisions.act(
            actor_of(info),
            id_of(project_id, "project"),
            id_of(branch_id, "branch"),
            action,
            comment,
        )
        return WFMBranchInstance(_read=done)

    @strawberry.mutation(name="createWFMWorkflowBranch")
    def create_wfm_workflow_branch(
        self, info: GqlInfo, input: CreateWFMWorkflowBranchInput
    ) -> WFMWorkflowBranch:
        values = {k: v for k, v in gin.given(input).items() if v is not None}
        return WFMWorkflowBranch(_read=admin.create(actor_of(info), parse(BranchCreate, values)))

    @strawberry.mutation(name="updateWFMWorkflowBranch")
    def update_wfm_workflow_branch(
        self, info: GqlInfo, id: strawberry.ID, input: UpdateWFMWorkflowBranchInput
    ) -> WFMWorkflowBranch:
        data = parse(BranchUpdate, gin.given(input))
        return WFMWorkflowBranch(_read=admin.update(actor_of(info), id_of(id, "branch"), data))

    @strawberry.mutation(name="deleteWFMWorkflowBranch")
    def delete_wfm_workflow_branch(self, info: GqlInfo, id: strawberry.ID) -> DeleteResponse:
        actor, branch_id = actor_of(info), id_of(id, "branch")
        success, message = deleted(lambda: admin.delete_branch(actor, branch_id))
        return DeleteResponse(success=success, message=message)
