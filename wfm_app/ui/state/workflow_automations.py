"""The workflow editor's "Automations" section: the workflow's rules in words, "New rule"
and "Edit" (one dialog), Enable / Disable and Delete. The engine
(engine/automation/rule_admin.py) checks every rule and names the field that is wrong."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import reflex as rx

from wfm_app.auth.actor import ROLE_LABELS, ROLE_PERMISSIONS, Actor
from wfm_app.engine import rules
from wfm_app.engine.automation import actions, rule_admin, triggers, webhook_formats
from wfm_app.engine.automation.config import RuleCreate, RuleRead, RuleUpdate
from wfm_app.engine.inputs import parse
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.entities.card_import.presets import pairs
from wfm_app.ui.state.adapters import as_uuid, attempt, completed, page_id, people_options
from wfm_app.ui.state.page_parts import PageParts
from wfm_app.ui.state.transition_conditions import _value

TRIGGER_LABELS = {key: trigger.label for key, trigger in triggers.TRIGGERS.items()}
ACTION_LABELS = {key: action.label for key, action in actions.ACTIONS.items()}
# Engine field names -> the dialog's inputs, so each error shows beside its input.
_INPUT_OF = {
    "action_config.url": "url",
    "action_config.secret": "secret",
    "action_config.format": "format",
    "action_config.auth_header": "auth_header",
    "action_config.step_values": "step_values",
    "action_config.field": "set_field",
    "action_config.user_id": "user_id",
    "action_config.step_id": "move_step_id",
    "action_config.role": "notify_role",
    "action_config.to": "notify_to",
    "action_config.message": "message",
    "action_config.type": "action_type",
    "trigger_config.after_hours": "after",
    "trigger_config.from_step_id": "from_step_id",
    "trigger_config.branch_id": "branch_id",
    "conditions": "cond_field",
}


def _options(labels: dict[str, str]) -> list[dict[str, str]]:
    return [{"value": key, "label": label} for key, label in labels.items()]


def _action_config(form: dict[str, Any], action: str) -> dict[str, Any]:
    if action == "set_field":
        return {"type": action, "field": form.get("set_field"), "value": form.get("set_value")}
    if action == "assign_owner":
        return {"type": action, "user_id": form.get("user_id")}
    if action == "move_to_step":
        return {"type": action, "step_id": form.get("move_step_id")}
    if action == "notify":
        to = form.get("notify_to") or "owner"
        config = {"type": action, "to": to, "message": form.get("message") or None}
        if to == "role":
            config["role"] = form.get("notify_role")
        if to == "user":
            config["user_id"] = form.get("user_id")
        return config
    if action == "webhook":
        shape = form.get("format") or "standard"
        config = {"type": action, "url": form.get("url"), "secret": form.get("secret") or None}
        config["auth_header"] = form.get("auth_header") or None
        if shape != "standard":  # "Done = 31; Resolved = 41": step names to their values
            config |= {"format": shape, "step_values": pairs(str(form.get("step_values") or ""))}
        return config
    return {"type": action}  # the engine says what it does not know


def _step_values(values: dict[str, str], step_order: dict[str, int]) -> str:
    """ "Qualification = 21; Proposal = 31", in the workflow's order (JSONB keeps none)."""
    ordered = sorted(values.items(), key=lambda pair: step_order.get(pair[0], 0))
    return "; ".join(f"{step} = {value}" for step, value in ordered)


def _trigger_config(form: dict[str, Any], trigger: str) -> dict[str, Any] | None:
    if trigger in triggers.with_input("after"):
        if not form.get("after"):
            return None  # the step's own SLA or rotting time
        amount = _value("equals", form.get("after"))
        if isinstance(amount, int | float) and form.get("after_unit") == "days":
            amount = amount * 24
        return {"after_hours": amount}
    if trigger in triggers.with_input("from_step_id") and form.get("from_step_id"):
        return {"from_step_id": form["from_step_id"]}
    if trigger in triggers.with_input("branch_id") and form.get("branch_id"):
        return {"branch_id": form["branch_id"]}
    return None


def _conditions(form: dict[str, Any]) -> dict[str, Any] | None:
    field = form.get("cond_field")
    if not field:
        return None
    operator = form.get("cond_operator") or "not_null"
    rule: dict[str, Any] = {"field": field, "condition": operator}
    if operator != "not_null":
        rule["value"] = _value(operator, form.get("cond_value"))
    return {"required_fields": [rule]}


def describe_rule(rule: RuleRead, graph: WorkflowGraph, labels: dict[str, str]) -> dict[str, str]:
    """A rule as the editor lists it: "When a card enters Proposal", "Notify owner"."""
    names = {str(step.id): step.display_name for step in graph.steps}
    step = names.get(str(rule.workflow_step_id), "any step")
    source = names.get(str(rule.trigger_config.get("from_step_id")), "any step")
    hours = rule.trigger_config.get("after_hours")
    branch = next(
        (
            f'"{b.name}"'
            for b in graph.branches
            if str(b.id) == rule.trigger_config.get("branch_id")
        ),
        "an approval",
    )
    known = triggers.TRIGGERS.get(rule.trigger_event)
    when = (
        known.phrase.format(step=step, source=source, hours=hours, branch=branch)
        if known
        else rule.trigger_event
    )
    action = actions.ACTIONS.get(rule.action_config.get("type", ""))
    then = action.summary(rule.action_config, names, labels) if action else "(unknown action)"
    conditions = rules.describe(rule.conditions, labels)
    return {
        "id": str(rule.id),
        "name": rule.name,
        "when": f"When a card {when}" + (f" and {conditions}" if conditions else ""),
        "then": then,
        "enabled": "yes" if rule.is_enabled else "",
    }


def _save(actor: Actor | None, rule_id: uuid.UUID | None, data: dict[str, Any]) -> RuleRead:
    """Create (no id yet) or update a rule from the dialog's values."""
    if rule_id is None:
        return rule_admin.create(actor, parse(RuleCreate, data))
    return rule_admin.update(actor, rule_id, parse(RuleUpdate, data))


class AutomationsMixin(PageParts, mixin=True):
    if TYPE_CHECKING:
        workflow_id: str  # the editor's (state/admin_workflows.py)

    automation_rules: list[dict[str, str]] = []  # id, name, when, then, enabled
    rule_open: bool = False
    rule_title: str = ""
    rule_form: dict[str, str] = {}  # the dialog's starting values
    rule_trigger: str = "step_entered"
    rule_action: str = "notify"
    rule_errors: dict[str, str] = {}
    rule_error: str = ""
    rule_field_options: list[dict[str, str]] = []
    rule_user_options: list[dict[str, str]] = []
    trigger_options: list[dict[str, str]] = _options(TRIGGER_LABELS)
    action_options: list[dict[str, str]] = _options(ACTION_LABELS)
    role_options: list[dict[str, str]] = [
        {"value": r, "label": ROLE_LABELS.get(r, r)} for r in ROLE_PERMISSIONS
    ]
    rule_notify_to: str = "owner"  # which of "Role to notify" / "Person" the form shows
    rule_format: str = "standard"  # a webhook's: whether the step map is asked for
    format_options: list[dict[str, str]] = _options(webhook_formats.FORMATS)
    _rules_by_id: dict[str, dict[str, str]] = {}

    def _reload_rules(self, actor: Actor | None, graph: WorkflowGraph) -> None:
        labels = rules.field_labels(graph.id)
        found = rule_admin.get_all(actor, graph.id)
        self.automation_rules = [describe_rule(rule, graph, labels) for rule in found]
        order = {step.display_name: step.step_order for step in graph.steps}
        self._rules_by_id = {str(rule.id): self._form_of(rule, order) for rule in found}
        self.rule_field_options = _options(labels)
        self.rule_user_options = people_options(actor)

    def _form_of(self, rule: RuleRead, step_order: dict[str, int]) -> dict[str, str]:
        action, condition = (
            rule.action_config,
            (rule.conditions or {}).get("required_fields") or [{}],
        )
        hours = rule.trigger_config.get("after_hours")
        return {
            "id": str(rule.id),
            "name": rule.name,
            "trigger_event": rule.trigger_event,
            "workflow_step_id": str(rule.workflow_step_id or ""),
            "from_step_id": str(rule.trigger_config.get("from_step_id") or ""),
            "branch_id": str(rule.trigger_config.get("branch_id") or ""),
            "after": "" if hours is None else f"{hours:g}",
            "action_type": action["type"],
            "set_field": str(action.get("field") or ""),
            "set_value": "" if action.get("value") is None else str(action.get("value")),
            "user_id": str(action.get("user_id") or ""),
            "move_step_id": str(action.get("step_id") or ""),
            "notify_to": str(action.get("to") or "owner"),
            "notify_role": str(action.get("role") or ""),
            "message": str(action.get("message") or ""),
            "url": str(action.get("url") or ""),
            "secret": str(action.get("secret") or ""),
            "format": str(action.get("format") or "standard"),
            "auth_header": str(action.get("auth_header") or ""),
            "step_values": _step_values(action.get("step_values") or {}, step_order),
            "cond_field": str(condition[0].get("field") or ""),
            "cond_operator": str(condition[0].get("condition") or "not_null"),
            "cond_value": str(condition[0].get("value") or ""),
            "is_enabled": "yes" if rule.is_enabled else "",
        }

    def _open_rule(self, title: str, values: dict[str, str]) -> None:
        self.rule_title, self.rule_form = title, values
        self.rule_trigger = values.get("trigger_event", "step_entered")
        self.rule_action = values.get("action_type", "notify")
        self.rule_notify_to = values.get("notify_to") or "owner"
        self.rule_format = values.get("format") or "standard"
        self.rule_errors, self.rule_error = {}, ""
        self.rule_open = True

    @rx.event
    def new_rule(self) -> None:
        self._open_rule("New rule", {"is_enabled": "yes", "notify_to": "owner", "id": ""})

    @rx.event
    def edit_rule(self, rule_id: str) -> None:
        values = self._rules_by_id.get(rule_id)
        if values is not None:
            self._open_rule(f'Edit rule "{values["name"]}"', values)

    @rx.event
    def set_rule_open(self, value: bool) -> None:
        self.rule_open = value

    @rx.event
    def set_rule_trigger(self, value: str) -> None:
        self.rule_trigger = value

    @rx.event
    def set_rule_action(self, value: str) -> None:
        self.rule_action = value

    @rx.event
    def set_rule_notify_to(self, value: str) -> None:
        self.rule_notify_to = value

    @rx.event
    def set_rule_format(self, value: str) -> None:
        self.rule_format = value

    @rx.event
    def save_rule(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        values = {k: (v if v != "" else None) for k, v in form.items()}
        trigger, action = self.rule_trigger, self.rule_action
        data = {
            "name": values.get("name") or "",
            "workflow_step_id": values.get("workflow_step_id"),
            "trigger_event": trigger,
            "trigger_config": _trigger_config(values, trigger),
            "conditions": _conditions(values),
            "action_config": _action_config(values | {"format": self.rule_format}, action),
            "is_enabled": values.get("is_enabled") in ("on", True),
        }
        rule_id = as_uuid(self.rule_form.get("id", ""))
        if rule_id is None:
            data["workflow_id"] = self.workflow_id
        saved, self.rule_error, errors = attempt(lambda: _save(actor, rule_id, data))
        self.rule_errors = {_INPUT_OF.get(k, k): v for k, v in errors.items()}
        if saved is None:
            return None
        self.rule_open = False
        self._reload()
        return rx.toast.success(f'Rule "{saved.name}" saved.')

    def _change_rule(self, done: Any, message: str) -> Any:
        self._reload()
        return rx.toast.success(message) if done is not None else None

    @rx.event
    def toggle_rule(self, rule_id: str, enable: bool) -> Any:
        actor, target = self._actor(), page_id(rule_id)
        change = RuleUpdate(is_enabled=enable)
        done, self.error, _ = attempt(lambda: rule_admin.update(actor, target, change))
        return self._change_rule(done, "Rule enabled." if enable else "Rule disabled.")

    @rx.event
    def delete_rule(self, rule_id: str) -> Any:
        actor, target = self._actor(), page_id(rule_id)
        done, self.error, _ = attempt(completed(lambda: rule_admin.delete(actor, target)))
        return self._change_rule(done, "Rule deleted.")
