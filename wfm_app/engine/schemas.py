"""Values that enter the engine (pydantic, validated) and leave it (frozen dataclasses)."""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from wfm_app.errors import ValidationFailed

_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 5_000
MAX_METADATA_BYTES = 64 * 1024
MAX_METADATA_DEPTH = 20
MAX_STEP_ORDER = 10_000
# Control characters (C0, DEL, C1) but tab and newline: they break logs, CSVs and
# PostgreSQL (which refuses NUL in text) and have no place in anything a person types.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _has_visible_character(value: str) -> bool:
    """Something a person can see: not only spaces, controls or zero-width characters."""
    return any(
        not char.isspace() and unicodedata.category(char) not in {"Cc", "Cf", "Zs", "Zl", "Zp"}
        for char in value
    )


def clean_text(value: str, *, what: str, limit: int) -> str:
    """Strip the ends; refuse control characters and text over ``limit`` characters."""
    if _CONTROL.search(value):
        raise ValueError(f"{what} cannot contain control characters.")
    value = value.strip()
    if len(value) > limit:
        raise ValueError(f"{what} must be at most {limit:,} characters.")
    return value


def _required_name(value: str) -> str:
    value = clean_text(value, what="Name", limit=MAX_NAME_LENGTH)
    if not value:
        raise ValueError("Name is required.")
    if not _has_visible_character(value):
        raise ValueError("Name must contain a visible character.")
    return value


def _optional_name(value: str | None) -> str | None:
    return _required_name(value) if value is not None and value.strip() else None


def _optional_text(value: str | None) -> str | None:
    if value is None:
        return None
    return clean_text(value, what="Text", limit=MAX_TEXT_LENGTH) or None


def _hex_color(value: str | None) -> str | None:
    value = _optional_text(value)
    if value is not None and not _HEX_COLOR.match(value):
        raise ValueError("Color must be a hex code such as #3B82F6.")
    return value.upper() if value else None


def _bounded_json(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """At most MAX_METADATA_DEPTH levels and MAX_METADATA_BYTES as JSON, no NUL anywhere
    (PostgreSQL's JSONB refuses it). Walked without recursion: depth is what we check."""
    if value is None:
        return None
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list) and depth > MAX_METADATA_DEPTH:
            raise ValueError(f"Metadata may nest at most {MAX_METADATA_DEPTH} levels deep.")
        if isinstance(item, dict):
            pending.extend((key, depth) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
        elif isinstance(item, str) and "\x00" in item:
            raise ValueError("Metadata text cannot contain NUL characters.")
    if len(json.dumps(value, default=str)) > MAX_METADATA_BYTES:
        raise ValueError(f"Metadata must be at most {MAX_METADATA_BYTES // 1024} kB as JSON.")
    return value


def _step_order(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_STEP_ORDER:
        raise ValueError(f"Step order must be a whole number from 1 to {MAX_STEP_ORDER:,}.")
    return value


# A blank form field arrives as None: say "Name is required", not "not a valid string".
Name = Annotated[
    str, BeforeValidator(lambda v: "" if v is None else v), AfterValidator(_required_name)
]
OptionalText = Annotated[str | None, AfterValidator(_optional_text)]
OptionalName = Annotated[str | None, AfterValidator(_optional_name)]
HexColor = Annotated[str | None, AfterValidator(_hex_color)]
Metadata = Annotated[dict[str, Any] | None, AfterValidator(_bounded_json)]
StepOrder = Annotated[int | None, AfterValidator(_step_order)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


InputT = TypeVar("InputT", bound=Input)


def parse(model: type[InputT], data: dict[str, Any]) -> InputT:
    """Build an input value, turning pydantic's report into one sentence per field."""
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        field_errors: dict[str, str] = {}
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "input"
            message = str(error["msg"]).removeprefix("Value error, ")
            field_errors.setdefault(name, message)
        summary = " ".join(_said(name, message) for name, message in field_errors.items())
        raise ValidationFailed(f"Please correct the input. {summary}", field_errors) from None


def _said(name: str, message: str) -> str:
    """A field's problem in words: "Amount must be a number." names its field already;
    "Input should be a valid date" becomes "Due date: Input should be a valid date"."""
    words = name.rsplit(".", 1)[-1].replace("_", " ")
    first = message.split(" ", 1)[0].lower()
    return message if first in words.lower().split() else f"{words.capitalize()}: {message}"


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
