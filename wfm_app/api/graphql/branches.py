"""Parallel branches over GraphQL: a step's branches, a card's branch instances, acting
on one (people with the branch's role) and defining them (admins). Each resolver is
one call of engine/branches."""

from __future__ import annotations

import strawberry

from wfm_app.api.graphql import inputs as gin
from wfm_app.api.graphql.branch_types import WFMBranchInstance, WFMWorkflowBranch
from wfm_app.api.graphql.common import actor_of, deleted, id_of
from wfm_app.api.graphql.responses import DeleteResponse
from wfm_app.api.graphql.types import GqlInfo
from wfm_app.engine.branches import admin, decisions
from wfm_app.engine.branches.admin import BranchCreate, BranchUpdate
from wfm_app.engine.inputs import parse


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
