"""Query and Mutation with the spec's operation names; each resolver calls one service."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import strawberry
from strawberry.schema.config import StrawberryConfig

from wfm_app.api.graphql import inputs as gin
from wfm_app.api.graphql.analytics import AnalyticsQueries
from wfm_app.api.graphql.automation import AutomationMutations, AutomationQueries
from wfm_app.api.graphql.branches import BranchMutations
from wfm_app.api.graphql.bulk import BulkMutations
from wfm_app.api.graphql.comments import CommentMutations
from wfm_app.api.graphql.common import LENIENT_DATE
from wfm_app.api.graphql.common import actor_of as _actor
from wfm_app.api.graphql.common import deleted as _deleted
from wfm_app.api.graphql.common import id_of as _id
from wfm_app.api.graphql.conversion import ConversionMutations
from wfm_app.api.graphql.custom_fields import CustomFieldMutations, CustomFieldQueries
from wfm_app.api.graphql.direct import resolve_directly
from wfm_app.api.graphql.entity_ops import EntityMutations, EntityQueries
from wfm_app.api.graphql.filtered import FilteredQueries
from wfm_app.api.graphql.forecast import ForecastQueries
from wfm_app.api.graphql.guards import RequestGuards, WfmSchema
from wfm_app.api.graphql.items import ItemMutations, ItemQueries
from wfm_app.api.graphql.migration import MigrationMutations, MigrationQueries
from wfm_app.api.graphql.planned import PlannedExecutor
from wfm_app.api.graphql.responses import (
    WFMStatusMutationResponse,
    WFMWorkflowStepMutationResponse,
    WFMWorkflowTransitionMutationResponse,
)
from wfm_app.api.graphql.types import (
    GqlInfo,
    WFMProjectType,
    WFMStatus,
    WFMWorkflow,
    WFMWorkflowStep,
    WFMWorkflowTransition,
    workflow,
)
from wfm_app.api.graphql.versions import VersionMutations, VersionQueries
from wfm_app.engine import project_types, statuses, steps, transitions, workflows
from wfm_app.engine.inputs import parse
from wfm_app.engine.schemas import (
    ProjectTypeCreate,
    ProjectTypeUpdate,
    StatusCreate,
    StatusUpdate,
    StepCreate,
    StepUpdate,
    TransitionCreate,
    TransitionUpdate,
    WorkflowCreate,
    WorkflowUpdate,
)

log = logging.getLogger("wfm.api")


@strawberry.type
class Query(
    EntityQueries,
    CustomFieldQueries,
    AutomationQueries,
    AnalyticsQueries,
    ForecastQueries,
    MigrationQueries,
    VersionQueries,
    ItemQueries,
    FilteredQueries,
):
    @strawberry.field(name="wfmStatuses")
    def wfm_statuses(self, info: GqlInfo, is_archived: bool | None = False) -> list[WFMStatus]:
        return [
            WFMStatus(_read=s)
            for s in statuses.get_all(_actor(info), is_archived=bool(is_archived))
        ]

    @strawberry.field(name="wfmStatus")
    def wfm_status(self, info: GqlInfo, id: strawberry.ID) -> WFMStatus | None:
        found = statuses.get_by_id(_actor(info), _id(id, "status"))
        return WFMStatus(_read=found) if found else None

    @strawberry.field(name="wfmWorkflows")
    def wfm_workflows(self, info: GqlInfo, is_archived: bool | None = False) -> list[WFMWorkflow]:
        return [
            workflow(w.id) for w in workflows.get_all(_actor(info), is_archived=bool(is_archived))
        ]

    @strawberry.field(name="wfmWorkflow")
    def wfm_workflow(self, info: GqlInfo, id: strawberry.ID) -> WFMWorkflow | None:
        graph = workflows.get_by_id(_actor(info), _id(id, "workflow"))
        return WFMWorkflow(_graph=graph) if graph else None

    @strawberry.field(name="wfmProjectTypes")
    def wfm_project_types(
        self, info: GqlInfo, is_archived: bool | None = False
    ) -> list[WFMProjectType]:
        found = project_types.get_all(_actor(info), is_archived=bool(is_archived))
        return [WFMProjectType(_read=t) for t in found]

    @strawberry.field(name="wfmProjectType")
    def wfm_project_type(self, info: GqlInfo, id: strawberry.ID) -> WFMProjectType | None:
        found = project_types.get_by_id(_actor(info), _id(id, "project type"))
        return WFMProjectType(_read=found) if found else None

    @strawberry.field(name="wfmProjectTypeByName")
    def wfm_project_type_by_name(self, info: GqlInfo, name: str) -> WFMProjectType | None:
        found = project_types.get_by_name(_actor(info), name)
        return WFMProjectType(_read=found) if found else None

    @strawberry.field(name="getWfmAllowedTransitions")
    def get_wfm_allowed_transitions(
        self, info: GqlInfo, workflow_id: strawberry.ID, from_step_id: strawberry.ID
    ) -> list[WFMWorkflowTransition]:
        allowed = workflows.allowed_transitions(
            _actor(info), _id(workflow_id, "workflow"), _id(from_step_id, "step")
        )
        return [WFMWorkflowTransition(_read=t) for t in allowed]


@strawberry.type
class Mutation(
    EntityMutations,
    ConversionMutations,
    CustomFieldMutations,
    AutomationMutations,
    MigrationMutations,
    VersionMutations,
    BranchMutations,
    ItemMutations,
    BulkMutations,
    CommentMutations,
):
    @strawberry.mutation(name="createWFMStatus")
    def create_wfm_status(self, info: GqlInfo, input: gin.CreateWFMStatusInput) -> WFMStatus:
        data = parse(StatusCreate, gin.given(input))
        return WFMStatus(_read=statuses.create(_actor(info), data))

    @strawberry.mutation(name="updateWFMStatus")
    def update_wfm_status(
        self, info: GqlInfo, id: strawberry.ID, input: gin.UpdateWFMStatusInput
    ) -> WFMStatus:
        data = parse(StatusUpdate, gin.given(input))
        return WFMStatus(_read=statuses.update(_actor(info), _id(id, "status"), data))

    @strawberry.mutation(name="deleteWfmStatus")
    def delete_wfm_status(self, info: GqlInfo, id: strawberry.ID) -> WFMStatusMutationResponse:
        actor, status_id = _actor(info), _id(id, "status")
        success, message = _deleted(lambda: statuses.delete(actor, status_id))
        return WFMStatusMutationResponse(success=success, message=message)

    @strawberry.mutation(name="createWFMWorkflow")
    def create_wfm_workflow(self, info: GqlInfo, input: gin.CreateWFMWorkflowInput) -> WFMWorkflow:
        made = workflows.create(_actor(info), parse(WorkflowCreate, gin.given(input)))
        return workflow(made.id)

    @strawberry.mutation(name="updateWFMWorkflow")
    def update_wfm_workflow(
        self, info: GqlInfo, id: strawberry.ID, input: gin.UpdateWFMWorkflowInput
    ) -> WFMWorkflow:
        data = parse(WorkflowUpdate, gin.given(input))
        return workflow(workflows.update(_actor(info), _id(id, "workflow"), data).id)

    @strawberry.mutation(name="createWFMWorkflowStep")
    def create_wfm_workflow_step(
        self, info: GqlInfo, input: gin.CreateWFMWorkflowStepInput
    ) -> WFMWorkflowStep:
        values = {k: v for k, v in gin.given(input).items() if v is not None}
        return WFMWorkflowStep(_read=steps.create_step(_actor(info), parse(StepCreate, values)))

    @strawberry.mutation(name="updateWFMWorkflowStep")
    def update_wfm_workflow_step(
        self, info: GqlInfo, id: strawberry.ID, input: gin.UpdateWFMWorkflowStepInput
    ) -> WFMWorkflowStep:
        data = parse(StepUpdate, gin.given(input))
        return WFMWorkflowStep(_read=steps.update_step(_actor(info), _id(id, "step"), data))

    @strawberry.mutation(name="deleteWFMWorkflowStep")
    def delete_wfm_workflow_step(
        self, info: GqlInfo, id: strawberry.ID
    ) -> WFMWorkflowStepMutationResponse:
        actor, step_id = _actor(info), _id(id, "step")
        success, message = _deleted(lambda: steps.delete_step(actor, step_id))
        return WFMWorkflowStepMutationResponse(success=success, message=message, step_id=id)

    @strawberry.mutation(name="updateWFMWorkflowStepsOrder")
    def update_wfm_workflow_steps_order(
        self, info: GqlInfo, workflow_id: strawberry.ID, ordered_step_ids: list[strawberry.ID]
    ) -> WFMWorkflow:
        ordered = [_id(step_id, "step") for step_id in ordered_step_ids]
        graph = steps.update_steps_order(_actor(info), _id(workflow_id, "workflow"), ordered)
        return WFMWorkflow(_graph=graph)

    @strawberry.mutation(name="createWFMWorkflowTransition")
    def create_wfm_workflow_transition(
        self, info: GqlInfo, input: gin.CreateWFMWorkflowTransitionInput
    ) -> WFMWorkflowTransition:
        data = parse(TransitionCreate, gin.given(input))
        return WFMWorkflowTransition(_read=transitions.create_transition(_actor(info), data))

    @strawberry.mutation(name="updateWFMWorkflowTransition")
    def update_wfm_workflow_transition(
        self, info: GqlInfo, id: strawberry.ID, input: gin.UpdateWFMWorkflowTransitionInput
    ) -> WFMWorkflowTransition:
        data = parse(TransitionUpdate, gin.given(input))
        made = transitions.update_transition(_actor(info), _id(id, "transition"), data)
        return WFMWorkflowTransition(_read=made)

    @strawberry.mutation(name="deleteWFMWorkflowTransition")
    def delete_wfm_workflow_transition(
        self, info: GqlInfo, id: strawberry.ID
    ) -> WFMWorkflowTransitionMutationResponse:
        actor, transition_id = _actor(info), _id(id, "transition")
        success, message = _deleted(lambda: transitions.delete_transition(actor, transition_id))
        return WFMWorkflowTransitionMutationResponse(
            success=success, message=message, transition_id=id
        )

    @strawberry.mutation(name="createWFMProjectType")
    def create_wfm_project_type(
        self, info: GqlInfo, input: gin.CreateWFMProjectTypeInput
    ) -> WFMProjectType:
        data = parse(ProjectTypeCreate, gin.given(input))
        return WFMProjectType(_read=project_types.create(_actor(info), data))

    @strawberry.mutation(name="updateWFMProjectType")
    def update_wfm_project_type(
        self, info: GqlInfo, id: strawberry.ID, input: gin.UpdateWFMProjectTypeInput
    ) -> WFMProjectType:
        data = parse(ProjectTypeUpdate, gin.given(input))
        return WFMProjectType(
            _read=project_types.update(_actor(info), _id(id, "project type"), data)
        )


# One extension: strawberry makes each afresh per request and wraps each of its hooks
# (RequestGuards also does the token limit, the validation rules and the document caches).
_EXTENSIONS: list[Any] = [RequestGuards]
schema = WfmSchema(
    query=Query,
    mutation=Mutation,
    extensions=_EXTENSIONS,
    config=StrawberryConfig(scalar_map={date: LENIENT_DATE}),
    execution_context_class=PlannedExecutor,
)
resolve_directly(schema)
