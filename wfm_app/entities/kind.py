"""What an entity kind is made of: its description, table and values (``EntityKind``),
its inputs' shared part, and where a record stands in its workflow (``WfmPosition``)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import Table, text
from sqlmodel import Field

from wfm_app.engine import step_settings
from wfm_app.engine.custom_fields import PREFIX
from wfm_app.engine.inputs import Input, Metadata, parse
from wfm_app.engine.registry import EntityDescription
from wfm_app.engine.schemas import StepRead, WorkflowRead
from wfm_app.sqltypes import JsonDocument

ReadT = TypeVar("ReadT")
CreateT = TypeVar("CreateT", bound=Input)
UpdateT = TypeVar("UpdateT", bound=Input)


# Read values built once per card are plain slotted dataclasses: a frozen dataclass's
# __init__ is several times slower, which shows on a 1,000-card board.
_CENT = Decimal("0.01")


@functools.lru_cache(maxsize=256)
def _as_decimal(fraction: float) -> Decimal:
    return Decimal(str(fraction))


def weighted(amount: Decimal, progress: float) -> Decimal:
    """An amount times a 0..1 probability, to the cent."""
    return (amount * _as_decimal(progress)).quantize(_CENT)


@dataclass(slots=True)
class WfmPosition:
    """Where an entity stands in its workflow (the spec's currentWfmStep / Status)."""

    wfm_project_id: uuid.UUID
    project_type_id: uuid.UUID
    workflow_id: uuid.UUID
    step: StepRead | None
    is_active: bool
    step_entered_at: datetime
    completed_at: datetime | None
    progress: float  # 0..1: the step's probability, or the learned chance (entities/chances)
    created_by_user_id: uuid.UUID | None = None  # who started the card (its project)
    # (branch name, pending | approved | rejected) of the step's parallel branches
    branches: tuple[tuple[str, str], ...] = ()
    win_chance: float | None = None  # 0..1, learned from closed cards (engine/win_chance)

    @property
    def step_name(self) -> str:
        return self.step.display_name if self.step else ""

    @property
    def outcome(self) -> str:
        return step_settings.of(self.step).outcome


@dataclass(frozen=True, slots=True)
class BoardColumn(Generic[ReadT]):
    """One step's column: its first page of cards, and the count and totals of all."""

    step: StepRead
    cards: list[ReadT]
    count: int
    total_amount: Decimal
    weighted_amount: Decimal


@dataclass(frozen=True, slots=True)
class Board(Generic[ReadT]):
    workflow: WorkflowRead
    columns: list[BoardColumn[ReadT]]


def custom_values_field() -> Any:
    """Every entity table's ``custom_field_values`` column: a JSON document, ``{}`` empty."""
    return Field(
        default_factory=dict,
        sa_type=JsonDocument,
        sa_column_kwargs={"server_default": text("'{}'")},
    )


def assignee_field() -> Any:
    """Every entity table's ``assigned_to_user_id``: who works the card besides its owner
    (they see and move it like the owner; engine/access.py)."""
    return Field(default=None, foreign_key="users.id", index=True)


class EntityInput(Input):
    """What every entity's create and update inputs share: custom field values by key
    (``region`` or ``custom.region``), checked against their definitions by the service,
    and the assignee (None on an update: unassign)."""

    custom_fields: Metadata = None
    assignee_id: uuid.UUID | None = None


@dataclass(frozen=True)
class EntityKind(Generic[ReadT, CreateT, UpdateT]):
    description: EntityDescription
    table: Table
    create_model: type[CreateT]
    update_model: type[UpdateT]
    # row (entity columns + owner_name) and its WFM position -> read value
    to_read: Callable[[Mapping[str, Any], WfmPosition], ReadT]
    # create input -> entity column values (name and custom fields excluded)
    create_values: Callable[[CreateT], dict[str, Any]]
    amount_of: Callable[[ReadT], Decimal | None] = lambda _read: None
    # Narrows a table several kinds share (the items table) to this kind's rows.
    scope: Any = None
    # A card's own probability (a 0..1 column) that weighs its amount instead of its step's.
    own_probability: str | None = None

    def scoped(self, query: Any) -> Any:
        return query if self.scope is None else query.where(self.scope)

    @property
    def noun(self) -> str:
        return self.description.noun

    @property
    def default_project_type(self) -> str:
        return self.description.default_project_type

    @property
    def probability_key(self) -> str | None:
        return self.description.probability_key

    def values_of(self, read: ReadT) -> dict[str, Any]:
        """A record's values as move conditions name them: built-in keys, custom.<key>."""
        values = {spec.key: getattr(read, spec.key) for spec in self.description.fields}
        custom: dict[str, Any] = read.custom_fields  # type: ignore[attr-defined]
        values.update({PREFIX + key: value for key, value in custom.items()})
        return values

    def update_input(self, values: dict[str, Any]) -> UpdateT:
        """Values given with a move (built-in keys, custom ones as custom.<key>)."""
        builtin = {k: v for k, v in values.items() if not k.startswith(PREFIX)}
        custom = {k: v for k, v in values.items() if k.startswith(PREFIX)}
        return parse(self.update_model, {**builtin, "custom_fields": custom or None})
