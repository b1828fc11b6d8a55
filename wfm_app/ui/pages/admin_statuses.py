"""/admin/wfm/statuses"""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.admin import (
    admin_dialog,
    admin_list_page,
    archive_toggle,
    swatch,
)
from wfm_app.ui.components.forms import (
    field_error,
    text_field,
)
from wfm_app.ui.state.admin_statuses import StatusesState as S


def _row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(swatch(row["color"]), rx.text(row["color"], size="1"), align="center")
        ),
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(row["description"]),
        rx.table.cell(
            rx.cond(
                row["used_by"] != "",
                rx.flex(
                    rx.foreach(
                        S.used_links[row["id"]].to(list[dict[str, str]]),
                        lambda used: rx.link(used["name"], href=used["href"], underline="always"),
                    ),
                    wrap="wrap",
                    gap="2",
                ),
                rx.text("No workflow", size="2", color="var(--gray-11)"),
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Edit",
                    size="1",
                    variant="soft",
                    on_click=S.open_edit(row),
                ),
                archive_toggle(
                    S,
                    row,
                    rx.cond(
                        row["used_by"] != "",
                        "Used by " + row["used_by"] + ": their steps keep it; ",
                        "",
                    )
                    + "new steps can no longer pick it.",
                ),
                rx.button(
                    "Delete",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.delete(row["id"], row["name"]),
                ),
                spacing="2",
            )
        ),
    )


def _color_field() -> rx.Component:
    """A colour picker and its hex code, kept in step through the state."""
    return rx.vstack(
        rx.el.label("Color", html_for="field-color-picker", font_weight="500", font_size="0.875em"),
        rx.hstack(
            rx.el.input(
                type="color",
                id="field-color-picker",
                value=S.form_color,
                on_change=S.set_form_color,
                style={"width": "3em", "height": "2em"},
            ),
            rx.input(
                value=S.form_color, on_change=S.set_form_color, aria_label="Hex color", width="8em"
            ),
            align="center",
        ),
        field_error(S.form_errors.get("color", "").to(str), "field-color"),
        spacing="1",
    )


def _dialog() -> rx.Component:
    return admin_dialog(
        S,
        rx.cond(S.editing_id == "", "New status", "Edit status"),
        [
            text_field("Name", "name", errors=S.form_errors, default_value=S.form_name),
            text_field(
                "Description",
                "description",
                errors=S.form_errors,
                default_value=S.form_description,
            ),
            _color_field(),
        ],
        S.save,
    )


def statuses_page() -> rx.Component:
    return admin_list_page(
        S,
        section="Statuses",
        new_label="New status",
        on_new=S.open_new,
        headers=["Color", "Name", "Description", "Used by", "Actions"],
        row=_row,
        plural="statuses",
        dialog=_dialog(),
    )
