"""/admin/wfm/project-types"""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.admin import (
    admin_dialog,
    admin_list_page,
    archive_toggle,
)
from wfm_app.ui.components.forms import (
    select_field,
    text_field,
)
from wfm_app.ui.components.icons import ICON_OPTIONS, icon_of
from wfm_app.ui.state.admin_project_types import ProjectTypesState as P


def _row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(icon_of(row["icon_name"])),
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
                ),
                archive_toggle(
                    P,
                    row,
                    "New cards can no longer start as this type; cards of this type keep it.",
                ),
                spacing="2",
            )
        ),
    )


def _dialog() -> rx.Component:
    editing = P.editing

    def current(key: str) -> rx.Var[str]:
        return editing.get(key, "").to(str)

    return admin_dialog(
        P,
        rx.cond(editing.contains("id"), "Edit project type", "New project type"),
        [
            text_field("Name", "name", errors=P.form_errors, default_value=current("name")),
            text_field(
                "Description",
                "description",
                errors=P.form_errors,
                default_value=current("description"),
            ),
            select_field(
                "Icon",
                "icon_name",
                ICON_OPTIONS,
                errors=P.form_errors,
                default_value=current("icon_name"),
                placeholder="None",
            ),
            select_field(
                "Default workflow",
                "default_workflow_id",
                P.workflow_options,
                errors=P.form_errors,
                default_value=current("default_workflow_id"),
            ),
        ],
        P.save,
    )


def project_types_page() -> rx.Component:
    return admin_list_page(
        P,
        section="Project Types",
        new_label="New project type",
        on_new=P.open_new,
        headers=["Icon", "Name", "Description", "Default workflow", "Actions"],
        row=_row,
        plural="project types",
        dialog=_dialog(),
    )
