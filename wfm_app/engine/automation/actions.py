"""Every automation action, each one object: its label, the editor's inputs, how its
settings are checked when a rule is saved, what it does when the rule runs (a sentence
for the run's record, and the card as it leaves it), and how the rule list says it. The
rule checks, the runner, the editor and definition files read this registry; an action
not in it is refused when saved and never run.

Actions run inside the transaction of what set them off; card changes go through the
entity's service acting as ``Actor.automation()`` (the same checks as a person's).
A new action is one ``Action`` here.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session

from wfm_app import outbound
from wfm_app.auth.actor import ROLE_PERMISSIONS, Actor, roles_in_words
from wfm_app.auth.models import User
from wfm_app.engine import definitions, rules
from wfm_app.engine.automation import notifications, outbox, triggers, webhook_formats
from wfm_app.engine.automation.config import (
    MAX_MESSAGE_LENGTH,
    MAX_URL_LENGTH,
    RuleRead,
    refuse,
    step_of,
    uuid_of,
)
from wfm_app.engine.automation.events import Event, Subject
from wfm_app.engine.inputs import clean_text
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.errors import NotFound
from wfm_app.sqltypes import utc_now

RECIPIENTS = ("owner", "role", "user")
Settings = dict[str, Any]
Labels = dict[str, str]
Checked = dict[str, Any]
Done = tuple[str, Subject]


@dataclass(frozen=True)
class Action:
    key: str
    label: str  # the editor's "Then": "Notify someone"
    inputs: tuple[str, ...]  # the editor's inputs it needs
    # (graph, given settings, field labels) -> the settings as stored, or ValidationFailed
    check: Callable[[WorkflowGraph, dict[str, Any], dict[str, str]], Checked]
    # (session, rule, event, card) -> a sentence for the run's record, and the card after
    perform: Callable[[Session, RuleRead, Event, Subject], Done]
    # (settings, step names, field labels) -> the rule list's "Then": "Notify owner"
    summary: Callable[[dict[str, Any], dict[str, str], dict[str, str]], str]
    # settings that name another definition: (key, "step" | "user"), remapped when a
    # workflow is copied and written by name in definition files
    references: tuple[tuple[str, str], ...] = ()


def _step(event: Event, step_id: uuid.UUID | None) -> dict[str, str] | None:
    step = definitions.graph(event.workflow_id).step(step_id) if step_id else None
    return {"id": str(step.id), "name": step.display_name} if step else None


def describe(rule: RuleRead, event: Event, subject: Subject) -> str:
    """'Deal "Acme renewal" entered Proposal.'"""
    from_step, to_step = _step(event, event.from_step_id), _step(event, event.to_step_id)
    what = triggers.get(event.trigger).happened.format(
        from_=from_step["name"] if from_step else "",
        to=to_step["name"] if to_step else "",
        hours=float(rule.trigger_config.get("after_hours") or 0),
    )
    noun = subject.handler.description.noun.capitalize()
    return f'{noun} "{subject.name}" {what}.'


def payload(rule: RuleRead, event: Event, subject: Subject) -> dict[str, Any]:
    """The webhook body (Standard Webhooks' type / timestamp / data envelope)."""
    return {
        "type": f"wfm.{event.trigger}",
        "timestamp": utc_now().isoformat(),
        "data": {
            "rule": {"id": str(rule.id), "name": rule.name},
            "entity_type": subject.handler.description.entity_type,
            "entity_id": str(subject.entity_id),
            "name": subject.name,
            "owner_id": str(subject.owner_id) if subject.owner_id else None,
            "wfm_project_id": str(subject.project_id),
            "workflow_id": str(subject.workflow_id),
            "from_step": _step(event, event.from_step_id),
            "to_step": _step(event, event.to_step_id),
            "by_user_id": str(event.actor.user_id) if event.actor.user_id else None,
            "summary": describe(rule, event, subject),
        },
    }


def _user_name(session: Session, user_id: uuid.UUID) -> str:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} does not exist.")
    return user.display_name or user.email or str(user_id)


# ---- set_field ----------------------------------------------------------------------------


def _check_set_field(
    _graph: WorkflowGraph, config: dict[str, Any], labels: dict[str, str]
) -> Checked:
    field = config.get("field")
    if field not in labels:
        raise refuse(
            "action_config.field", f'"{field}" is not a field of the records on this workflow.'
        )
    # The value is checked against the card when the rule runs (through its service).
    return {"type": "set_field", "field": field, "value": config.get("value")}


def _set_field(_session: Session, rule: RuleRead, _event: Event, subject: Subject) -> Done:
    config = rule.action_config
    field = config["field"]
    changed = subject.handler.set_values(Actor.automation(), subject, {field: config.get("value")})
    label = rules.field_labels(subject.workflow_id).get(field, field)
    return f"Set {label} to {config.get('value')!r}.", changed


# ---- assign_owner -------------------------------------------------------------------------


def _check_assign(
    _graph: WorkflowGraph, config: dict[str, Any], _labels: dict[str, str]
) -> Checked:
    user_id = uuid_of(config.get("user_id"), "action_config.user_id", "The user")
    return {"type": "assign_owner", "user_id": str(user_id)}


def _assign(session: Session, rule: RuleRead, _event: Event, subject: Subject) -> Done:
    user_id = uuid.UUID(rule.action_config["user_id"])
    name = _user_name(session, user_id)
    changed = subject.handler.set_owner(Actor.automation(), subject, user_id)
    return f"Assigned to {name}.", changed


# ---- move_to_step -------------------------------------------------------------------------


def _check_move(graph: WorkflowGraph, config: Settings, _labels: Labels) -> Checked:
    step_id = step_of(graph, config.get("step_id"), "action_config.step_id")
    return {"type": "move_to_step", "step_id": str(step_id)}


def _move(_session: Session, rule: RuleRead, _event: Event, subject: Subject) -> Done:
    step_id = uuid.UUID(rule.action_config["step_id"])
    changed = subject.handler.move_to(Actor.automation(), subject, step_id)
    step = definitions.graph(subject.workflow_id).step(step_id)
    return f"Moved to {step.display_name if step else step_id}.", changed


# ---- notify ---------------------------------------------------------------------------------


def _check_notify(
    _graph: WorkflowGraph, config: dict[str, Any], _labels: dict[str, str]
) -> Checked:
    to = config.get("to", "owner")
    if to not in RECIPIENTS:
        raise refuse("action_config.to", f"Notify whom: one of {', '.join(RECIPIENTS)}.")
    out: dict[str, Any] = {"type": "notify", "to": to}
    if to == "role":
        if config.get("role") not in ROLE_PERMISSIONS:
            known = ", ".join(ROLE_PERMISSIONS)
            raise refuse("action_config.role", f"Notify which role: one of {known}.")
        out["role"] = config["role"]
    if to == "user":
        out["user_id"] = str(uuid_of(config.get("user_id"), "action_config.user_id", "The user"))
    message = config.get("message")
    if message not in (None, ""):
        try:
            out["message"] = clean_text(str(message), what="The message", limit=MAX_MESSAGE_LENGTH)
        except ValueError as error:
            raise refuse("action_config.message", str(error)) from None
    return out


def _notify(session: Session, rule: RuleRead, event: Event, subject: Subject) -> Done:
    config = rule.action_config
    users = notifications.recipients(session, config, subject)
    message = config.get("message") or describe(rule, event, subject)
    notifications.send(session, users, message, subject)
    return f"Notified {len(users)} {'person' if len(users) == 1 else 'people'}.", subject


# ---- webhook ---------------------------------------------------------------------------------


def _check_secret(secret: Any) -> str | None:
    if secret in (None, ""):
        return None
    field, sentence = "action_config.secret", "The secret must look like whsec_ followed by base64."
    if not isinstance(secret, str) or not secret.startswith("whsec_") or len(secret) > 200:
        raise refuse(field, sentence)
    try:
        if not base64.b64decode(secret.removeprefix("whsec_") + "==", validate=False):
            raise ValueError
    except (binascii.Error, ValueError):
        raise refuse(field, sentence) from None
    return secret


def _check_url(url: Any) -> str:
    field = "action_config.url"
    if not isinstance(url, str) or not url.strip():
        raise refuse(field, "The webhook needs a URL.")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise refuse(field, f"The URL must be at most {MAX_URL_LENGTH:,} characters.")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise refuse(field, "The URL must start with http:// or https:// and name a host.")
    try:  # what can be told now; the address a name resolves to is checked at each send
        outbound.check_url(url)
    except outbound.Refused as refused:
        raise refuse(field, refused.message) from None
    return url


def _check_webhook(graph: WorkflowGraph, config: dict[str, Any], _labels: Labels) -> Checked:
    url = _check_url(config.get("url"))
    out: dict[str, Any] = {"type": "webhook", "url": url}
    secret = _check_secret(config.get("secret"))
    if secret:
        out["secret"] = secret
    return out | webhook_formats.check(graph, config, url)


def _webhook(session: Session, rule: RuleRead, event: Event, subject: Subject) -> Done:
    config = rule.action_config
    if not config.get("format"):
        outbox.enqueue(session, rule, f"wfm.{event.trigger}", payload(rule, event, subject))
        # Members read this under their card: nothing of the admin's configuration.
        return "A webhook was sent.", subject
    call = webhook_formats.request(session, config, event, subject, describe(rule, event, subject))
    if isinstance(call, str):
        return call, subject
    outbox.enqueue(
        session, rule, f"wfm.{event.trigger}", call.body, url=call.url, method=call.method
    )
    return f"A {webhook_formats.SYSTEMS[config['format']]} call was sent.", subject


def _webhook_summary(config: dict[str, Any], _names: Labels, _labels: Labels) -> str:
    if config.get("format"):
        return webhook_formats.describe(config)
    return f"Call {config['url']}"


_NOTIFIED = {"owner": "the card's owner", "user": "one person"}  # a rule's summary

_ALL = (
    Action(
        "set_field",
        "Set a field",
        ("set_field", "set_value"),
        _check_set_field,
        _set_field,
        lambda c, _names, labels: f"Set {labels.get(c['field'], c['field'])} to {c.get('value')}",
    ),
    Action(
        "assign_owner",
        "Assign an owner",
        ("user_id",),
        _check_assign,
        _assign,
        lambda _c, _names, _labels: "Assign an owner",
        references=(("user_id", "user"),),
    ),
    Action(
        "move_to_step",
        "Move it to a step",
        ("move_step_id",),
        _check_move,
        _move,
        lambda c, names, _labels: f"Move it to {names.get(c['step_id'], 'a removed step')}",
        references=(("step_id", "step"),),
    ),
    Action(
        "notify",
        "Notify someone",
        ("notify_to", "notify_role", "user_id", "message"),
        _check_notify,
        _notify,
        lambda c, _names, _labels: (
            "Notify "
            + (
                roles_in_words([c["role"]])
                if c.get("role")
                else _NOTIFIED.get(str(c.get("to")), "someone")
            )
        ),
        references=(("user_id", "user"),),
    ),
    Action(
        "webhook",
        "Call a webhook",
        ("url", "secret", "format", "auth_header", "step_values"),
        _check_webhook,
        _webhook,
        _webhook_summary,
    ),
)
ACTIONS: dict[str, Action] = {action.key: action for action in _ALL}


def get(key: Any) -> Action:
    action = ACTIONS.get(key) if isinstance(key, str) else None
    if action is None:
        raise refuse("action_config.type", f"The action must be one of {', '.join(ACTIONS)}.")
    return action


def references(trigger: str, action_config: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """What a rule's settings name: (part, key, what), part being "trigger_config" or
    "action_config" and what "step", "branch" or "user" (unknown ones name nothing)."""
    found = triggers.TRIGGERS.get(trigger)
    action = ACTIONS.get(str((action_config or {}).get("type")))
    return [("trigger_config", key, what) for key, what in (found.references if found else ())] + [
        ("action_config", key, what) for key, what in (action.references if action else ())
    ]


def check_action(
    graph: WorkflowGraph, config: dict[str, Any] | None, field_labels: dict[str, str]
) -> dict[str, Any]:
    """The action as stored, or ValidationFailed naming the field."""
    config = dict(config or {})
    return get(config.get("type")).check(graph, config, field_labels)


def perform(session: Session, rule: RuleRead, event: Event, subject: Subject) -> Done:
    """What the rule did, in a sentence, and the card as it is afterwards."""
    return get(rule.action_config.get("type")).perform(session, rule, event, subject)
