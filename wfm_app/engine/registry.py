"""Entity kinds describe themselves here once; the engine reads the descriptions and never
an entity's name.

A description says what an entity kind's records hold (its built-in fields, from which
forms, cards, the detail view and the editor are derived), which step-metadata keys its
boards read (validated when a workflow step is saved), and which project types it rides
on (its default first). Built-in kinds register at import (``entities/__init__.py``);
kinds admins define are rows read through a source (``engine/kinds.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

# "percent": a fraction stored (0.75), a percentage typed and shown (75 %)
# "currency": an ISO 4217 code, offered with the organization's default first
FieldType = Literal[
    "text", "long_text", "number", "amount", "percent", "date", "email", "choice", "currency"
]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One built-in field of an entity kind, as forms and the detail view show it."""

    key: str
    label: str
    type: FieldType = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str = ""
    help: str = ""


@dataclass(frozen=True, slots=True)
class MetadataKey:
    """A step-metadata key with meaning for some entity kind: a number within a range."""

    key: str
    label: str
    minimum: float
    maximum: float
    integer: bool = False
    unit: str = ""  # shown beside the label, e.g. "%"

    @property
    def caption(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label

    def problem(self, value: Any) -> str | None:
        """None when ``value`` fits, else a sentence naming the key's label and range."""
        number = isinstance(value, int | float) and not isinstance(value, bool)
        whole = not self.integer or (number and float(value).is_integer())
        if number and whole and self.minimum <= value <= self.maximum:
            return None
        kind = "a whole number" if self.integer else "a number"
        return f"{self.label} must be {kind} from {self.minimum:,g} to {self.maximum:,g}."


@dataclass(frozen=True)
class EntityDescription:
    entity_type: str  # "DEAL": the custom-field entity type, PipeCD's spelling
    noun: str  # "deal": used in sentences
    plural_label: str  # "Deals": page titles and navigation
    fields: tuple[FieldSpec, ...]
    project_types: tuple[str, ...]  # names; the first is the default
    card_fields: tuple[str, ...] = ()  # keys a board card shows under the name
    metadata_keys: tuple[MetadataKey, ...] = ()
    probability_key: str | None = None  # the metadata key holding the 0-100 probability
    owner_column: str = "user_id"  # ownership: the user in this column owns the record
    key: str = ""  # how the API and URLs name the kind; built-ins: their noun ("deal")
    board_path: str = ""  # where its board is: /boards/<key> unless given ("/deals")
    label: str = ""  # "Deal": the noun as a title
    archived: bool = False  # an admin's kind put away: no board, no new cards

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", self.noun.replace(" ", "-"))
        if not self.board_path:
            object.__setattr__(self, "board_path", f"/boards/{self.key}")
        if not self.label:
            object.__setattr__(self, "label", self.noun[:1].upper() + self.noun[1:])

    @property
    def default_project_type(self) -> str:
        return self.project_types[0]


_DESCRIPTIONS: dict[str, EntityDescription] = {}  # built-in kinds, described in code
# Where kinds described as data come from (engine/kinds.py adds the admins' kinds).
_SOURCES: list[Callable[[], Iterable[EntityDescription]]] = []


def register(description: EntityDescription) -> None:
    _DESCRIPTIONS[description.entity_type] = description


def add_source(source: Callable[[], Iterable[EntityDescription]]) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def _every() -> list[EntityDescription]:
    return [*_DESCRIPTIONS.values(), *(d for source in _SOURCES for d in source())]


def is_built_in(entity_type: str) -> bool:
    return entity_type in _DESCRIPTIONS


def described(entity_type: str) -> EntityDescription | None:
    found = _DESCRIPTIONS.get(entity_type)
    if found is None:
        found = next((d for d in _every() if d.entity_type == entity_type), None)
    return found


def by_key(key: str) -> EntityDescription | None:
    return next((d for d in _every() if d.key == key), None)


def all_described(*, include_archived: bool = False) -> list[EntityDescription]:
    return [d for d in _every() if include_archived or not d.archived]


def kind_for_project_type(name: str) -> EntityDescription | None:
    """The entity kind a project type is meant for (None: any kind may use it)."""
    return next((d for d in _every() if name in d.project_types), None)


def kinds_using(project_type_names: list[str]) -> list[EntityDescription]:
    """The kinds riding on these project types; every kind when none claims them (a
    workflow not yet in use)."""
    kinds = [kind_for_project_type(name) for name in project_type_names]
    return [kind for kind in kinds if kind is not None] or all_described()
