"""The workflow editor's "Edit conditions" dialog for one transition."""

from __future__ import annotations

import reflex as rx

from wfm_app.auth.actor import ROLE_LABELS
from wfm_app.ui.components.forms import checkbox_field, form_dialog, select_field, text_field
from wfm_app.ui.state.admin_workflows import WorkflowEditorState as E
from wfm_app.ui.state.transition_conditions import ROLE_OPTIONS


def _current_rule(row: rx.Var[dict[str, str]], index: rx.Var[int]) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.text(row["label"], " ", row["words"], " ", row["value"], " — ", row["message"]),
            rx.button(
                "Remove",
                type="button",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=E.remove_condition(index),
            ),
            align="center",
            spacing="2",
        )
    )


def conditions_dialog() -> rx.Component:
    no_errors: rx.Var[dict[str, str]] = rx.Var.create({})  # the engine answers in one sentence
    return form_dialog(
        E.conditions_title,
        [
            rx.cond(
                E.condition_rows.length() > 0,
                rx.el.ul(rx.foreach(E.condition_rows, _current_rule), aria_label="Conditions"),
                rx.text("No required fields yet.", size="2"),
            ),
            rx.heading("Add a required field", as_="h2", size="2"),
            select_field(
                "Field", "field", E.condition_fields, errors=no_errors, field_id="condition-field"
            ),
            select_field(
                "Condition",
                "condition",
                E.condition_operators,
                errors=no_errors,
                default_value="not_null",
                field_id="condition-operator",
            ),
            text_field(
                "Value (a list: comma-separated)",
                "value",
                errors=no_errors,
                field_id="condition-value",
            ),
            text_field("Message", "message", errors=no_errors, field_id="condition-message"),
            rx.heading("Who may take it", as_="h2", size="2"),
            rx.hstack(
                *[
                    checkbox_field(
                        ROLE_LABELS[role],
                        f"role_{role}",
                        default_checked=E.condition_roles.contains(role),
                        field_id=f"condition-role-{role}",
                    )
                    for role in ROLE_OPTIONS
                ],
                spacing="4",
            ),
            checkbox_field(
                "Require a reason",
                "require_comment",
                default_checked=E.condition_reason,
                field_id="condition-reason",
            ),
        ],
        error=E.conditions_error,
        on_submit=E.save_conditions,
        is_open=E.conditions_open,
        on_open_change=E.set_conditions_open,
    )
