"""What a rule may say: its trigger, its trigger's settings and its action, checked
against the workflow when the rule is saved, each problem a sentence naming its field.

Triggers and what ``workflow_step_id`` means for each:

- ``step_entered`` / ``step_exited``: a move into / out of that step (any step: NULL);
- ``transition_taken``: a move into that step (any: NULL), narrowed by
  ``trigger_config.from_step_id``;
- ``entity_created``: a new card (starts on the initial step);
- ``time_in_step_exceeded``: a card has sat in that step (required) for
  ``trigger_config.after_hours`` (or ``after_days``; by default the step's own
  ``sla_hours`` or ``rotting_days``); fires once per stay.
- ``branch_approved`` / ``branch_rejected``: a parallel branch on that step (any: NULL)
  was decided, narrowed by ``trigger_config.branch_id`` (e.g. route a rejected contract
  back to "Negotiation").

Actions (``action_config.type``): ``set_field`` (``field``, ``value``), ``assign_owner``
(``user_id``), ``move_to_step`` (``step_id``), ``notify`` (``to``: owner | role | user,
with ``role`` or ``user_id``; optional ``message``), ``webhook`` (``url``, optional
``secret`` in the Standard Webhooks ``whsec_...`` form).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field

from wfm_app import outbound
from wfm_app.auth.actor import ROLE_PERMISSIONS
from wfm_app.engine.errors import ValidationFailed
from wfm_app.engine.schemas import Input, Metadata, Name, WorkflowGraph, clean_text

TRIGGERS = (
    "step_entered",
    "step_exited",
    "transition_taken",
    "entity_created",
    "time_in_step_exceeded",
    "branch_approved",
    "branch_rejected",
)
BRANCH_TRIGGERS = ("branch_approved", "branch_rejected")
ACTIONS = ("set_field", "assign_owner", "move_to_step", "notify", "webhook")
RECIPIENTS = ("owner", "role", "user")
MAX_HOURS = 24 * 3650
MAX_URL_LENGTH = 2000
MAX_MESSAGE_LENGTH = 500
SECRET_MASK = "********"  # what reads show instead of a webhook secret


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


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: message})


def _uuid(value: Any, field: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise _refuse(field, f"{what} must be an id.") from None


def _step_of(graph: WorkflowGraph, value: Any, field: str) -> uuid.UUID:
    step_id = _uuid(value, field, "The step")
    if graph.step(step_id) is None:
        raise _refuse(field, f'That step is not part of workflow "{graph.workflow.name}".')
    return step_id


def check_trigger(
    graph: WorkflowGraph,
    trigger: str,
    step_id: uuid.UUID | None,
    config: dict[str, Any] | None,
) -> dict[str, Any]:
    """The trigger's settings as stored, or ValidationFailed naming the field."""
    if trigger not in TRIGGERS:
        raise _refuse("trigger_event", f"The trigger must be one of {', '.join(TRIGGERS)}.")
    if step_id is not None:
        _step_of(graph, step_id, "workflow_step_id")
    config = _spelled_our_way(dict(config or {}))
    allowed = {
        "time_in_step_exceeded": {"after_hours"},
        "transition_taken": {"from_step_id"},
        "branch_approved": {"branch_id"},
        "branch_rejected": {"branch_id"},
    }
    unknown = set(config) - allowed.get(trigger, set())
    if unknown:
        raise _refuse("trigger_config", f"{trigger} takes no {', '.join(sorted(unknown))}.")
    if trigger == "time_in_step_exceeded":
        if step_id is None:
            raise _refuse("workflow_step_id", "A time-in-step trigger needs its step.")
        if "after_hours" not in config:  # the step's own SLA, or its rotting time
            config["after_hours"] = _step_limit_hours(graph, step_id)
        hours = config.get("after_hours")
        if (
            not isinstance(hours, int | float)
            or isinstance(hours, bool)
            or not 0 < hours <= MAX_HOURS
        ):
            raise _refuse(
                "trigger_config.after_hours",
                f"After how many hours: a number above 0 and at most {MAX_HOURS:,}.",
            )
    if trigger == "entity_created" and step_id is not None:
        raise _refuse("workflow_step_id", "A new card always starts on the initial step.")
    if "branch_id" in config:
        branch_id = _uuid(config["branch_id"], "trigger_config.branch_id", "The branch")
        if not any(branch.id == branch_id for branch in graph.branches):
            raise _refuse(
                "trigger_config.branch_id",
                f'That branch is not part of workflow "{graph.workflow.name}".',
            )
        config["branch_id"] = str(branch_id)
    if "from_step_id" in config:
        config["from_step_id"] = str(
            _step_of(graph, config["from_step_id"], "trigger_config.from_step_id")
        )
    return config


def _spelled_our_way(config: dict[str, Any]) -> dict[str, Any]:
    """camelCase keys (as GraphQL clients write them) and a time in days, as stored."""
    renames = {
        "afterHours": "after_hours",
        "hours": "after_hours",
        "fromStepId": "from_step_id",
        "branchId": "branch_id",
    }
    out = {renames.get(key, key): value for key, value in config.items()}
    for days in ("after_days", "afterDays", "days"):
        if days in out:
            value = out.pop(days)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            out["after_hours"] = value * 24 if number else value
    return out


def _step_limit_hours(graph: WorkflowGraph, step_id: uuid.UUID) -> Any:
    step = graph.step(step_id)
    metadata = step.metadata if step else {}
    if isinstance(metadata.get("sla_hours"), int | float):
        return metadata["sla_hours"]
    if isinstance(metadata.get("rotting_days"), int | float):
        return metadata["rotting_days"] * 24
    return None


def _check_secret(secret: Any) -> str | None:
    if secret in (None, ""):
        return None
    field = "action_config.secret"
    if not isinstance(secret, str) or not secret.startswith("whsec_") or len(secret) > 200:
        raise _refuse(field, "The secret must look like whsec_ followed by base64.")
    try:
        if not base64.b64decode(secret.removeprefix("whsec_") + "==", validate=False):
            raise ValueError
    except (binascii.Error, ValueError):
        raise _refuse(field, "The secret must look like whsec_ followed by base64.") from None
    return secret


def _check_url(url: Any) -> str:
    field = "action_config.url"
    if not isinstance(url, str) or not url.strip():
        raise _refuse(field, "The webhook needs a URL.")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise _refuse(field, f"The URL must be at most {MAX_URL_LENGTH:,} characters.")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise _refuse(field, "The URL must start with http:// or https:// and name a host.")
    try:  # what can be told now; the address a name resolves to is checked at each send
        outbound.check_url(url)
    except outbound.Refused as refused:
        raise _refuse(field, refused.message) from None
    return url


def _check_notify(config: dict[str, Any]) -> dict[str, Any]:
    to = config.get("to", "owner")
    if to not in RECIPIENTS:
        raise _refuse("action_config.to", f"Notify whom: one of {', '.join(RECIPIENTS)}.")
    out: dict[str, Any] = {"type": "notify", "to": to}
    if to == "role":
        if config.get("role") not in ROLE_PERMISSIONS:
            known = ", ".join(ROLE_PERMISSIONS)
            raise _refuse("action_config.role", f"Notify which role: one of {known}.")
        out["role"] = config["role"]
    if to == "user":
        out["user_id"] = str(_uuid(config.get("user_id"), "action_config.user_id", "The user"))
    message = config.get("message")
    if message not in (None, ""):
        try:
            out["message"] = clean_text(str(message), what="The message", limit=MAX_MESSAGE_LENGTH)
        except ValueError as error:
            raise _refuse("action_config.message", str(error)) from None
    return out


def check_action(
    graph: WorkflowGraph, config: dict[str, Any] | None, field_labels: dict[str, str]
) -> dict[str, Any]:
    """The action as stored, or ValidationFailed naming the field. Values for
    ``set_field`` are checked again, against the card, when the rule runs."""
    config = dict(config or {})
    kind = config.get("type")
    if kind not in ACTIONS:
        raise _refuse("action_config.type", f"The action must be one of {', '.join(ACTIONS)}.")
    if kind == "set_field":
        field = config.get("field")
        if field not in field_labels:
            raise _refuse(
                "action_config.field", f'"{field}" is not a field of the records on this workflow.'
            )
        return {"type": kind, "field": field, "value": config.get("value")}
    if kind == "assign_owner":
        user_id = _uuid(config.get("user_id"), "action_config.user_id", "The user")
        return {"type": kind, "user_id": str(user_id)}
    if kind == "move_to_step":
        step_id = _step_of(graph, config.get("step_id"), "action_config.step_id")
        return {"type": kind, "step_id": str(step_id)}
    if kind == "notify":
        return _check_notify(config)
    out = {"type": kind, "url": _check_url(config.get("url"))}
    secret = _check_secret(config.get("secret"))
    if secret:
        out["secret"] = secret
    return out


def masked(action_config: dict[str, Any]) -> dict[str, Any]:
    """The action as reads show it: a webhook's secret is never sent back, nor the values
    in its URL's query (tokens often travel there)."""
    shown = dict(action_config)
    if shown.get("secret"):
        shown["secret"] = SECRET_MASK
    if isinstance(shown.get("url"), str):
        shown["url"] = outbound.masked_url(shown["url"])
    return shown


def unmasked(given: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """An edited action as it is to be saved: where the editor sent back the masked secret
    or URL it was shown, what is stored stays."""
    kept = dict(given)
    if kept.get("secret") == SECRET_MASK:
        kept["secret"] = stored.get("secret")
    stored_url = stored.get("url")
    if isinstance(stored_url, str) and kept.get("url") == outbound.masked_url(stored_url):
        kept["url"] = stored_url
    return kept
