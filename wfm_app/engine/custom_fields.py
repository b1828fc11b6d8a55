"""Custom fields: admins add typed fields to an entity kind, no code (PipeCD's names).

Definitions live in ``custom_field_definitions``; values live with the entity, in its
``custom_field_values`` document (JSONB on PostgreSQL, GIN-indexed), keyed by the field's
stable key. One row read gives a card all its values, a write is one UPDATE in the
entity's own transaction, and a filter is an indexed containment test; a values table
would add a join per read and a row per value per entity. Values are checked against
their definition on every write (``clean_values``); a deactivated field keeps its values.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Boolean, Integer, Text, UniqueConstraint, func, select, text
from sqlmodel import Field, SQLModel, col

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, registry
from wfm_app.engine.access import require_access, require_definitions_manager
from wfm_app.engine.inputs import Input, Name, OptionalText, clean_text
from wfm_app.errors import Conflict, NotFound, ValidationFailed
from wfm_app.sqltypes import JsonDocument, timestamp_field, utc_now
from wfm_app.tenancy import OrgOwned, org_field

FieldType = Literal["TEXT", "NUMBER", "DATE", "BOOLEAN", "DROPDOWN", "MULTI_SELECT"]
FIELD_TYPES: tuple[str, ...] = ("TEXT", "NUMBER", "DATE", "BOOLEAN", "DROPDOWN", "MULTI_SELECT")
PREFIX = "custom."  # how forms, errors and move conditions name a custom field
MAX_OPTIONS = 200
MAX_ACTIVE_PER_KIND = 200  # each is a form field, a column of filters and a JSON key per card
# Fields a win chance may learn from (engine/win_chance): a choice, a yes/no or a number.
PREDICTOR_TYPES: tuple[str, ...] = ("DROPDOWN", "BOOLEAN", "NUMBER")
MAX_PREDICTORS_PER_KIND = 10  # each choice is a column of the fit: keep it small and readable


class CustomFieldDefinition(SQLModel, OrgOwned, table=True):
    __tablename__ = "custom_field_definitions"
    __table_args__ = (
        UniqueConstraint("org_id", "entity_type", "field_name", name="uq_custom_field_key"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entity_type: str = Field(sa_type=Text, index=True)
    field_name: str = Field(sa_type=Text)  # the stable key, derived from the first label
    field_label: str = Field(sa_type=Text)
    field_type: str = Field(sa_type=Text)
    is_required: bool = Field(default=False, sa_type=Boolean)
    dropdown_options: list[dict[str, str]] = Field(default_factory=list, sa_type=JsonDocument)
    help_text: str | None = Field(default=None, sa_type=Text)
    display_order: int = Field(default=0, sa_type=Integer)
    is_active: bool = Field(default=True, sa_type=Boolean)
    # An admin's mark: the learned win chance uses this field's values (where enough data).
    predicts_win: bool = Field(
        default=False, sa_type=Boolean, sa_column_kwargs={"server_default": text("false")}
    )
    created_by_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


@dataclass(frozen=True, slots=True)
class CustomFieldRead:
    id: uuid.UUID
    entity_type: str
    key: str
    label: str
    field_type: str
    required: bool
    options: tuple[str, ...]
    help: str | None
    display_order: int
    active: bool
    created_at: datetime
    updated_at: datetime
    predicts_win: bool = False


def _options(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    cleaned = [clean_text(str(o), what="Option", limit=200) for o in value]
    cleaned = list(dict.fromkeys(o for o in cleaned if o))
    if len(cleaned) > MAX_OPTIONS:
        raise ValueError(f"A field may have at most {MAX_OPTIONS} options.")
    return cleaned


class CustomFieldCreate(Input):
    entity_type: str
    label: Name
    key: str | None = None  # derived from the label when not given
    field_type: str
    required: bool = False
    options: list[str] | None = None
    help: OptionalText = None
    display_order: int = 0
    predicts_win: bool = False


class CustomFieldUpdate(Input):
    """The key and the type never change: stored values would lose their meaning."""

    label: Name | None = None
    required: bool | None = None
    options: list[str] | None = None
    help: OptionalText = None
    display_order: int | None = None
    predicts_win: bool | None = None


def read_of(row: CustomFieldDefinition) -> CustomFieldRead:
    return CustomFieldRead(
        id=row.id,
        entity_type=row.entity_type,
        key=row.field_name,
        label=row.field_label,
        field_type=row.field_type,
        required=row.is_required,
        options=tuple(o["value"] for o in row.dropdown_options or []),
        help=row.help_text,
        display_order=row.display_order,
        active=row.is_active,
        created_at=row.created_at,
        updated_at=row.updated_at,
        predicts_win=row.predicts_win,
    )


def key_for(label: str) -> str:
    """ "Region (EMEA)" -> "region_emea": letters, digits and underscores, at most 60."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[:60]
    return key if key and not key[0].isdigit() else f"field_{key}"


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: message})


def _checked(data: CustomFieldCreate | CustomFieldUpdate, field_type: str) -> list[str] | None:
    if data.display_order is not None and not 0 <= data.display_order <= 10_000:
        raise invalid("display_order", "Display order must be a whole number from 0 to 10,000.")
    try:
        options = _options(data.options)
    except ValueError as error:
        raise invalid("options", str(error)) from None
    if field_type in {"DROPDOWN", "MULTI_SELECT"} and options is not None and not options:
        raise invalid("options", "A choice field needs at least one option.")
    if data.predicts_win and field_type not in PREDICTOR_TYPES:
        raise invalid(
            "predicts_win",
            "Only a single choice, a yes/no or a number field can predict the win chance.",
        )
    return options


def _check_predictors(session: Any, entity_type: str, except_id: uuid.UUID | None = None) -> None:
    """At most MAX_PREDICTORS_PER_KIND fields of a kind predict the win chance."""
    query = select(func.count()).where(
        col(CustomFieldDefinition.entity_type) == entity_type,
        col(CustomFieldDefinition.predicts_win).is_(True),
        col(CustomFieldDefinition.is_active).is_(True),
    )
    if except_id is not None:
        query = query.where(col(CustomFieldDefinition.id) != except_id)
    if session.scalar(query) >= MAX_PREDICTORS_PER_KIND:
        raise invalid(
            "predicts_win",
            f"A {entity_type.lower()} may have at most {MAX_PREDICTORS_PER_KIND} fields that "
            "predict the win chance.",
        )


def get_all(
    actor: Actor | None, entity_type: str | None = None, *, include_inactive: bool = False
) -> list[CustomFieldRead]:
    require_access(actor)
    query = select(CustomFieldDefinition).order_by(
        col(CustomFieldDefinition.entity_type),
        col(CustomFieldDefinition.display_order),
        col(CustomFieldDefinition.field_label),
    )
    if entity_type is not None:
        query = query.where(col(CustomFieldDefinition.entity_type) == entity_type)
    if not include_inactive:
        query = query.where(col(CustomFieldDefinition.is_active).is_(True))
    with unit_of_work() as uow:
        return [read_of(row) for row in uow.session.scalars(query)]


def get_by_id(actor: Actor | None, field_id: uuid.UUID) -> CustomFieldRead | None:
    require_access(actor)
    with unit_of_work() as uow:
        row = uow.session.get(CustomFieldDefinition, field_id)
        return read_of(row) if row else None


def create(actor: Actor | None, data: CustomFieldCreate) -> CustomFieldRead:
    actor = require_definitions_manager(actor)
    if registry.described(data.entity_type) is None:
        kinds = ", ".join(d.entity_type for d in registry.all_described())
        raise invalid("entity_type", f"Entity type must be one of {kinds}.")
    if data.field_type not in FIELD_TYPES:
        raise invalid("field_type", f"Field type must be one of {', '.join(FIELD_TYPES)}.")
    options = _checked(data, data.field_type)
    if data.field_type in {"DROPDOWN", "MULTI_SELECT"} and not options:
        raise invalid("options", "A choice field needs at least one option.")
    if data.key is not None and data.key != key_for(data.key):
        raise invalid("key", "A field key holds lower-case letters, digits and underscores.")
    base = data.key or key_for(data.label)
    with unit_of_work() as uow:
        taken = set(
            uow.session.scalars(
                select(col(CustomFieldDefinition.field_name)).where(
                    col(CustomFieldDefinition.entity_type) == data.entity_type
                )
            )
        )
        labels = uow.session.scalars(
            select(func.lower(col(CustomFieldDefinition.field_label))).where(
                col(CustomFieldDefinition.entity_type) == data.entity_type
            )
        ).all()
        if data.label.lower() in labels:
            raise Conflict(f'A {data.entity_type.lower()} field named "{data.label}" exists.')
        if data.key is not None and data.key in taken:
            raise Conflict(f'A {data.entity_type.lower()} field with key "{data.key}" exists.')
        _check_room(uow.session, data.entity_type)
        if data.predicts_win:
            _check_predictors(uow.session, data.entity_type)
        key, n = base, 2
        while key in taken:
            key, n = f"{base}_{n}", n + 1
        row = CustomFieldDefinition(
            entity_type=data.entity_type,
            field_name=key,
            field_label=data.label,
            field_type=data.field_type,
            is_required=data.required,
            dropdown_options=[{"value": o, "label": o} for o in options or []],
            help_text=data.help,
            display_order=data.display_order,
            predicts_win=data.predicts_win,
            created_by_user_id=actor.user_id,
        )
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return read_of(row)


def _check_room(session: Any, entity_type: str) -> None:
    """At most MAX_ACTIVE_PER_KIND active fields per kind (deactivate one to add another)."""
    active = session.scalar(
        select(func.count()).where(
            col(CustomFieldDefinition.entity_type) == entity_type,
            col(CustomFieldDefinition.is_active).is_(True),
        )
    )
    if active >= MAX_ACTIVE_PER_KIND:
        raise invalid(
            "entity_type",
            f"A {entity_type.lower()} may have at most {MAX_ACTIVE_PER_KIND} active custom "
            "fields: deactivate one first.",
        )


def _row(session: Any, field_id: uuid.UUID) -> CustomFieldDefinition:
    row = session.get(CustomFieldDefinition, field_id)
    if row is None:
        raise NotFound(f"Custom field {field_id} does not exist.")
    return row


def update(actor: Actor | None, field_id: uuid.UUID, data: CustomFieldUpdate) -> CustomFieldRead:
    require_definitions_manager(actor)
    given = data.model_fields_set
    with unit_of_work() as uow:
        row = _row(uow.session, field_id)
        options = _checked(data, row.field_type)
        if "label" in given and data.label:
            row.field_label = data.label
        if "required" in given and data.required is not None:
            row.is_required = data.required
        if options is not None and row.field_type in {"DROPDOWN", "MULTI_SELECT"}:
            row.dropdown_options = [{"value": o, "label": o} for o in options]
        if "help" in given:
            row.help_text = data.help
        if "display_order" in given and data.display_order is not None:
            row.display_order = data.display_order
        if "predicts_win" in given and data.predicts_win is not None:
            if data.predicts_win and not row.predicts_win:
                _check_predictors(uow.session, row.entity_type, row.id)
            row.predicts_win = data.predicts_win
        row.updated_at = utc_now()
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return read_of(row)


def set_active(actor: Actor | None, field_id: uuid.UUID, active: bool) -> CustomFieldRead:
    """Deactivate (hidden from forms, values kept) or reactivate a field."""
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        row = _row(uow.session, field_id)
        if active and not row.is_active:
            _check_room(uow.session, row.entity_type)
            if row.predicts_win:
                _check_predictors(uow.session, row.entity_type, row.id)
        row.is_active = active
        row.updated_at = utc_now()
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return read_of(row)
