"""Automation rules, as admins edit them (spec: ``workflow_automation_rules``), and the
enabled rules of a workflow as moves read them (from the definitions cache)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from wfm_app.auth.actor import Actor
from wfm_app.auth.models import User
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, rules
from wfm_app.engine.access import require_access, require_definitions_manager
from wfm_app.engine.automation.actions import check_action
from wfm_app.engine.automation.config import (
    RuleCreate,
    RuleRead,
    RuleUpdate,
    masked,
    unmasked,
)
from wfm_app.engine.automation.models import AutomationRule
from wfm_app.engine.automation.triggers import check_trigger
from wfm_app.engine.common import get_or_404
from wfm_app.errors import ValidationFailed
from wfm_app.sqltypes import utc_now

CACHE_KIND = "automation_rules"


def _read(row: AutomationRule, *, secret: bool = False) -> RuleRead:
    return RuleRead(
        id=row.id,
        workflow_id=row.workflow_id,
        workflow_step_id=row.workflow_step_id,
        name=row.name,
        trigger_event=row.trigger_event,
        trigger_config=dict(row.trigger_config or {}),
        conditions=row.conditions,
        action_config=dict(row.action_config) if secret else masked(row.action_config),
        is_enabled=row.is_enabled,
        position=row.position,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _check_user(session: Session, action: dict[str, Any]) -> None:
    user_id = action.get("user_id")
    if user_id and session.get(User, uuid.UUID(user_id)) is None:
        message = f"User {user_id} does not exist."
        raise ValidationFailed(message, {"action_config.user_id": message})


def _checked(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Every part of a rule checked against its workflow; what to store."""
    graph = definitions.graph(values["workflow_id"])
    trigger_config = check_trigger(
        graph, values["trigger_event"], values["workflow_step_id"], values["trigger_config"]
    )
    labels = rules.field_labels(graph.id)
    action = check_action(graph, values["action_config"], labels)
    _check_user(session, action)
    try:
        conditions = rules.validate_conditions(graph.id, values["conditions"])
    except ValidationFailed as error:
        raise ValidationFailed(error.message, {"conditions": error.message}) from None
    return {
        **values,
        "trigger_config": trigger_config or None,
        "action_config": action,
        "conditions": conditions,
    }


def get_all(actor: Actor | None, workflow_id: uuid.UUID) -> list[RuleRead]:
    actor = require_definitions_manager(actor)
    definitions.graph(workflow_id)  # NotFound for a workflow that does not exist
    with unit_of_work() as uow:
        rows = uow.session.exec(
            select(AutomationRule)
            .where(AutomationRule.workflow_id == workflow_id)
            .order_by(col(AutomationRule.position), col(AutomationRule.created_at))
        ).all()
        return [_read(row) for row in rows]


def create(actor: Actor | None, data: RuleCreate) -> RuleRead:
    actor = require_definitions_manager(actor)
    with unit_of_work() as uow:
        values = _checked(uow.session, data.model_dump())
        row = AutomationRule(**values, created_by_user_id=actor.user_id)
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return _read(row)


def update(actor: Actor | None, rule_id: uuid.UUID, data: RuleUpdate) -> RuleRead:
    actor = require_definitions_manager(actor)
    given = data.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        row = get_or_404(uow.session, AutomationRule, rule_id, "Automation rule")
        action = given.get("action_config")
        if action:
            action = unmasked(action, row.action_config)
        current = {
            "name": row.name,
            "workflow_id": row.workflow_id,
            "workflow_step_id": row.workflow_step_id,
            "trigger_event": row.trigger_event,
            "trigger_config": row.trigger_config,
            "conditions": row.conditions,
            "action_config": row.action_config,
            "is_enabled": row.is_enabled,
            "position": row.position,
        }
        merged = {**current, **given}
        if action is not None:
            merged["action_config"] = action
        for key, value in _checked(uow.session, merged).items():
            setattr(row, key, value)
        row.updated_at = utc_now()
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return _read(row)


def delete(actor: Actor | None, rule_id: uuid.UUID) -> None:
    actor = require_definitions_manager(actor)
    with unit_of_work() as uow:
        row = get_or_404(uow.session, AutomationRule, rule_id, "Automation rule")
        uow.session.delete(row)
        definitions.mark_changed(uow)


def enabled_rules(workflow_id: uuid.UUID) -> tuple[RuleRead, ...]:
    """A workflow's enabled rules in order, secrets included (for running them): from the
    definitions cache, so a move on a workflow without rules costs no query."""

    def load(session: Session) -> tuple[RuleRead, ...]:
        rows = session.exec(
            select(AutomationRule)
            .where(AutomationRule.workflow_id == workflow_id, col(AutomationRule.is_enabled))
            .order_by(col(AutomationRule.position), col(AutomationRule.created_at))
        ).all()
        return tuple(_read(row, secret=True) for row in rows)

    return definitions.cached(CACHE_KIND, str(workflow_id), load)


def timed_rules(actor: Actor | None) -> list[RuleRead]:
    """Every enabled time_in_step_exceeded rule (the worker's timer scan)."""
    require_access(actor)
    with unit_of_work() as uow:
        rows = uow.session.exec(
            select(AutomationRule).where(
                AutomationRule.trigger_event == "time_in_step_exceeded",
                col(AutomationRule.is_enabled),
            )
        ).all()
        return [_read(row, secret=True) for row in rows]
