"""/admin/wfm/project-types"""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.admin import admin_tabs
from wfm_app.ui.components.forms import refusal, select_field, text_field
from wfm_app.ui.components.layout import page
from wfm_app.ui.state.admin_project_types import ProjectTypesState as P


def _row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["icon_name"]),
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(row["description"]),
        rx.table.cell(row["default_workflow"]),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Edit",
                    size="1",
                    variant="soft",
                    on_click=P.open_edit(row),
                    aria_label="Edit " + row["name"],
                ),
                rx.cond(
                    row["archived"] == "yes",
                    rx.button(
                        "Restore",
                        size="1",
                        variant="soft",
                        on_click=P.restore(row["id"]),
                        aria_label="Restore " + row["name"],
                    ),
                    rx.button(
                        "Archive",
                        size="1",
                        variant="soft",
                        on_click=P.archive(row["id"]),
                        aria_label="Archive " + row["name"],
                    ),
                ),
                spacing="2",
            )
        ),
    )


def project_types_page() -> rx.Component:
    editing = P.editing
    return page(
        admin_tabs("Project Types"),
        rx.hstack(
            rx.button("New project type", on_click=P.open_new),
            rx.hstack(
                rx.switch(
                    id="show-archived", checked=P.show_archived, on_change=P.set_show_archived
                ),
                rx.el.label("Show archived", html_for="show-archived"),
                align="center",
            ),
            spacing="5",
            align="center",
        ),
        refusal(P.error),
        rx.cond(
            P.rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ["Icon", "Name", "Description", "Default workflow", "Actions"]
                        ]
                    )
                ),
                rx.table.body(rx.foreach(P.rows, _row)),
                width="100%",
                aria_label="Project types",
            ),
            rx.text(
                rx.cond(P.show_archived, "No archived project types.", "No project types yet.")
            ),
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title(
                    rx.cond(editing.contains("id"), "Edit project type", "New project type")
                ),
                rx.form(
                    rx.vstack(
                        refusal(P.form_error),
                        text_field(
                            "Name",
                            "name",
                            errors=P.form_errors,
                            default_value=editing.get("name", "").to(str),
                        ),
                        text_field(
                            "Description",
                            "description",
                            errors=P.form_errors,
                            default_value=editing.get("description", "").to(str),
                        ),
                        text_field(
                            "Icon",
                            "icon_name",
                            errors=P.form_errors,
                            default_value=editing.get("icon_name", "").to(str),
                        ),
                        select_field(
                            "Default workflow",
                            "default_workflow_id",
                            P.workflow_options,
                            errors=P.form_errors,
                            default_value=editing.get("default_workflow_id", "").to(str),
                        ),
                        rx.hstack(
                            rx.dialog.close(
                                rx.button(
                                    "Cancel", type="button", variant="soft", color_scheme="gray"
                                )
                            ),
                            rx.button("Save", type="submit"),
                            justify="end",
                            width="100%",
                        ),
                        spacing="3",
                    ),
                    on_submit=P.save,
                    reset_on_submit=False,
                ),
            ),
            open=P.dialog_open,
            on_open_change=P.set_dialog_open,
        ),
        title="Project Types",
    )
