"""Values that enter the engine (pydantic, validated by engine/inputs.py's rules) and leave
it (frozen dataclasses)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wfm_app.engine.inputs import (
    HexColor,
    Input,
    Metadata,
    Name,
    OptionalName,
    OptionalText,
    StepOrder,
)

# ---- inputs ---------------------------------------------------------------------------


class StatusCreate(Input):
    name: Name
    description: OptionalText = None
    color: HexColor = None


class StatusUpdate(Input):
    name: Name | None = None
    description: OptionalText = None
    color: HexColor = None
    is_archived: bool | None = None


class WorkflowCreate(Input):
    name: Name
    description: OptionalText = None
    undo_restores_step: bool = False
    calendar_id: uuid.UUID | None = None
    learned_win_chance: bool = False
    # the admin pages start a workflow as a draft that no board offers until it is
    # published; PipeCD's createWFMWorkflow makes it live at once, as its clients expect
    as_draft: bool = False


class WorkflowUpdate(Input):
    name: Name | None = None
    description: OptionalText = None
    is_archived: bool | None = None
    undo_restores_step: bool | None = None
    calendar_id: uuid.UUID | None = None  # None given: every hour counts again
    learned_win_chance: bool | None = None


class StepCreate(Input):
    workflow_id: uuid.UUID
    status_id: uuid.UUID | None = None  # or a status made with the step, named:
    new_status_name: OptionalName = None
    step_order: StepOrder = None
    is_initial_step: bool = False
    is_final_step: bool = False
    metadata: Metadata = None


class StepUpdate(Input):
    """Only the fields that were given change (``model_fields_set``)."""

    status_id: uuid.UUID | None = None
    is_initial_step: bool | None = None
    is_final_step: bool | None = None
    metadata: Metadata = None


class TransitionCreate(Input):
    workflow_id: uuid.UUID
    from_step_id: uuid.UUID
    to_step_id: uuid.UUID
    name: OptionalText = None
    conditions: Metadata = None  # checked against the workflow by engine/rules.py


class TransitionUpdate(Input):
    """Only the fields that were given change (``model_fields_set``)."""

    name: OptionalText = None
    conditions: Metadata = None


class ProjectTypeCreate(Input):
    name: Name
    description: OptionalText = None
    default_workflow_id: uuid.UUID | None = None
    icon_name: OptionalText = None


class ProjectTypeUpdate(Input):
    name: Name | None = None
    description: OptionalText = None
    default_workflow_id: uuid.UUID | None = None
    icon_name: OptionalText = None
    is_archived: bool | None = None


# ---- reads ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusRead:
    id: uuid.UUID
    name: str
    description: str | None
    color: str | None
    is_archived: bool
    created_by_user_id: uuid.UUID | None
    updated_by_user_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class WorkflowRead:
    id: uuid.UUID
    name: str
    description: str | None
    is_archived: bool
    created_by_user_id: uuid.UUID | None
    updated_by_user_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    version: int = 1
    version_state: str = "live"  # live, draft or superseded (engine/versions.py)
    undo_restores_step: bool = False  # an undo may go back with no transition back
    calendar_id: uuid.UUID | None = None  # engine/calendars
    learned_win_chance: bool = False  # weighted totals by engine/win_chance's model


@dataclass(frozen=True, slots=True)
class StepRead:
    id: uuid.UUID
    workflow_id: uuid.UUID
    status: StatusRead
    step_order: int
    is_initial_step: bool
    is_final_step: bool
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @property
    def display_name(self) -> str:
        """The column title: the step's own name if it has one, else its status's."""
        return str(self.metadata.get("name") or self.status.name)

    def number(self, key: str | None) -> float | None:
        value = self.metadata.get(key) if key else None
        return float(value) if isinstance(value, int | float) else None


@dataclass(frozen=True, slots=True)
class TransitionRead:
    id: uuid.UUID
    workflow_id: uuid.UUID
    from_step_id: uuid.UUID
    to_step_id: uuid.UUID
    name: str | None
    created_at: datetime
    updated_at: datetime
    conditions: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class BranchRead:
    """A parallel branch on a step (engine/branches): who may act on it and which moves
    out of the step wait on it."""

    id: uuid.UUID
    workflow_id: uuid.UUID
    step_id: uuid.UUID
    name: str
    allowed_roles: tuple[str, ...]
    mode: str  # all_approved | any_approved
    to_step_ids: tuple[uuid.UUID, ...] | None  # None: every later, not-lost step
    branch_workflow_id: uuid.UUID | None
    position: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ProjectTypeRead:
    id: uuid.UUID
    name: str
    description: str | None
    default_workflow_id: uuid.UUID | None
    icon_name: str | None
    is_archived: bool
    created_by_user_id: uuid.UUID | None
    updated_by_user_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ProjectRead:
    id: uuid.UUID
    project_type_id: uuid.UUID
    workflow_id: uuid.UUID
    current_step_id: uuid.UUID | None
    name: str
    description: str | None
    is_active: bool
    step_entered_at: datetime
    completed_at: datetime | None
    completed_by_user_id: uuid.UUID | None
    metadata: dict[str, Any]
    created_by_user_id: uuid.UUID | None
    updated_by_user_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: uuid.UUID
    wfm_project_id: uuid.UUID
    from_step_id: uuid.UUID | None
    to_step_id: uuid.UUID | None
    transition_id: uuid.UUID | None
    changed_by_user_id: uuid.UUID | None
    changed_by_name: str | None
    changed_at: datetime
    comment: str | None = None
    values: dict[str, Any] | None = None
    override: bool = False
    kind: str = "move"  # or "migration" (engine/card_migration.py)
    undoes_history_id: uuid.UUID | None = None  # an undo: the move it undid


@dataclass(frozen=True, slots=True)
class WorkflowGraph:
    """A workflow with its ordered steps and transitions: what the definitions cache holds."""

    workflow: WorkflowRead
    steps: tuple[StepRead, ...]
    transitions: tuple[TransitionRead, ...]
    branches: tuple[BranchRead, ...] = ()
    _steps_by_id: dict[uuid.UUID, StepRead] = field(init=False, repr=False, compare=False)
    _edges: dict[tuple[uuid.UUID, uuid.UUID], TransitionRead] = field(
        init=False, repr=False, compare=False
    )
    _branches_by_step: dict[uuid.UUID, tuple[BranchRead, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_steps_by_id", {step.id: step for step in self.steps})
        object.__setattr__(
            self, "_edges", {(t.from_step_id, t.to_step_id): t for t in self.transitions}
        )
        by_step: dict[uuid.UUID, tuple[BranchRead, ...]] = {}
        for branch in self.branches:
            by_step[branch.step_id] = (*by_step.get(branch.step_id, ()), branch)
        object.__setattr__(self, "_branches_by_step", by_step)

    @property
    def id(self) -> uuid.UUID:
        return self.workflow.id

    @property
    def initial_step(self) -> StepRead | None:
        return next((step for step in self.steps if step.is_initial_step), None)

    def step(self, step_id: uuid.UUID | None) -> StepRead | None:
        return self._steps_by_id.get(step_id) if step_id is not None else None

    def known_step(self, step_id: uuid.UUID) -> StepRead:
        """A step the caller knows is on this workflow (LookupError if not)."""
        found = self._steps_by_id.get(step_id)
        if found is None:
            raise LookupError(f"step {step_id} is not on workflow {self.workflow.id}")
        return found

    def branches_on(self, step_id: uuid.UUID | None) -> tuple[BranchRead, ...]:
        """Looked up on every move and for every card read: indexed once per graph."""
        return self._branches_by_step.get(step_id, ()) if step_id is not None else ()

    def transition(self, from_step_id: uuid.UUID, to_step_id: uuid.UUID) -> TransitionRead | None:
        return self._edges.get((from_step_id, to_step_id))

    def allowed_from(self, from_step_id: uuid.UUID) -> list[TransitionRead]:
        """Transitions out of a step, in the order of their target steps."""
        out = [t for t in self.transitions if t.from_step_id == from_step_id]
        return sorted(out, key=lambda t: self._steps_by_id[t.to_step_id].step_order)
