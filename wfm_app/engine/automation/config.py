"""What a rule is: its inputs and read value, the secret and URL masks reads apply, and
the small checks every trigger and action shares. The triggers (triggers.py) and the
actions (actions.py) are registries that say what each one takes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from wfm_app import outbound
from wfm_app.engine.inputs import Input, Metadata, Name
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.errors import ValidationFailed

MAX_HOURS = 24 * 3650
MAX_URL_LENGTH = 2000
MAX_MESSAGE_LENGTH = 500
SECRET_MASK = "********"  # what reads show instead of a webhook secret
SECRET_KEYS = ("secret", "auth_header")  # an action's settings never read back nor exported


class RuleCreate(Input):
    name: Name
    workflow_id: uuid.UUID
    workflow_step_id: uuid.UUID | None = None
    trigger_event: str
    trigger_config: Metadata = None
    conditions: Metadata = None
    action_config: Metadata = None
    is_enabled: bool = True
    position: int = Field(default=0, ge=0, le=10_000)


class RuleUpdate(Input):
    """Only the fields that were given change."""

    name: Name | None = None
    workflow_step_id: uuid.UUID | None = None
    trigger_event: str | None = None
    trigger_config: Metadata = None
    conditions: Metadata = None
    action_config: Metadata = None
    is_enabled: bool | None = None
    position: int | None = Field(default=None, ge=0, le=10_000)


@dataclass(frozen=True, slots=True)
class RuleRead:
    id: uuid.UUID
    workflow_id: uuid.UUID
    workflow_step_id: uuid.UUID | None
    name: str
    trigger_event: str
    trigger_config: dict[str, Any]
    conditions: dict[str, Any] | None
    action_config: dict[str, Any]  # the secret masked
    is_enabled: bool
    position: int
    created_at: datetime
    updated_at: datetime


def refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: message})


def uuid_of(value: Any, field: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise refuse(field, f"{what} must be an id.") from None


def step_of(graph: WorkflowGraph, value: Any, field: str) -> uuid.UUID:
    step_id = uuid_of(value, field, "The step")
    if graph.step(step_id) is None:
        raise refuse(field, f'That step is not part of workflow "{graph.workflow.name}".')
    return step_id


def number_or_none(value: Any) -> float | None:
    """A JSON number (not a boolean), else None."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def masked(action_config: dict[str, Any]) -> dict[str, Any]:
    """The action as reads show it: a webhook's secret is never sent back, nor the values
    in its URL's query (tokens often travel there)."""
    shown = dict(action_config)
    for key in SECRET_KEYS:
        if shown.get(key):
            shown[key] = SECRET_MASK
    if isinstance(shown.get("url"), str):
        shown["url"] = outbound.masked_url(shown["url"])
    return shown


def unmasked(given: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """An edited action as it is to be saved: where the editor sent back the masked secret
    or URL it was shown, what is stored stays."""
    kept = dict(given)
    for key in SECRET_KEYS:
        if kept.get(key) == SECRET_MASK:
            kept[key] = stored.get(key)
    stored_url = stored.get("url")
    if isinstance(stored_url, str) and kept.get("url") == outbound.masked_url(stored_url):
        kept["url"] = stored_url
    return kept
