""" "Edit conditions" on a transition in the workflow editor: required fields (field,
condition, value, message), the roles that may take it, and whether a reason is needed.
The engine (engine/rules.py) checks what is saved and says what is wrong."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.auth.actor import ROLE_PERMISSIONS
from wfm_app.engine import transitions
from wfm_app.engine.rules import OPERATOR_WORDS, OPERATORS
from wfm_app.engine.schemas import TransitionUpdate
from wfm_app.ui.state.adapters import attempt, page_id
from wfm_app.ui.state.page_parts import PageParts

ROLE_OPTIONS = list(ROLE_PERMISSIONS)


def _value(operator: str, text: str | None) -> Any:
    """What the admin typed, as the condition compares it."""
    text = (text or "").strip()
    if operator in {"in", "not_in"}:
        return [part.strip() for part in text.split(",") if part.strip()]
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


class ConditionsMixin(PageParts, mixin=True):
    conditions_open: bool = False
    conditions_title: str = ""
    conditions_transition: str = ""
    condition_rows: list[dict[str, str]] = []  # field, label, condition, value, message
    condition_roles: list[str] = []
    condition_reason: bool = False
    condition_fields: list[dict[str, str]] = []  # value (field), label
    condition_operators: list[dict[str, str]] = [
        {"value": op, "label": OPERATOR_WORDS[op]} for op in OPERATORS
    ]
    conditions_error: str = ""
    _conditions: dict[str, dict[str, Any]] = {}

    @rx.event
    def open_conditions(self, row: dict[str, str]) -> None:
        current = self._conditions.get(row["id"], {})
        labels = {f["value"]: f["label"] for f in self.condition_fields}
        self.conditions_transition = row["id"]
        self.conditions_title = f'Conditions from "{row["from"]}" to "{row["to"]}"'
        self.condition_rows = [
            {
                "field": rule["field"],
                "label": labels.get(rule["field"], rule["field"]),
                "condition": rule.get("condition", "not_null"),
                "words": OPERATOR_WORDS.get(rule.get("condition", "not_null"), ""),
                "value": ", ".join(map(str, rule["value"]))
                if isinstance(rule.get("value"), list)
                else str(rule.get("value", "")),
                "message": rule.get("error_message", ""),
            }
            for rule in current.get("required_fields") or []
        ]
        self.condition_roles = list(current.get("allowed_roles") or [])
        self.condition_reason = bool(current.get("require_comment"))
        self.conditions_error = ""
        self.conditions_open = True

    @rx.event
    def set_conditions_open(self, value: bool) -> None:
        self.conditions_open = value

    @rx.event
    def remove_condition(self, index: int) -> None:
        self.condition_rows = [r for i, r in enumerate(self.condition_rows) if i != index]

    @rx.event
    def save_conditions(self, form: dict[str, Any]) -> Any:
        rules = [
            {"field": r["field"], "condition": r["condition"], "error_message": r["message"]}
            | (
                {}
                if r["condition"] == "not_null"
                else {"value": _value(r["condition"], r["value"])}
            )
            for r in self.condition_rows
        ]
        if form.get("field"):
            operator = form.get("condition") or "not_null"
            rule: dict[str, Any] = {"field": form["field"], "condition": operator}
            if operator != "not_null":
                rule["value"] = _value(operator, form.get("value"))
            if form.get("message"):
                rule["error_message"] = form["message"]
            rules.append(rule)
        roles = [role for role in ROLE_OPTIONS if form.get(f"role_{role}") in ("on", True)]
        conditions: dict[str, Any] = {}
        if rules:
            conditions["required_fields"] = rules
        if roles:
            conditions["allowed_roles"] = roles
        if form.get("require_comment") in ("on", True):
            conditions["require_comment"] = True
        transition_id = page_id(self.conditions_transition)
        actor = self._actor()
        update = TransitionUpdate(conditions=conditions or None)
        done, self.conditions_error, _ = attempt(
            lambda: transitions.update_transition(actor, transition_id, update)
        )
        if done is None:
            return None
        self.conditions_open = False
        self._reload()
        return rx.toast.success("Conditions saved.")
