"""GraphQL types with the spec's names; each wraps a read value from the services."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.prefetch import Later, settled, then
from wfm_app.auth.users import UserRead
from wfm_app.engine import definitions
from wfm_app.engine.schemas import (
    ProjectRead,
    ProjectTypeRead,
    StatusRead,
    StepRead,
    TransitionRead,
    WorkflowGraph,
)
from wfm_app.errors import NotFound

if TYPE_CHECKING:
    from wfm_app.api.graphql.branch_types import WFMBranchInstance, WFMWorkflowBranch

GqlInfo = Info[Context, None]
# The branch types refer back to these (their step, workflow and project): a lazy reference
_BRANCH_TYPES = strawberry.lazy("wfm_app.api.graphql.branch_types")


@strawberry.type(name="User")
class User:
    id: strawberry.ID
    display_name: str | None = strawberry.field(name="display_name")
    email: str | None
    avatar_url: str | None = strawberry.field(name="avatar_url")

    @staticmethod
    def of(user: UserRead) -> User:
        return User(
            id=strawberry.ID(str(user.id)),
            display_name=user.display_name,
            email=user.email,
            avatar_url=user.avatar_url,
        )


def _user(info: GqlInfo, user_id: uuid.UUID | None) -> Later[User | None]:
    """The user as the actor may see them, one object per person and request."""
    if user_id is None:
        return None
    shown = info.context.shown_users
    if user_id in shown:
        return shown[user_id]

    def made(user: UserRead | None) -> User | None:
        shown[user_id] = found = User.of(user) if user else None
        return found

    return then(info.context.users.get(user_id), made)


@strawberry.type
class _Definition:
    """What definitions and projects share: identity, naming and the audit trail."""

    _read: strawberry.Private[Any]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field
    def name(self) -> str:
        return str(self._read.name)

    @strawberry.field
    def description(self) -> str | None:
        return self._read.description

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.created_at

    @strawberry.field
    def updated_at(self) -> datetime:
        return self._read.updated_at

    @strawberry.field(graphql_type=User | None)
    def created_by_user(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._read.created_by_user_id)

    @strawberry.field(graphql_type=User | None)
    def updated_by_user(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._read.updated_by_user_id)


@strawberry.type(name="WFMStatus")
class WFMStatus(_Definition):
    _read: strawberry.Private[StatusRead]

    @strawberry.field
    def color(self) -> str | None:
        return self._read.color

    @strawberry.field
    def is_archived(self) -> bool:
        return self._read.is_archived


@strawberry.type(name="WFMWorkflowStep")
class WFMWorkflowStep:
    _read: strawberry.Private[StepRead]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field
    def status(self) -> WFMStatus:
        return WFMStatus(_read=self._read.status)

    @strawberry.field
    def step_order(self) -> int:
        return self._read.step_order

    @strawberry.field
    def is_initial_step(self) -> bool:
        return self._read.is_initial_step

    @strawberry.field
    def is_final_step(self) -> bool:
        return self._read.is_final_step

    @strawberry.field
    def metadata(self) -> JSON | None:
        return JSON(self._read.metadata) if self._read.metadata else None

    @strawberry.field
    def workflow_id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.workflow_id))

    @strawberry.field(description="Parallel branches a card opens on entering this step.")
    def branches(self) -> list[Annotated[WFMWorkflowBranch, _BRANCH_TYPES]]:
        from wfm_app.api.graphql.branch_types import WFMWorkflowBranch

        found = definitions.graph(self._read.workflow_id).branches_on(self._read.id)
        return [WFMWorkflowBranch(_read=branch) for branch in found]

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.created_at

    @strawberry.field
    def updated_at(self) -> datetime:
        return self._read.updated_at


def _project(info: GqlInfo, project_id: uuid.UUID) -> Later[WFMProject | None]:
    return then(
        info.context.projects.get(project_id),
        lambda found: WFMProject(_read=found) if found else None,
    )


def _step(workflow_id: uuid.UUID, step_id: uuid.UUID | None) -> WFMWorkflowStep | None:
    step = definitions.graph(workflow_id).step(step_id) if step_id else None
    return WFMWorkflowStep(_read=step) if step else None


def _known_step(workflow_id: uuid.UUID, step_id: uuid.UUID) -> WFMWorkflowStep:
    """A step a transition joins (the database keeps it while the transition exists)."""
    found = _step(workflow_id, step_id)
    if found is None:
        raise NotFound(f"Step {step_id} does not exist.")
    return found


@strawberry.type(name="WFMWorkflowTransition")
class WFMWorkflowTransition:
    _read: strawberry.Private[TransitionRead]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field
    def name(self) -> str | None:
        return self._read.name

    @strawberry.field
    def workflow_id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.workflow_id))

    @strawberry.field
    def conditions(self) -> JSON | None:
        return JSON(self._read.conditions) if self._read.conditions is not None else None

    @strawberry.field
    def from_step(self) -> WFMWorkflowStep:
        return _known_step(self._read.workflow_id, self._read.from_step_id)

    @strawberry.field
    def to_step(self) -> WFMWorkflowStep:
        return _known_step(self._read.workflow_id, self._read.to_step_id)

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.created_at

    @strawberry.field
    def updated_at(self) -> datetime:
        return self._read.updated_at


@strawberry.type(name="WFMWorkflow")
class WFMWorkflow:
    """Backed by the cached workflow graph: steps and transitions cost no query."""

    _graph: strawberry.Private[WorkflowGraph]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._graph.id))

    @strawberry.field
    def name(self) -> str:
        return self._graph.workflow.name

    @strawberry.field
    def description(self) -> str | None:
        return self._graph.workflow.description

    @strawberry.field
    def is_archived(self) -> bool:
        return self._graph.workflow.is_archived

    @strawberry.field(description="This version's number (wfmWorkflowVersions lists them).")
    def version(self) -> int:
        return self._graph.workflow.version

    @strawberry.field(description="live (new cards start here), draft or superseded.")
    def version_state(self) -> str:
        return self._graph.workflow.version_state

    @strawberry.field(
        description="An undo puts a card back on its exact previous step, even where no "
        "transition leads back (undoItemWFMMove)."
    )
    def undo_restores_step(self) -> bool:
        return self._graph.workflow.undo_restores_step

    @strawberry.field(
        description="The business calendar its SLA and time-in-step limits count working "
        "hours on (a step's metadata calendar_id wins), or null: every hour counts."
    )
    def calendar_id(self) -> strawberry.ID | None:
        chosen = self._graph.workflow.calendar_id
        return strawberry.ID(str(chosen)) if chosen else None

    @strawberry.field(
        description="Weighted totals use the win chance learned from closed cards instead "
        "of the steps' fixed probabilities."
    )
    def learned_win_chance(self) -> bool:
        return self._graph.workflow.learned_win_chance

    @strawberry.field
    def steps(self) -> list[WFMWorkflowStep]:
        return [WFMWorkflowStep(_read=step) for step in self._graph.steps]

    @strawberry.field
    def transitions(self) -> list[WFMWorkflowTransition]:
        return [WFMWorkflowTransition(_read=t) for t in self._graph.transitions]

    @strawberry.field
    def created_at(self) -> datetime:
        return self._graph.workflow.created_at

    @strawberry.field
    def updated_at(self) -> datetime:
        return self._graph.workflow.updated_at

    @strawberry.field(graphql_type=User | None)
    def created_by_user(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._graph.workflow.created_by_user_id)

    @strawberry.field(graphql_type=User | None)
    def updated_by_user(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._graph.workflow.updated_by_user_id)


def workflow(workflow_id: uuid.UUID) -> WFMWorkflow:
    return WFMWorkflow(_graph=definitions.graph(workflow_id))


@strawberry.type(name="WFMProjectType")
class WFMProjectType(_Definition):
    _read: strawberry.Private[ProjectTypeRead]

    @strawberry.field
    def icon_name(self) -> str | None:
        return self._read.icon_name

    @strawberry.field
    def is_archived(self) -> bool:
        return self._read.is_archived

    @strawberry.field
    def default_workflow(self) -> WFMWorkflow | None:
        workflow_id = self._read.default_workflow_id
        return workflow(workflow_id) if workflow_id else None


@strawberry.type(name="WFMProject")
class WFMProject(_Definition):
    _read: strawberry.Private[ProjectRead]

    @strawberry.field
    def project_type(self) -> WFMProjectType:
        return WFMProjectType(_read=definitions.project_types()[self._read.project_type_id])

    @strawberry.field(name="workflow")
    def workflow_(self) -> WFMWorkflow:
        return workflow(self._read.workflow_id)

    @strawberry.field
    def current_step(self) -> WFMWorkflowStep | None:
        return _step(self._read.workflow_id, self._read.current_step_id)

    @strawberry.field
    def is_active(self) -> bool:
        return self._read.is_active

    @strawberry.field
    def completed_at(self) -> datetime | None:
        return self._read.completed_at

    @strawberry.field(graphql_type=User | None)
    def completed_by_user(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._read.completed_by_user_id)

    @strawberry.field
    def metadata(self) -> JSON | None:
        return JSON(self._read.metadata) if self._read.metadata else None

    @strawberry.field(description="Its parallel branches, open (on its step) and closed.")
    async def branch_instances(
        self, info: GqlInfo
    ) -> list[Annotated[WFMBranchInstance, _BRANCH_TYPES]]:
        from wfm_app.api.graphql.branch_types import WFMBranchInstance

        found = await settled(info.context.branch_instances.get(self._read.id))
        return [WFMBranchInstance(_read=instance) for instance in found]
