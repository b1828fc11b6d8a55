"""How input is checked before it enters the engine: the bounds every field has, clean
text, the annotated field types, the frozen ``Input`` base and ``parse``, which turns
pydantic's report into a VALIDATION error that names each field."""

from __future__ import annotations

import json
import re
import unicodedata
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
