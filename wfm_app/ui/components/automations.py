"""The workflow editor's "Automations" section and its rule dialog ("New rule", "Edit")."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.engine.automation import actions, triggers
from wfm_app.ui.components.forms import (
    STACKED_ON_PHONES,
    checkbox_field,
    field_error,
    form_dialog,
    select_field,
    text_field,
)
from wfm_app.ui.state.admin_workflows import WorkflowEditorState as E

_RECIPIENTS = [
    {"value": "owner", "label": "The card's owner"},
    {"value": "role", "label": "Everyone with a role"},
    {"value": "user", "label": "One person"},
]
VISUALLY_HIDDEN = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "overflow": "hidden",
    "clip": "rect(0 0 0 0)",
    "white_space": "nowrap",
}
_UNITS = [{"value": "hours", "label": "hours"}, {"value": "days", "label": "days"}]


def _controlled_select(
    label: str, name: str, value: Any, options: Any, on_change: Any
) -> rx.Component:
    """A select whose choice changes which other inputs the dialog shows."""
    field_id = f"rule-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.875em"),
        rx.el.select(
            rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])),
            id=field_id,
            name=name,
            value=value,
            on_change=on_change,
            style={
                "padding": "0.4em",
                "border": "1px solid var(--gray-a7)",
                "border_radius": "6px",
            },
        ),
        field_error(E.rule_errors.get(name, "").to(str), field_id),
        spacing="1",
        width="100%",
        align="stretch",
    )


def _text(label: str, name: str, **props: Any) -> rx.Component:
    return text_field(
        label,
        name,
        errors=E.rule_errors,
        default_value=E.rule_form.get(name, "").to(str),
        field_id=f"rule-{name}",
        **props,
    )


def _select(label: str, name: str, options: Any, placeholder: str = "Choose…") -> rx.Component:
    return select_field(
        label,
        name,
        options,
        errors=E.rule_errors,
        default_value=E.rule_form.get(name, "").to(str),
        placeholder=placeholder,
        field_id=f"rule-{name}",
    )


def _needs(chosen: Any, keys: list[str]) -> Any:
    """Whether the chosen trigger or action is one of those that show an input (the
    registries say which: triggers.py and actions.py)."""
    return rx.Var.create(keys).contains(chosen)


def _trigger_shows(name: str) -> Any:
    return _needs(E.rule_trigger, triggers.with_input(name))


def _action_shows(*names: str) -> Any:
    keys = [key for key, action in actions.ACTIONS.items() if set(names) & set(action.inputs)]
    return _needs(E.rule_action, keys)


def _trigger_inputs() -> list[rx.Component]:
    trigger = E.rule_trigger
    return [
        _controlled_select("When", "trigger_event", trigger, E.trigger_options, E.set_rule_trigger),
        rx.cond(
            _trigger_shows("from_step_id"),
            _select("From step", "from_step_id", E.step_options, placeholder="Any step"),
        ),
        rx.cond(
            _trigger_shows("branch_id"),
            _select("Approval", "branch_id", E.branch_options, placeholder="Any approval"),
        ),
        rx.cond(
            _needs(trigger, [k for k, t in triggers.TRIGGERS.items() if t.step != "none"]),
            _select("Step", "workflow_step_id", E.step_options, placeholder="Any step"),
        ),
        rx.cond(
            _trigger_shows("after"),
            rx.hstack(
                _text(
                    "After (blank: the step's SLA or rotting time)",
                    "after",
                    type="number",
                    min="1",
                    step="any",
                ),
                _select("Unit", "after_unit", _UNITS, placeholder="hours"),
                spacing="2",
                width="100%",
                flex_direction=STACKED_ON_PHONES,
            ),
        ),
        rx.heading("Only when (optional)", as_="h2", size="2"),
        rx.hstack(
            _select("Field", "cond_field", E.rule_field_options, placeholder="Always"),
            _select(
                "Condition", "cond_operator", E.condition_operators, placeholder="is filled in"
            ),
            _text("Value", "cond_value"),
            spacing="2",
            width="100%",
            flex_direction=STACKED_ON_PHONES,
        ),
    ]


def _action_inputs() -> list[rx.Component]:
    action = E.rule_action
    return [
        _controlled_select("Then", "action_type", action, E.action_options, E.set_rule_action),
        rx.cond(
            _action_shows("set_field"),
            rx.hstack(
                _select("Field to set", "set_field", E.rule_field_options),
                _text("To value", "set_value"),
                spacing="2",
                width="100%",
                flex_direction=STACKED_ON_PHONES,
            ),
        ),
        rx.cond(
            _action_shows("move_step_id"),
            _select("Target step", "move_step_id", E.step_options),
        ),
        rx.cond(
            _action_shows("notify_to"),
            rx.vstack(
                _controlled_select(
                    "Notify", "notify_to", E.rule_notify_to, _RECIPIENTS, E.set_rule_notify_to
                ),
                rx.cond(
                    E.rule_notify_to == "role",
                    _select("Role to notify", "notify_role", E.role_options),
                ),
                _text("Message (optional)", "message"),
                width="100%",
            ),
        ),
        rx.cond(
            _action_shows("user_id") & ((action != "notify") | (E.rule_notify_to == "user")),
            _select("Person", "user_id", E.rule_user_options),
        ),
        rx.cond(
            _action_shows("url"),
            rx.vstack(
                _controlled_select(
                    "Sends", "format", E.rule_format, E.format_options, E.set_rule_format
                ),
                _text("URL", "url", placeholder="https://example.com/hooks/wfm"),
                rx.text(
                    rx.match(
                        E.rule_format,
                        (
                            "jira",
                            "For example https://your-site.atlassian.net/rest/api/3/"
                            "issue/{external_id}/transitions: {external_id} is the card's "
                            "issue key.",
                        ),
                        (
                            "servicenow",
                            "For example https://your-instance.service-now.com/api/"
                            "now/table/incident/{sys_id}: {sys_id} is the record's, from "
                            "its events.",
                        ),
                        "Our event, signed with the secret if you give one.",
                    ),
                    size="1",
                    color="var(--gray-11)",
                ),
                rx.cond(
                    E.rule_format != "standard",
                    _text(
                        rx.match(
                            E.rule_format,
                            ("jira", "Jira transition id for each step"),
                            "ServiceNow state for each step",
                        ),
                        "step_values",
                        placeholder=rx.match(
                            E.rule_format,
                            ("jira", "Qualification = 21; Proposal = 31"),
                            "Triaged = 2; Resolved = 6",
                        ),
                    ),
                ),
                _text(
                    "Auth header (optional, kept secret)",
                    "auth_header",
                    type="password",
                    placeholder="Basic … or Bearer …",
                ),
                _text("Secret (optional, whsec_…)", "secret", type="password"),
                width="100%",
            ),
        ),
    ]


def rule_dialog() -> rx.Component:
    return form_dialog(
        E.rule_title,
        [
            _text("Rule name", "name"),
            *_trigger_inputs(),
            *_action_inputs(),
            checkbox_field(
                "Enabled",
                "is_enabled",
                default_checked=E.rule_form.get("is_enabled", "") == "yes",
                field_id="rule-enabled",
            ),
        ],
        error=E.rule_error,
        on_submit=E.save_rule,
        is_open=E.rule_open,
        on_open_change=E.set_rule_open,
        submit="Save rule",
    )


def _rule_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    enabled = row["enabled"] == "yes"
    return rx.table.row(
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(row["when"]),
        rx.table.cell(row["then"]),
        rx.table.cell(rx.cond(enabled, "Enabled", "Disabled")),
        rx.table.cell(
            rx.hstack(
                rx.button("Edit", size="1", variant="soft", on_click=E.edit_rule(row["id"])),
                rx.button(
                    rx.cond(enabled, "Disable", "Enable"),
                    size="1",
                    variant="soft",
                    on_click=E.toggle_rule(row["id"], ~enabled),
                ),
                rx.button(
                    "Delete",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=E.delete_rule(row["id"]),
                ),
                spacing="2",
            )
        ),
    )


def automations_section() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Automations", as_="h2", size="5"),
            rx.button("New rule", on_click=E.new_rule),
            justify="between",
            align="center",
            width="100%",
        ),
        rx.text(
            "Rules run when cards enter or leave steps, are created, or sit too long; their "
            "changes land in the same transaction as the move that set them off.",
            size="2",
            color="var(--gray-11)",
        ),
        rx.cond(
            E.automation_rules.length() > 0,
            rx.table.root(
                # Radix puts the root's own props on a wrapper: a caption names the table.
                rx.el.caption("Automation rules", style=VISUALLY_HIDDEN),
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(title)
                            for title in ("Rule", "When", "Then", "State", "Actions")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(E.automation_rules, _rule_row)),
                width="100%",
            ),
            rx.text("No rules yet.", size="2"),
        ),
        rule_dialog(),
        spacing="3",
        width="100%",
    )
