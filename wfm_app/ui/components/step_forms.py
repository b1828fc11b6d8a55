"""The workflow editor's step forms: add a step, edit a step. The metadata inputs are
those the entity kinds on this workflow declare (from the engine's registry)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.engine.step_settings import OUTCOME_WORDS, OUTCOMES, WIP_POLICIES
from wfm_app.ui.components.forms import checkbox_field, form_dialog, select_field, text_field
from wfm_app.ui.state.admin_workflows import WorkflowEditorState as E

OUTCOME_OPTIONS = [{"value": v, "label": OUTCOME_WORDS[v]} for v in OUTCOMES]
POLICIES = [{"value": v, "label": v} for v in WIP_POLICIES]


def _wip_inputs(errors: Any, step: Any, prefix: str) -> list[rx.Component]:
    """A step's work-in-progress limit and what happens at it (warn or block), and the
    calendar its time limits count on."""
    return [
        text_field(
            "WIP limit",
            "wip_limit",
            errors=errors,
            default_value=step["wip_limit"] if step is not None else "",
            field_id=f"{prefix}-wip-limit",
            input_mode="numeric",
        ),
        select_field(
            "WIP policy",
            "wip_policy",
            POLICIES,
            errors=errors,
            default_value=step["wip_policy"] if step is not None else "",
            field_id=f"{prefix}-wip-policy",
        ),
        select_field(
            "Step's calendar",
            "calendar_id",
            E.calendar_options,
            errors=errors,
            default_value=step["calendar"] if step is not None else "",
            placeholder="The workflow's",
            field_id=f"{prefix}-calendar",
        ),
    ]


def _metadata_inputs(errors: Any, step: Any, prefix: str) -> rx.Component:
    """One number input per declared metadata key ("Probability (%)", ...)."""
    return rx.foreach(
        E.metadata_fields,
        lambda field: text_field(
            field["caption"],
            field["key"],
            errors=errors,
            default_value=step[field["value"]] if step is not None else "",
            field_id=prefix + "-" + field["key"],
            input_mode="decimal",
        ),
    )


def add_step_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Add a step", as_="h3", size="3"),
            rx.grid(
                select_field(
                    "Status",
                    "status_id",
                    E.free_statuses,
                    errors=E.step_errors,
                    field_id="add-step-status",
                    placeholder="A new one, named as the step",  # made with the step
                ),
                text_field(
                    "Step name", "step_name", errors=E.step_errors, field_id="add-step-name"
                ),
                _metadata_inputs(E.step_errors, None, "add-step"),
                select_field(
                    "Outcome",
                    "outcome_type",
                    OUTCOME_OPTIONS,
                    errors=E.step_errors,
                    field_id="add-step-outcome",
                ),
                *_wip_inputs(E.step_errors, None, "add-step"),
                columns="4",
                spacing="3",
                width="100%",
            ),
            rx.hstack(
                checkbox_field("Initial step", "is_initial_step", field_id="add-step-initial"),
                checkbox_field("Final step", "is_final_step", field_id="add-step-final"),
                rx.button("Add step", type="submit"),
                spacing="4",
                align="center",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=E.add_step,
        reset_on_submit=False,
        id="add-step-form",
        width="100%",
    )


def edit_step_dialog() -> rx.Component:
    step = E.edit_step
    return form_dialog(
        "Edit step",
        [
            rx.text("Status: ", step["status"]),
            text_field(
                "Step name",
                "step_name",
                errors=E.edit_errors,
                default_value=step["own_name"],
                field_id="edit-step-name",
            ),
            _metadata_inputs(E.edit_errors, step, "edit-step"),
            select_field(
                "Outcome",
                "outcome_type",
                OUTCOME_OPTIONS,
                errors=E.edit_errors,
                default_value=step["outcome"],
                field_id="edit-step-outcome",
            ),
            *_wip_inputs(E.edit_errors, step, "edit-step"),
            checkbox_field(
                "Initial step",
                "is_initial_step",
                default_checked=step["initial"] == "yes",
                field_id="edit-step-initial",
            ),
            checkbox_field(
                "Final step",
                "is_final_step",
                default_checked=step["final"] == "yes",
                field_id="edit-step-final",
            ),
            rx.vstack(
                rx.el.label(
                    "Settings for integrations (JSON)",
                    html_for="edit-step-extra",
                    font_weight="500",
                    font_size="0.875em",
                ),
                rx.text_area(
                    id="edit-step-extra",
                    name="extra_metadata",
                    default_value=step["extra"],
                    rows="4",
                    width="100%",
                ),
                rx.cond(
                    E.edit_errors.contains("extra_metadata"),
                    rx.text(
                        E.edit_errors["extra_metadata"],
                        color_scheme="red",
                        size="1",
                        role="alert",
                    ),
                ),
                spacing="1",
                width="100%",
            ),
        ],
        error=E.edit_error,
        on_submit=E.save_step,
        is_open=E.edit_open,
        on_open_change=E.set_edit_open,
    )
