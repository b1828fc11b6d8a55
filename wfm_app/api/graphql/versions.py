"""Workflow versions over GraphQL: the list (anyone with access), a draft and publishing
(admins). Each resolver is one call of engine/versions.py."""

from __future__ import annotations

import strawberry

from wfm_app.api.graphql.common import actor_of, id_of
from wfm_app.api.graphql.types import GqlInfo
from wfm_app.engine import versions
from wfm_app.engine.versions import VersionRead


@strawberry.type(name="WFMWorkflowVersion")
class WFMWorkflowVersion:
    id: strawberry.ID
    name: str
    version: int
    state: str = strawberry.field(description="live, draft or superseded")
    cards: int

    @staticmethod
    def of(read: VersionRead) -> WFMWorkflowVersion:
        return WFMWorkflowVersion(
            id=strawberry.ID(str(read.id)),
            name=read.name,
            version=read.version,
            state=read.state,
            cards=read.cards,
        )


@strawberry.type(name="WFMPublishResult")
class WFMPublishResult:
    version: WFMWorkflowVersion
    warnings: list[str]


@strawberry.type
class VersionQueries:
    @strawberry.field(name="wfmWorkflowVersions")
    def wfm_workflow_versions(
        self, info: GqlInfo, workflow_id: strawberry.ID
    ) -> list[WFMWorkflowVersion]:
        found = versions.get_all(actor_of(info), id_of(workflow_id, "workflow"))
        return [WFMWorkflowVersion.of(read) for read in found]


@strawberry.type
class VersionMutations:
    @strawberry.mutation(name="createWFMWorkflowDraft")
    def create_wfm_workflow_draft(
        self, info: GqlInfo, workflow_id: strawberry.ID
    ) -> WFMWorkflowVersion:
        return WFMWorkflowVersion.of(
            versions.create_draft(actor_of(info), id_of(workflow_id, "workflow"))
        )

    @strawberry.mutation(name="publishWFMWorkflow")
    def publish_wfm_workflow(
        self, info: GqlInfo, id: strawberry.ID, accept_warnings: bool = False
    ) -> WFMPublishResult:
        version, found = versions.publish(
            actor_of(info), id_of(id, "workflow"), accept_warnings=accept_warnings
        )
        return WFMPublishResult(version=WFMWorkflowVersion.of(version), warnings=found.warnings)
