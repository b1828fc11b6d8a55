"""/admin/wfm/kinds: "New kind" gives a team a board of its own kind of work, no code."""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.admin import admin_dialog, admin_list_page, archive_toggle
from wfm_app.ui.components.forms import select_field, text_field
from wfm_app.ui.state.admin_kinds import KindsState as K


def _row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(row["plural_name"]),
        rx.table.cell(rx.code(row["key"])),
        rx.table.cell(row["project_type"]),
        rx.table.cell(
            rx.cond(
                row["archived"] == "yes",
                rx.text("—"),
                rx.link(row["board_path"], href=row["board_path"]),
            )
        ),
        rx.table.cell(
            rx.cond(
                row["built_in"] == "yes",
                rx.badge("Built in", variant="soft", high_contrast=True),
                rx.hstack(
                    rx.button(
                        "Rename",
                        size="1",
                        variant="soft",
                        on_click=K.open_edit(row),
                        aria_label="Rename " + row["name"],
                    ),
                    archive_toggle(
                        K,
                        row,
                        "Its board leaves the navigation; its cards and their history are kept.",
                    ),
                    spacing="2",
                ),
            )
        ),
    )


def _dialog() -> rx.Component:
    editing = K.editing

    def current(key: str) -> rx.Var[str]:
        return editing.get(key, "").to(str)

    is_new = ~editing.contains("key")
    return admin_dialog(
        K,
        rx.cond(is_new, "New kind", "Rename kind"),
        [
            text_field(
                "Name",
                "name",
                errors=K.form_errors,
                default_value=current("name"),
                placeholder="Purchase request",
            ),
            text_field(
                "Plural name",
                "plural_name",
                errors=K.form_errors,
                default_value=current("plural_name"),
                placeholder="Purchase requests",
            ),
            rx.cond(
                is_new,
                rx.vstack(
                    text_field(
                        "Key",
                        "key",
                        errors=K.form_errors,
                        placeholder="purchase-request (from the name when blank)",
                    ),
                    select_field(
                        "Project type",
                        "project_type_id",
                        K.project_type_options,
                        errors=K.form_errors,
                    ),
                    rx.text(
                        "Its cards follow the project type's default workflow. Fields: add "
                        "them under Custom Fields once the kind exists.",
                        size="1",
                    ),
                    spacing="3",
                    width="100%",
                ),
            ),
        ],
        K.save,
    )


def kinds_page() -> rx.Component:
    return admin_list_page(
        K,
        section="Kinds",
        new_label="New kind",
        on_new=K.open_new,
        headers=["Name", "Plural", "Key", "Project type", "Board", "Actions"],
        row=_row,
        plural="kinds",
        dialog=_dialog(),
    )
