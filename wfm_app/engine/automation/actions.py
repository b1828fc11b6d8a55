"""What a rule does, once its trigger matched and its conditions held. Each action
returns a sentence for the run's record, or raises (and the whole transaction rolls
back). Card changes go through the entity's service, acting as ``Actor.automation()``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.auth.models import User
from wfm_app.engine import definitions, rules
from wfm_app.engine.automation import notifications, outbox
from wfm_app.engine.automation.config import RuleRead
from wfm_app.engine.automation.events import Event, Subject
from wfm_app.engine.errors import NotFound
from wfm_app.sqltypes import utc_now

_WHAT_HAPPENED = {
    "step_entered": "entered {to}",
    "step_exited": "left {from_}",
    "transition_taken": "moved from {from_} to {to}",
    "entity_created": "was created",
    "time_in_step_exceeded": "has been in {to} longer than {hours:g} hours",
}


def _step(event: Event, step_id: uuid.UUID | None) -> dict[str, str] | None:
    step = definitions.graph(event.workflow_id).step(step_id) if step_id else None
    return {"id": str(step.id), "name": step.display_name} if step else None


def describe(rule: RuleRead, event: Event, subject: Subject) -> str:
    """'Deal "Acme renewal" entered Proposal.'"""
    from_step, to_step = _step(event, event.from_step_id), _step(event, event.to_step_id)
    what = _WHAT_HAPPENED[event.trigger].format(
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


def perform(
    session: Session, rule: RuleRead, event: Event, subject: Subject
) -> tuple[str, Subject]:
    """What the rule did, in a sentence, and the card as it is afterwards."""
    config = rule.action_config
    kind = config["type"]
    robot = Actor.automation()
    if kind == "set_field":
        field = config["field"]
        changed = subject.handler.set_values(robot, subject, {field: config.get("value")})
        label = rules.field_labels(subject.workflow_id).get(field, field)
        return f"Set {label} to {config.get('value')!r}.", changed
    if kind == "assign_owner":
        user_id = uuid.UUID(config["user_id"])
        name = _user_name(session, user_id)
        changed = subject.handler.set_owner(robot, subject, user_id)
        return f"Assigned to {name}.", changed
    if kind == "move_to_step":
        step_id = uuid.UUID(config["step_id"])
        changed = subject.handler.move_to(robot, subject, step_id)
        step = definitions.graph(subject.workflow_id).step(step_id)
        return f"Moved to {step.display_name if step else step_id}.", changed
    if kind == "notify":
        users = notifications.recipients(session, config, subject)
        notifications.send(
            session, users, config.get("message") or describe(rule, event, subject), subject
        )
        return f"Notified {len(users)} {'person' if len(users) == 1 else 'people'}.", subject
    outbox.enqueue(session, rule, f"wfm.{event.trigger}", payload(rule, event, subject))
    # Members read this under their card: nothing of the admin's configuration.
    return "A webhook was sent.", subject
