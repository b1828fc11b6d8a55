"""Custom fields over GraphQL with PipeCD's names: definitions (admin operations) and
each entity's ``customFieldValues`` / ``customFields`` input."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.inputs import given
from wfm_app.engine import custom_fields, custom_values, registry
from wfm_app.engine.custom_fields import CustomFieldCreate, CustomFieldRead, CustomFieldUpdate
from wfm_app.engine.inputs import parse
from wfm_app.errors import ValidationFailed

Info = strawberry.Info[Context, None]


@strawberry.enum(name="CustomFieldType")
class CustomFieldType(Enum):
    TEXT = "TEXT"
    NUMBER = "NUMBER"
    DATE = "DATE"
    BOOLEAN = "BOOLEAN"
    DROPDOWN = "DROPDOWN"
    MULTI_SELECT = "MULTI_SELECT"


@strawberry.enum(name="CustomFieldEntityType")
class CustomFieldEntityType(Enum):
    DEAL = "DEAL"
    LEAD = "LEAD"
    TICKET = "TICKET"


@strawberry.type(name="CustomFieldOption")
class CustomFieldOption:
    value: str
    label: str


@strawberry.type(name="CustomFieldDefinition")
class CustomFieldDefinition:
    _read: strawberry.Private[CustomFieldRead]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field(description="A built-in kind's entity type; null for an admin's kind.")
    def entity_type(self) -> CustomFieldEntityType | None:
        built_in = self._read.entity_type in CustomFieldEntityType.__members__
        return CustomFieldEntityType(self._read.entity_type) if built_in else None

    @strawberry.field(description="The key of the kind the field belongs to (deal, ...).")
    def kind(self) -> str:
        described = registry.described(self._read.entity_type)
        return described.key if described else self._read.entity_type.lower()

    @strawberry.field
    def field_name(self) -> str:
        return self._read.key

    @strawberry.field
    def field_label(self) -> str:
        return self._read.label

    @strawberry.field
    def field_type(self) -> CustomFieldType:
        return CustomFieldType(self._read.field_type)

    @strawberry.field
    def is_required(self) -> bool:
        return self._read.required

    @strawberry.field
    def is_active(self) -> bool:
        return self._read.active

    @strawberry.field
    def dropdown_options(self) -> list[CustomFieldOption] | None:
        options = self._read.options
        return [CustomFieldOption(value=o, label=o) for o in options] if options else None

    @strawberry.field
    def field_description(self) -> str | None:
        return self._read.help

    @strawberry.field
    def display_order(self) -> int:
        return self._read.display_order

    @strawberry.field(
        description="The learned win chance uses this field's values (a single choice, "
        "yes/no or number field), where enough closed cards carry them."
    )
    def predicts_win(self) -> bool:
        return self._read.predicts_win

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.created_at

    @strawberry.field
    def updated_at(self) -> datetime:
        return self._read.updated_at


@strawberry.type(name="CustomFieldValue")
class CustomFieldValue:
    definition: CustomFieldDefinition
    string_value: str | None = None
    number_value: float | None = None
    boolean_value: bool | None = None
    date_value: datetime | None = None
    selected_option_values: list[str] | None = None


def values_of(specs: list[CustomFieldRead], stored: dict[str, Any]) -> list[CustomFieldValue]:
    """An entity's custom values, one per active definition (empty slots when unset)."""
    out = []
    for spec in specs:
        value = stored.get(spec.key)
        slot: dict[str, Any] = {}
        if value is not None:
            if spec.field_type == "DATE":
                slot["date_value"] = datetime.fromisoformat(str(value))
            elif spec.field_type == "NUMBER":
                slot["number_value"] = float(value)
            elif spec.field_type == "BOOLEAN":
                slot["boolean_value"] = bool(value)
            elif spec.field_type in {"DROPDOWN", "MULTI_SELECT"}:
                slot["selected_option_values"] = value if isinstance(value, list) else [value]
                slot["string_value"] = value if isinstance(value, str) else None
            else:
                slot["string_value"] = str(value)
        out.append(CustomFieldValue(definition=CustomFieldDefinition(_read=spec), **slot))
    return out


def entity_values(value: object, entity_type: str) -> dict[str, Any]:
    """An entity input's fields; its ``customFields`` list becomes values by field key."""
    values = given(value)
    items = values.pop("custom_fields", None)
    if items is not None:
        values["custom_fields"] = custom_values.values_from_typed(
            entity_type, [given(item) for item in items]
        )
    return values


@strawberry.input(name="CustomFieldOptionInput")
class CustomFieldOptionInput:
    value: str
    label: str | None = None


@strawberry.input(name="CustomFieldDefinitionInput")
class CustomFieldDefinitionInput:
    field_label: str
    field_type: CustomFieldType
    field_name: str | None = None  # ours derive the key from the label; a given one is checked
    is_required: bool | None = False
    dropdown_options: list[CustomFieldOptionInput] | None = None
    display_order: int | None = 0
    field_description: str | None = None
    entity_type: CustomFieldEntityType | None = None  # a built-in kind's, or
    kind: str | None = None  # any kind's key ("purchase-request")
    predicts_win: bool = False


@strawberry.input(name="UpdateCustomFieldDefinitionInput")
class UpdateCustomFieldDefinitionInput:
    field_label: str | None = strawberry.UNSET
    is_required: bool | None = strawberry.UNSET
    dropdown_options: list[CustomFieldOptionInput] | None = strawberry.UNSET
    display_order: int | None = strawberry.UNSET
    field_description: str | None = strawberry.UNSET
    predicts_win: bool | None = strawberry.UNSET


_RENAMES = {
    "field_label": "label",
    "is_required": "required",
    "field_description": "help",
    "dropdown_options": "options",
}


def _definition_values(value: object) -> dict[str, Any]:
    values = given(value, _RENAMES)
    if values.get("options") is not None:
        values["options"] = [option.value for option in values["options"]]
    for enum_key in ("entity_type", "field_type"):
        if isinstance(values.get(enum_key), Enum):
            values[enum_key] = values[enum_key].value
    key = values.pop("field_name", None)
    if key is not None:
        values["key"] = key
    kind = values.pop("kind", None)
    if kind is not None:
        values["entity_type"] = _entity_type_of_kind(str(kind), values.get("entity_type"))
    return values


def _entity_type_of_kind(kind: str, entity_type: str | None) -> str:
    described = registry.by_key(kind[:60])
    if described is None:
        message = f'There is no kind "{kind[:60]}".'
        raise ValidationFailed(message, {"kind": message})
    if entity_type not in (None, described.entity_type):
        message = f'entityType {entity_type} is not the kind "{kind}": give one of them.'
        raise ValidationFailed(message, {"kind": message})
    return described.entity_type


def _id(value: strawberry.ID) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed(f"{value!r} is not a valid custom field id.") from None


@strawberry.type
class CustomFieldQueries:
    @strawberry.field
    def custom_field_definitions(
        self,
        info: Info,
        entity_type: CustomFieldEntityType | None = None,
        kind: str | None = None,
        include_inactive: bool = False,
    ) -> list[CustomFieldDefinition]:
        named = entity_type.value if entity_type else None
        if kind is not None:
            named = _entity_type_of_kind(kind, named)
        if named is None:
            message = "Give entityType or kind."
            raise ValidationFailed(message, {"kind": message})
        found = custom_fields.get_all(
            info.context.require_actor(), named, include_inactive=include_inactive
        )
        return [CustomFieldDefinition(_read=f) for f in found]

    @strawberry.field
    def custom_field_definition(
        self, info: Info, id: strawberry.ID
    ) -> CustomFieldDefinition | None:
        found = custom_fields.get_by_id(info.context.require_actor(), _id(id))
        return CustomFieldDefinition(_read=found) if found else None


@strawberry.type
class CustomFieldMutations:
    @strawberry.mutation
    def create_custom_field_definition(
        self, info: Info, input: CustomFieldDefinitionInput
    ) -> CustomFieldDefinition:
        data = parse(CustomFieldCreate, _definition_values(input))
        return CustomFieldDefinition(_read=custom_fields.create(info.context.require_actor(), data))

    @strawberry.mutation
    def update_custom_field_definition(
        self, info: Info, id: strawberry.ID, input: UpdateCustomFieldDefinitionInput
    ) -> CustomFieldDefinition:
        data = parse(CustomFieldUpdate, _definition_values(input))
        made = custom_fields.update(info.context.require_actor(), _id(id), data)
        return CustomFieldDefinition(_read=made)

    @strawberry.mutation
    def deactivate_custom_field_definition(
        self, info: Info, id: strawberry.ID
    ) -> CustomFieldDefinition:
        made = custom_fields.set_active(info.context.require_actor(), _id(id), False)
        return CustomFieldDefinition(_read=made)

    @strawberry.mutation
    def reactivate_custom_field_definition(
        self, info: Info, id: strawberry.ID
    ) -> CustomFieldDefinition:
        made = custom_fields.set_active(info.context.require_actor(), _id(id), True)
        return CustomFieldDefinition(_read=made)
