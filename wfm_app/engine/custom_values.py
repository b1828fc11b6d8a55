"""Custom field values: checked against their definitions on every write (``clean_values``),
kept in the entity's ``custom_field_values`` document by field key. A value is refused
rather than changed: text stays text, a number that would round to 0 or to infinity is
refused, a choice must be one of the field's options."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from wfm_app.engine import definitions
from wfm_app.engine.custom_fields import (
    PREFIX,
    CustomFieldDefinition,
    CustomFieldRead,
    invalid,
    read_of,
)
from wfm_app.engine.inputs import MAX_TEXT_LENGTH, clean_text
from wfm_app.errors import ValidationFailed

MAX_NUMBER = Decimal("1e15")
MAX_NUMBER_TEXT = 64


def cached_definitions(entity_type: str) -> list[CustomFieldRead]:
    """Every definition of an entity type, inactive ones too, from the definitions cache:
    each create and update checks its values against them."""

    def load(session: Any) -> list[CustomFieldRead]:
        query = select(CustomFieldDefinition).where(
            col(CustomFieldDefinition.entity_type) == entity_type
        )
        return [read_of(row) for row in session.scalars(query)]

    return definitions.cached("custom_fields", entity_type, load)


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _number(value: Any, label: str) -> float:
    """A number as stored (a JSON number): refused rather than rounded to 0 or infinity."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError(f"{label} must be a number.")
    text = str(value).strip().replace(",", "")
    if len(text) > MAX_NUMBER_TEXT:
        raise ValueError(f"{label} must be a number of at most {MAX_NUMBER_TEXT} characters.")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{label} must be a number.") from None
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise ValueError(f"{label} must be a number below 10^15.")
    stored = float(number)
    if number != 0 and abs(stored) < sys.float_info.min:  # would underflow to 0 (or lose digits)
        raise ValueError(f"{label} is too close to 0 to store: use 0 or a number above 1e-300.")
    return stored


def _convert(spec: CustomFieldRead, value: Any) -> Any:
    """The stored form of one value; ValueError with a sentence when it does not fit."""
    kind, label = spec.field_type, spec.label
    if kind == "TEXT":
        if not isinstance(value, str):  # an object would be stored as Python's repr of it
            raise ValueError(f"{label} must be text.")
        return clean_text(value, what=label, limit=MAX_TEXT_LENGTH)
    if kind == "NUMBER":
        return _number(value, label)
    if kind == "DATE":
        text = str(value).strip()[:10]  # PipeCD's client sends 2025-07-16T00:00:00.000Z
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"{label} must be a date such as 2026-12-31.") from None
    if kind == "BOOLEAN":
        if isinstance(value, bool):
            return value
        if str(value).lower() in {"true", "on", "yes", "1"}:
            return True
        if str(value).lower() in {"false", "off", "no", "0"}:
            return False
        raise ValueError(f"{label} must be yes or no.")
    chosen = value if isinstance(value, list) else [value]
    wrong = [str(c) for c in chosen if str(c) not in spec.options]
    if wrong:
        raise ValueError(f"{label} must be one of {', '.join(spec.options)}.")
    if kind == "DROPDOWN":
        if len(chosen) != 1:
            raise ValueError(f"{label} takes one choice.")
        return str(chosen[0])
    return [str(c) for c in dict.fromkeys(chosen)]


def clean_values(
    entity_type: str,
    given: dict[str, Any] | None,
    *,
    current: dict[str, Any] | None = None,
    creating: bool,
) -> dict[str, Any]:
    """The entity's custom values after applying ``given`` (field key -> value), each
    checked against its definition; ValidationFailed names each bad field as
    ``custom.<key>``. Creating, every active required field needs a value; updating,
    a required field may not be cleared. Values of inactive fields are kept as they are."""
    specs = {s.key: s for s in cached_definitions(entity_type)}
    values = dict(current or {})
    errors: dict[str, str] = {}
    for raw_key, value in (given or {}).items():
        key = raw_key.removeprefix(PREFIX)
        spec = specs.get(key)
        if spec is None or not spec.active:
            errors[PREFIX + key] = f'There is no custom field "{key}" on this record.'
            continue
        if _blank(value):
            values.pop(key, None)
            continue
        try:
            values[key] = _convert(spec, value)
        except ValueError as error:
            errors[PREFIX + key] = str(error)
    for spec in specs.values():
        touched = creating or PREFIX + spec.key in (given or {}) or spec.key in (given or {})
        if spec.active and spec.required and touched and _blank(values.get(spec.key)):
            errors.setdefault(PREFIX + spec.key, f"{spec.label} is required.")
    if errors:
        raise ValidationFailed("Please correct the input. " + " ".join(errors.values()), errors)
    return values


_TYPED_SLOT = {
    "TEXT": "string_value",
    "NUMBER": "number_value",
    "DATE": "date_value",
    "BOOLEAN": "boolean_value",
    "MULTI_SELECT": "selected_option_values",
}


def values_from_typed(entity_type: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """PipeCD's value inputs (definition id + one typed slot) -> values by field key."""
    specs = {str(s.id): s for s in cached_definitions(entity_type)}
    values: dict[str, Any] = {}
    for item in items:
        spec = specs.get(str(item.get("definition_id")))
        if spec is None:
            message = f"Custom field definition {item.get('definition_id')} is not on this record."
            raise invalid("customFields", message)
        if spec.field_type == "DROPDOWN":
            chosen = item.get("selected_option_values") or []
            values[spec.key] = (
                chosen[0] if len(chosen) == 1 else (chosen or item.get("string_value"))
            )
        else:
            values[spec.key] = item.get(_TYPED_SLOT[spec.field_type])
    return values
