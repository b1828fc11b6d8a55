"""Helpers every page state shares: turning engine errors into what the page shows."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx
from reflex.config import get_config
from reflex.event import EventSpec

from wfm_app.auth.actor import Actor
from wfm_app.engine import people
from wfm_app.engine.inputs import InputT, parse
from wfm_app.errors import ValidationFailed, WfmError
from wfm_app.observability import operations

T = TypeVar("T")


def as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def page_id(value: str) -> uuid.UUID:
    """An id the page sent back; a mangled one becomes the nil id, which finds nothing,
    so the service answers it as it answers any id that is not there."""
    return as_uuid(value) or uuid.UUID(int=0)


def completed(action: Callable[[], object]) -> Callable[[], bool]:
    """For ``attempt`` around a service that answers nothing (a delete): True once done."""

    def run() -> bool:
        action()
        return True

    return run


def form_values(form: dict[str, Any], *, flags: tuple[str, ...] = ()) -> dict[str, Any]:
    """Browser form data: blank strings become None, checkboxes become booleans."""
    values: dict[str, Any] = {k: (v if v != "" else None) for k, v in form.items()}
    for flag in flags:
        values[flag] = form.get(flag) in ("on", True, "true")
    return values


def attempt(action: Callable[[], T]) -> tuple[T | None, str, dict[str, str]]:
    """(result, error sentence, field errors): a refused action changes nothing."""
    try:
        return action(), "", {}
    except ValidationFailed as error:
        return None, error.message, error.field_errors
    except WfmError as error:
        return None, error.message, {}


def parse_or_errors(
    model: type[InputT], data: dict[str, Any]
) -> tuple[InputT | None, str, dict[str, str]]:
    """Validate the fields the model knows; the browser may send more (ids, pickers)."""
    known = {key: value for key, value in data.items() if key in model.model_fields}
    return attempt(lambda: parse(model, known))


def focus(selector: str) -> EventSpec:
    """Move focus to ``selector`` once the page has drawn this event's changes, unless
    the person has meanwhile moved on to a field (assets/a11y.js)."""
    return rx.call_script(f"window.wfmFocus && window.wfmFocus({selector!r})")


def said(error: WfmError) -> str:
    """A refusal's sentence with the reference support finds its log line by."""
    reference = operations.reference_of(error)
    return f"{error.message} (reference {reference})" if reference else error.message


def report_timing(measure: str) -> EventSpec:
    """Ask the page to report how long this took it (assets/timing.js): ``board_shown``
    or ``drop_confirmed``, into the backend's /beacon."""
    url = f"{get_config().api_url.rstrip('/')}/beacon"
    return rx.call_script(f"window.wfmTiming && window.wfmTiming({url!r}, {measure!r})")


def focus_first_invalid() -> EventSpec:
    """A refused form: its first invalid field."""
    return focus('[role="dialog"] [aria-invalid="true"]')


def reset_form(form_id: str) -> EventSpec:
    """Clear a form after a save went through (a refused save keeps what was typed)."""
    return rx.call_script(f"document.getElementById({form_id!r})?.reset()")


def people_options(actor: Actor | None) -> list[dict[str, str]]:
    """Everyone as select options (owner pickers and filters; the service decides who
    may list them)."""
    return [
        {"value": str(u.id), "label": u.display_name or u.email or u.subject}
        for u in people.get_all(actor)
    ]
