"""Rules on moves: a transition's conditions and a step's WIP limit (the spec's planned
conditional transitions, in its format, extended).

``conditions`` on a transition::

    {"required_fields": [{"field": "expected_close_date", "condition": "not_null",
                          "error_message": "Expected close date is required"}],
     "allowed_roles": ["wfm_manager"], "require_comment": true}

A field is a built-in field of the entity kinds on the workflow or ``custom.<key>`` for
a custom field. Conditions are checked when saved (unknown fields, operators or roles are
refused with a sentence) and inside the move's transaction against the entity's values
after the values given with the move. Step metadata ``wip_limit`` / ``wip_policy``
(``warn`` or ``block``) caps how many active cards a step holds; the count is taken after
locking the step's row, so concurrent moves into a full ``block`` column queue up and only
those that fit pass.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Table, func, select
from sqlmodel import Session

from wfm_app.auth.actor import ROLE_PERMISSIONS, Actor, roles_in_words
from wfm_app.db import unit_of_work
from wfm_app.engine import (
    access,
    custom_fields,
    custom_values,
    definitions,
    step_loads,
    step_settings,
)
from wfm_app.engine.inputs import clean_text
from wfm_app.engine.models import WfmProject, WorkflowStep
from wfm_app.engine.schemas import StepRead, TransitionRead
from wfm_app.errors import ConditionFailed, ValidationFailed, WipLimitReached
from wfm_app.sqltypes import table_of

OPERATORS = ("not_null", "equals", "not_equals", "gt", "gte", "lt", "lte", "in", "not_in")
OPERATOR_WORDS = {  # as forms and summaries say them
    "not_null": "is filled in",
    "equals": "is",
    "not_equals": "is not",
    "gt": "is more than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
    "in": "is one of",
    "not_in": "is none of",
}
MAX_RULES = 50
_projects: Table = table_of(WfmProject)
_steps: Table = table_of(WorkflowStep)


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, {"conditions": message})


def field_labels(workflow_id: uuid.UUID) -> dict[str, str]:
    """The fields conditions may name on this workflow, with their labels."""
    kinds = definitions.kinds_on(workflow_id)
    labels = {spec.key: spec.label for kind in kinds for spec in kind.fields}
    for kind in kinds:  # active custom fields, from the definitions cache: no query per move
        for field in custom_values.cached_definitions(kind.entity_type):
            if field.active:
                labels[custom_fields.PREFIX + field.key] = field.label
    return labels


def validate_conditions(
    workflow_id: uuid.UUID, conditions: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The conditions as stored, or ValidationFailed naming what is wrong."""
    if not conditions:
        return None
    unknown_keys = set(conditions) - {"required_fields", "allowed_roles", "require_comment"}
    if unknown_keys:
        raise _refuse(f"Conditions know no {', '.join(sorted(unknown_keys))}.")
    labels = field_labels(workflow_id)
    rules = conditions.get("required_fields") or []
    if not isinstance(rules, list) or len(rules) > MAX_RULES:
        raise _refuse(f"required_fields must be a list of at most {MAX_RULES} conditions.")
    for rule in rules:
        if not isinstance(rule, dict) or not isinstance(rule.get("field"), str):
            raise _refuse('Each required field needs a "field" and a "condition".')
        field, operator = rule["field"], rule.get("condition", "not_null")
        if field not in labels:
            raise _refuse(f'"{field}" is not a field of the records on this workflow.')
        if operator not in OPERATORS:
            raise _refuse(f'"{operator}" is not a condition; use one of {", ".join(OPERATORS)}.')
        if operator in {"in", "not_in"} and not isinstance(rule.get("value"), list):
            raise _refuse(f'"{operator}" on "{field}" needs a list of values.')
        if operator != "not_null" and "value" not in rule:
            raise _refuse(f'"{operator}" on "{field}" needs a value.')
        message = rule.get("error_message")
        if message is not None:
            try:
                clean_text(str(message), what="The message", limit=500)
            except ValueError as error:
                raise _refuse(str(error)) from None
    roles = conditions.get("allowed_roles") or []
    wrong = [role for role in roles if role not in ROLE_PERMISSIONS]
    if not isinstance(roles, list) or wrong:
        known = ", ".join(ROLE_PERMISSIONS)
        raise _refuse(f"Unknown role {', '.join(map(str, wrong))}; use {known}.")
    if not isinstance(conditions.get("require_comment", False), bool):
        raise _refuse("require_comment is true or false.")
    return conditions


def _comparable(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return str(value)


def _holds(operator: str, actual: Any, expected: Any) -> bool:
    if operator == "not_null":
        return actual not in (None, "", [])
    if actual in (None, ""):
        return False
    if operator in {"in", "not_in"}:
        inside = _comparable(actual) in [_comparable(v) for v in expected or []]
        return inside if operator == "in" else not inside
    left, right = _comparable(actual), _comparable(expected)
    if operator == "equals":
        return bool(left == right)
    if operator == "not_equals":
        return bool(left != right)
    try:
        return bool(
            {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[
                operator
            ]
        )
    except TypeError:
        return False


@dataclass(frozen=True, slots=True)
class MoveRequest:
    """What a mover gives besides the target: values set first, a reason, an override."""

    values: dict[str, Any] | None = None
    comment: str | None = None
    override: bool = False
    converting: bool = False  # a conversion's move (entities/conversion.py), see reached_by_hand
    undoes: uuid.UUID | None = None  # the history row of the move this one undoes


def check_conditions(
    actor: Actor,
    transition: TransitionRead,
    values: dict[str, Any],
    request: MoveRequest,
    labels: dict[str, str],
) -> None:
    """Raise ConditionFailed listing every unmet condition of the transition."""
    conditions = transition.conditions or {}
    roles = conditions.get("allowed_roles") or []
    if roles and not actor.roles & set(roles):
        raise ConditionFailed(
            f"Only {', '.join(roles)} may take this transition.",
            [{"field": "role", "label": "Role", "message": "Your role may not take this move."}],
        )
    unmet = []
    for rule in conditions.get("required_fields") or []:
        field = rule["field"]
        if not _holds(rule.get("condition", "not_null"), values.get(field), rule.get("value")):
            label = labels.get(field, field)
            message = rule.get("error_message") or f"{label} does not meet the condition."
            unmet.append({"field": field, "label": label, "message": message})
    if conditions.get("require_comment") and not (request.comment or "").strip():
        unmet.append({"field": "comment", "label": "Reason", "message": "A reason is required."})
    if unmet:
        raise ConditionFailed(
            "This move needs more: " + " ".join(item["message"] for item in unmet), unmet
        )


def holds(conditions: dict[str, Any] | None, values: dict[str, Any], roles: frozenset[str]) -> bool:
    """Whether an automation rule's conditions hold for a card (the same language as a
    transition's; a reason is never asked of a rule)."""
    conditions = conditions or {}
    allowed = conditions.get("allowed_roles") or []
    if allowed and not roles & set(allowed):
        return False
    return all(
        _holds(rule.get("condition", "not_null"), values.get(rule["field"]), rule.get("value"))
        for rule in conditions.get("required_fields") or []
    )


@dataclass(frozen=True, slots=True)
class WipCheck:
    """What a step's WIP limit said of a move into it."""

    load: int | None  # its active cards before the move (None: the step has no limit)
    notice: str | None = None  # a full ``warn`` column lets the move through with this


def check_wip(actor: Actor, step: StepRead, request: MoveRequest, load: int | None) -> WipCheck:
    """What the step's WIP limit says of a move into it, given its ``load`` (active cards,
    read under the move's lock: step_loads.lock): a notice when a ``warn`` column is full,
    or WipLimitReached (``block``; a manager may override it with a reason)."""
    limit = step_settings.of(step).wip_limit
    if limit is None or load is None:
        return WipCheck(load=None)
    if load < limit:
        return WipCheck(load=load)
    sentence = f'"{step.display_name}" holds {load} of its limit of {limit} cards.'
    if not step_settings.of(step).blocks:
        return WipCheck(load=load, notice=f"{sentence} That is at or over its limit.")
    if request.override and access.may_override_wip(actor) and (request.comment or "").strip():
        return WipCheck(load=load)
    raise WipLimitReached(f"{sentence} It is full; a manager may override it with a reason.")


def cards_per_step(
    session: Session, workflow_id: uuid.UUID, *, active_only: bool
) -> dict[uuid.UUID, int]:
    """Everyone's cards on each step of a workflow (only the active ones: what WIP limits
    count; all: what sits on a step, closed cards too)."""
    query = select(_projects.c.current_step_id, func.count()).where(
        _projects.c.workflow_id == workflow_id
    )
    if active_only:
        query = query.where(_projects.c.is_active.is_(True))
    rows = session.execute(query.group_by(_projects.c.current_step_id)).all()
    return {step_id: int(n) for step_id, n in rows if step_id is not None}


def wip_loads(workflow_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Active cards, everyone's, on each step of a workflow that has a WIP limit."""
    limited = [s.id for s in definitions.graph(workflow_id).steps if step_settings.of(s).wip_limit]
    with unit_of_work() as uow:
        return step_loads.read(uow.session, limited)


def describe(conditions: dict[str, Any] | None, labels: dict[str, str]) -> str:
    """Conditions in words, for the editor's transition list."""
    if not conditions:
        return ""
    parts = [
        f"{labels.get(r['field'], r['field'])} {OPERATOR_WORDS.get(r.get('condition', 'not_null'))}"
        + (
            f" {', '.join(map(str, r['value'])) if isinstance(r['value'], list) else r['value']}"
            if "value" in r
            else ""
        )
        for r in conditions.get("required_fields") or []
    ]
    if conditions.get("allowed_roles"):
        parts.append("only " + roles_in_words(conditions["allowed_roles"]))
    if conditions.get("require_comment"):
        parts.append("a reason")
    return "; ".join(parts)


def warnings(
    workflow_id: uuid.UUID, transitions: list[TransitionRead], names: dict[Any, str]
) -> list[str]:
    """Conditions that can never hold: on a field that no longer exists or is inactive."""
    labels = field_labels(workflow_id)
    out = []
    for transition in transitions:
        for rule in (transition.conditions or {}).get("required_fields") or []:
            if rule["field"] not in labels:
                out.append(
                    f'The condition on "{rule["field"]}" from "{names[transition.from_step_id]}" '
                    f'to "{names[transition.to_step_id]}" can never hold: that field is not '
                    "active."
                )
    return out
