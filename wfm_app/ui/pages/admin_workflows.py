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
from wfm_app.ui.components.automations import VISUALLY_HIDDEN, automations_section
from wfm_app.ui.components.conditions_dialog import conditions_dialog
from wfm_app.ui.components.definitions_files import definitions_file_buttons, import_dialog
from wfm_app.ui.components.dnd import drag_item, drop_zone
from wfm_app.ui.components.forms import (
    STACKED_ON_PHONES,
    checkbox_field,
    refusal,
    select_field,
    text_field,
)
from wfm_app.ui.components.layout import page
from wfm_app.ui.components.step_forms import add_step_form, edit_step_dialog
from wfm_app.ui.components.workflow_branches import branches_section
from wfm_app.ui.components.workflow_versions import (
    live_edit_dialog,
    migrate_dialog,
    versions_section,
)
from wfm_app.ui.state.admin_workflow_list import WorkflowsState as W
from wfm_app.ui.state.admin_workflows import WorkflowEditorState as E


def _workflow_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(row["name"], href=routes.ADMIN_WORKFLOWS + "/" + row["id"]),
            rx.cond(
                row["draft"] != "", rx.badge("Draft", color_scheme="amber", margin_left="0.5em")
            ),
        ),
        rx.table.cell(row["description"]),
        rx.table.cell(row["steps"]),
        rx.table.cell(
            archive_toggle(
                W,
                row,
                "Boards stop offering it and no new card starts on it; its cards keep their "
                "place and history.",
            )
        ),
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
                rx.text(
                    "It starts as a draft: no board offers it until you publish it.",
                    size="2",
                    color="var(--gray-11)",
                ),
            ],
            W.create,
        ),
        more=rx.fragment(definitions_file_buttons(W), import_dialog(W)),
    )


def _badges(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.hstack(
        rx.cond(
            row["initial"] == "yes", rx.badge("Initial", color_scheme="blue", high_contrast=True)
        ),
        rx.cond(row["final"] == "yes", rx.badge("Final", color_scheme="gray", high_contrast=True)),
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
                        min_width="8em",  # on a phone the buttons wrap below, not the name
                    ),
                    _badges(row),
                    rx.text(
                        row["summary"], " ", row["outcome_words"], size="2", color="var(--gray-11)"
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
                    flex_wrap="wrap",
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


def _transition_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["from"]),
        rx.table.cell(row["to"]),
        rx.table.cell(row["name"]),
        rx.table.cell(row["conditions"]),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Edit conditions", size="1", variant="soft", on_click=E.open_conditions(row)
                ),
                rx.button(
                    "Delete",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=E.delete_transition(row["id"]),
                ),
                spacing="2",
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
                flex_direction=STACKED_ON_PHONES,
                align=rx.breakpoints(initial="stretch", sm="end"),
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
                # Radix puts the root's own props on a wrapper: a caption names the table.
                rx.el.caption("Transitions", style=VISUALLY_HIDDEN),
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ["From", "To", "Name", "Conditions", "Actions"]
                        ]
                    )
                ),
                rx.table.body(rx.foreach(E.transitions, _transition_row)),
                width="100%",
            ),
            rx.text("No transitions yet: work on this workflow cannot move."),
        ),
        # shown once the workflow has loaded: before, an image named by an empty label
        # (axe caught it when it looked during the load)
        rx.cond(
            E.diagram_label != "",
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
        ),
        spacing="3",
        width="100%",
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
                rx.text(E.calendar_note, size="2", color="var(--gray-11)"),
                rx.hstack(
                    rx.text("Win chance: ", E.win_chance_note, size="2", color="var(--gray-11)"),
                    rx.button(
                        "Learn now",
                        size="1",
                        variant="soft",
                        on_click=E.learn_now,
                        loading=E.learning,
                    ),
                    align="center",
                    wrap="wrap",
                ),
                refusal(E.error),
                rx.el.details(
                    rx.el.summary("Rename or describe this workflow", style={"cursor": "pointer"}),
                    rx.form(
                        rx.vstack(
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
                                select_field(
                                    "Business calendar",
                                    "calendar_id",
                                    E.calendar_options,
                                    errors=E.workflow_errors,
                                    default_value=E.workflow_calendar_id,
                                    placeholder="None: every hour counts",
                                    field_id="workflow-calendar",
                                ),
                                spacing="3",
                                width="100%",
                                wrap="wrap",
                            ),
                            checkbox_field(
                                "Undo restores the exact previous step (even with no "
                                "transition back)",
                                "undo_restores_step",
                                default_checked=E.workflow_undo_restores_step,
                                field_id="workflow-undo-restores-step",
                            ),
                            checkbox_field(
                                "Weighted totals use the win chance learned from closed cards",
                                "learned_win_chance",
                                default_checked=E.workflow_learned_win_chance,
                                field_id="workflow-learned-win-chance",
                            ),
                            rx.button("Save workflow", type="submit"),
                            spacing="2",
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
                versions_section(E),
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
                add_step_form(),
                _transitions(),
                branches_section(E),
                automations_section(),
                edit_step_dialog(),
                conditions_dialog(),
                migrate_dialog(E),
                live_edit_dialog(E),
                spacing="4",
                width="100%",
            ),
        ),
        title="Workflow editor",
    )
