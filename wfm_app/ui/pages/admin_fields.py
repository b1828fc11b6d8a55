"""/admin/wfm/fields: custom fields on deals, leads and tickets, no code."""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.admin import admin_dialog, admin_list_page
from wfm_app.ui.components.forms import checkbox_field, select_field, text_field
from wfm_app.ui.state.admin_fields import CustomFieldsState as S


def _row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["entity"]),
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(rx.code(row["key"])),
        rx.table.cell(row["type"]),
        rx.table.cell(row["required"]),
        rx.table.cell(row["predicts_win"]),
        rx.table.cell(row["options"]),
        rx.table.cell(
            rx.hstack(
                rx.button("Edit", size="1", variant="soft", on_click=S.open_edit(row)),
                rx.cond(
                    row["archived"] == "yes",
                    rx.button(
                        "Reactivate", size="1", variant="soft", on_click=S.restore(row["id"])
                    ),
                    rx.button(
                        "Deactivate", size="1", variant="soft", on_click=S.archive(row["id"])
                    ),
                ),
                spacing="2",
            )
        ),
    )


def _dialog() -> rx.Component:
    new = S.editing_id == ""
    return admin_dialog(
        S,
        rx.cond(new, "New field", "Edit field"),
        [
            rx.cond(
                new,
                rx.vstack(
                    select_field(
                        "Entity",
                        "entity_type",
                        S.entity_options,
                        errors=S.form_errors,
                        default_value=S.form["entity_type"],
                    ),
                    select_field(
                        "Type",
                        "field_type",
                        S.type_options,
                        errors=S.form_errors,
                        default_value=S.form["field_type"],
                    ),
                    width="100%",
                ),
                rx.text(
                    S.form["entity"],
                    " field, ",
                    S.form["type"],
                    " (the type and key stay)",
                    size="2",
                ),
            ),
            text_field("Label", "label", errors=S.form_errors, default_value=S.form["name"]),
            text_field(
                "Options (comma-separated, for choice fields)",
                "options",
                errors=S.form_errors,
                default_value=S.form["options"],
            ),
            text_field("Help text", "help", errors=S.form_errors, default_value=S.form["help"]),
            text_field(
                "Display order",
                "display_order",
                errors=S.form_errors,
                default_value=S.form["display_order"],
                input_mode="numeric",
            ),
            checkbox_field(
                "Required", "required", default_checked=S.form["required"] == "Required"
            ),
            checkbox_field(
                "Predicts the win chance (single choice, yes/no or number)",
                "predicts_win",
                default_checked=S.form["predicts_win"] != "",
                errors=S.form_errors,
            ),
        ],
        S.save,
    )


def fields_page() -> rx.Component:
    return admin_list_page(
        S,
        section="Custom Fields",
        new_label="New field",
        on_new=S.open_new,
        headers=["Entity", "Label", "Key", "Type", "Required", "Win chance", "Options", "Actions"],
        row=_row,
        plural="custom fields",
        dialog=_dialog(),
        archived_label="Show inactive",
        more=_defaults(),
    )


def _defaults() -> rx.Component:
    """The organization's defaults for built-in fields: its currency."""
    return rx.hstack(
        rx.el.label("Default currency", html_for="default-currency"),
        rx.el.select(
            rx.foreach(S.currency_options, lambda code: rx.el.option(code, value=code)),
            id="default-currency",
            value=S.default_currency,
            on_change=S.set_default_currency,
        ),
        rx.text(
            "New deals start in it; currency lists offer it first.",
            size="2",
            color="var(--gray-11)",
        ),
        align="center",
        spacing="2",
        wrap="wrap",
    )
