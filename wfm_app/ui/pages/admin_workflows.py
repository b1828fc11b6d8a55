"""/admin/wfm/workflows and /admin/wfm/workflows/[workflow_id]"""

from __future__ import annotations

import reflex as rx

from wfm_app.ui import routes
from wfm_app.ui.components.admin import (
    admin_dialog,
    admin_list_page,
    admin_tabs,
    archive_toggle,
    swatch,
)
from wfm_app.ui.components.dnd import drag_item, drop_zone
from wfm_app.ui.components.forms import (
    checkbox_field,
    form_dialog,
    refusal,
    select_field,
    text_field,
)
from wfm_app.ui.components.layout import page
from wfm_app.ui.state.admin_workflows import WorkflowEditorState as E
from wfm_app.ui.state.admin_workflows import WorkflowsState as W

OUTCOMES = [{"value": v, "label": v} for v in ("OPEN", "WON", "LOST")]


def _workflow_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(row["name"], href=routes.ADMIN_WORKFLOWS + "/" + row["id"])
        ),
        rx.table.cell(row["description"]),
        rx.table.cell(row["steps"]),
        rx.table.cell(archive_toggle(W, row)),
    )


def workflows_page() -> rx.Component:
    return admin_list_page(
        W,
        section="Workflows",
        new_label="New workflow",
        on_new=W.set_dialog_open(True),
        headers=["Name", "Description", "Steps", "Actions"],
        row=_workflow_row,
        plural="workflows",
        dialog=admin_dialog(
            W,
            "New workflow",
            [
                text_field("Name", "name", errors=W.form_errors),
                text_field("Description", "description", errors=W.form_errors),
            ],
            W.create,
        ),
    )


def _badges(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.hstack(
        rx.cond(row["initial"] == "yes", rx.badge("Initial", color_scheme="blue")),
        rx.cond(row["final"] == "yes", rx.badge("Final", color_scheme="gray")),
        spacing="1",
    )


def _step_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return drop_zone(
        drag_item(
            rx.el.div(
                rx.hstack(
                    rx.icon("grip-vertical", size=16, color="var(--gray-9)", aria_hidden="true"),
                    rx.text(row["order"], width="2em", color="var(--gray-11)"),
                    swatch(row["color"]),
                    rx.vstack(
                        rx.text(row["name"], weight="bold"),
                        rx.text("Status: " + row["status"], size="1", color="var(--gray-11)"),
                        spacing="0",
                    ),
                    _badges(row),
                    rx.text(
                        rx.cond(row["probability"] != "", row["probability"] + "%", ""),
                        " ",
                        row["outcome"],
                        size="2",
                        color="var(--gray-11)",
                    ),
                    rx.spacer(),
                    rx.button(
                        "Move up",
                        size="1",
                        variant="soft",
                        on_click=E.move_step(row["id"], -1),
                    ),
                    rx.button(
                        "Move down",
                        size="1",
                        variant="soft",
                        on_click=E.move_step(row["id"], 1),
                    ),
                    rx.button(
                        "Edit",
                        size="1",
                        variant="soft",
                        on_click=E.open_edit(row),
                    ),
                    rx.button(
                        "Remove",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=E.remove_step(row["id"], row["name"]),
                    ),
                    align="center",
                    spacing="3",
                    width="100%",
                ),
                role="listitem",
                aria_label=row["name"],
                style={
                    "cursor": "grab",
                    "padding": "0.5em 0.75em",
                    "border": "1px solid var(--gray-a5)",
                    "border_radius": "8px",
                    "background": "var(--color-panel-solid)",
                },
            ),
            item_id=row["id"],
        ),
        zone_id=row["id"],
        on_drop_item=E.drop_step,
        style={"width": "100%"},
    )


def _add_step_form() -> rx.Component:
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
                ),
                text_field(
                    "Step name", "step_name", errors=E.step_errors, field_id="add-step-name"
                ),
                text_field(
                    "Probability (%)",
                    "deal_probability",
                    errors=E.step_errors,
                    field_id="add-step-probability",
                    type="number",
                ),
                select_field(
                    "Outcome",
                    "outcome_type",
                    OUTCOMES,
                    errors=E.step_errors,
                    field_id="add-step-outcome",
                ),
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


def _transition_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["from"]),
        rx.table.cell(row["to"]),
        rx.table.cell(row["name"]),
        rx.table.cell(
            rx.button(
                "Delete",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=E.delete_transition(row["id"]),
            )
        ),
    )


def _transitions() -> rx.Component:
    return rx.vstack(
        rx.heading("Transitions", as_="h2", size="5"),
        rx.form(
            rx.hstack(
                select_field(
                    "From",
                    "from_step_id",
                    E.step_options,
                    errors=E.transition_errors,
                    field_id="transition-from",
                ),
                select_field(
                    "To",
                    "to_step_id",
                    E.step_options,
                    errors=E.transition_errors,
                    field_id="transition-to",
                ),
                text_field(
                    "Transition name (optional)",
                    "name",
                    errors=E.transition_errors,
                    field_id="transition-name",
                ),
                rx.button("Add transition", type="submit"),
                align="end",
                spacing="3",
                width="100%",
            ),
            on_submit=E.add_transition,
            reset_on_submit=False,
            id="add-transition-form",
            width="100%",
        ),
        rx.cond(
            E.transitions.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h) for h in ["From", "To", "Name", "Actions"]]
                    )
                ),
                rx.table.body(rx.foreach(E.transitions, _transition_row)),
                width="100%",
                aria_label="Transitions",
            ),
            rx.text("No transitions yet: work on this workflow cannot move."),
        ),
        rx.el.figure(
            rx.html(E.diagram),
            role="img",
            aria_label=E.diagram_label,
            style={
                "overflow_x": "auto",
                "border": "1px solid var(--gray-a5)",
                "border_radius": "8px",
                "padding": "0.5em",
                "margin": "0",
            },
        ),
        spacing="3",
        width="100%",
    )


def _edit_dialog() -> rx.Component:
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
            text_field(
                "Probability (%)",
                "deal_probability",
                errors=E.edit_errors,
                default_value=step["probability"],
                field_id="edit-step-probability",
                type="number",
            ),
            select_field(
                "Outcome",
                "outcome_type",
                OUTCOMES,
                errors=E.edit_errors,
                default_value=step["outcome"],
                field_id="edit-step-outcome",
            ),
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
                    "Other metadata (JSON)",
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


def workflow_editor_page() -> rx.Component:
    return page(
        admin_tabs("Workflows"),
        rx.cond(
            E.not_found,
            rx.callout("This workflow does not exist.", role="alert", color_scheme="red"),
            rx.vstack(
                rx.heading(E.workflow_name, as_="h2", size="6"),
                rx.text(E.workflow_description, color="var(--gray-11)"),
                refusal(E.error),
                rx.el.details(
                    rx.el.summary("Rename or describe this workflow", style={"cursor": "pointer"}),
                    rx.form(
                        rx.hstack(
                            text_field(
                                "Workflow name",
                                "name",
                                errors=E.workflow_errors,
                                default_value=E.workflow_name,
                                field_id="workflow-name",
                            ),
                            text_field(
                                "Workflow description",
                                "description",
                                errors=E.workflow_errors,
                                default_value=E.workflow_description,
                                field_id="workflow-description",
                            ),
                            rx.button("Save workflow", type="submit"),
                            align="end",
                            spacing="3",
                            width="100%",
                        ),
                        on_submit=E.save_workflow,
                        reset_on_submit=False,
                        key=E.workflow_id,
                    ),
                    width="100%",
                ),
                rx.cond(
                    E.warnings.length() > 0,
                    rx.box(
                        rx.text("This workflow needs attention", weight="bold"),
                        rx.el.ul(
                            rx.foreach(E.warnings, lambda w: rx.el.li(w)),
                            style={"margin": "0.25em 0 0 1.2em"},
                        ),
                        role="status",
                        padding="0.75em 1em",
                        border_radius="8px",
                        background_color="var(--amber-a3)",
                        color="var(--amber-11)",
                        width="100%",
                    ),
                ),
                rx.heading("Steps", as_="h2", size="5"),
                rx.text(
                    "Drag a step onto another to reorder, or use Move up / Move down.",
                    size="2",
                    color="var(--gray-11)",
                ),
                rx.vstack(
                    rx.foreach(E.steps, _step_row),
                    role="list",
                    aria_label="Steps",
                    spacing="2",
                    width="100%",
                ),
                _add_step_form(),
                _transitions(),
                _edit_dialog(),
                spacing="4",
                width="100%",
            ),
        ),
        title="Workflow editor",
    )
