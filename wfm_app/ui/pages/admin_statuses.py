"""/admin/wfm/statuses"""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.admin import admin_tabs, swatch
from wfm_app.ui.components.forms import refusal, text_field
from wfm_app.ui.components.layout import page
from wfm_app.ui.state.admin_statuses import StatusesState as S


def _row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(swatch(row["color"]), rx.text(row["color"], size="1"), align="center")
        ),
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(row["description"]),
        rx.table.cell(row["used_by"]),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Edit",
                    size="1",
                    variant="soft",
                    on_click=S.open_edit(row),
                    aria_label="Edit " + row["name"],
                ),
                rx.cond(
                    row["archived"] == "yes",
                    rx.button(
                        "Restore",
                        size="1",
                        variant="soft",
                        on_click=S.restore(row["id"]),
                        aria_label="Restore " + row["name"],
                    ),
                    rx.button(
                        "Archive",
                        size="1",
                        variant="soft",
                        on_click=S.archive(row["id"]),
                        aria_label="Archive " + row["name"],
                    ),
                ),
                rx.button(
                    "Delete",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.delete(row["id"], row["name"]),
                    aria_label="Delete " + row["name"],
                ),
                spacing="2",
            )
        ),
    )


def _dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.editing_id == "", "New status", "Edit status")),
            rx.form(
                rx.vstack(
                    refusal(S.form_error),
                    text_field("Name", "name", errors=S.form_errors, default_value=S.form_name),
                    text_field(
                        "Description",
                        "description",
                        errors=S.form_errors,
                        default_value=S.form_description,
                    ),
                    rx.vstack(
                        rx.el.label(
                            "Color",
                            html_for="field-color-picker",
                            font_weight="500",
                            font_size="0.875em",
                        ),
                        rx.hstack(
                            rx.el.input(
                                type="color",
                                id="field-color-picker",
                                value=S.form_color,
                                on_change=S.set_form_color,
                                style={"width": "3em", "height": "2em"},
                            ),
                            rx.input(
                                value=S.form_color,
                                on_change=S.set_form_color,
                                aria_label="Hex color",
                                width="8em",
                            ),
                            align="center",
                        ),
                        rx.cond(
                            S.form_errors.contains("color"),
                            rx.text(
                                S.form_errors["color"], color_scheme="red", size="1", role="alert"
                            ),
                        ),
                        spacing="1",
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", type="button", variant="soft", color_scheme="gray")
                        ),
                        rx.button("Save", type="submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.save,
                reset_on_submit=False,
            ),
        ),
        open=S.dialog_open,
        on_open_change=S.set_dialog_open,
    )


def statuses_page() -> rx.Component:
    return page(
        admin_tabs("Statuses"),
        rx.hstack(
            rx.button("New status", on_click=S.open_new),
            rx.hstack(
                rx.switch(
                    id="show-archived", checked=S.show_archived, on_change=S.set_show_archived
                ),
                rx.el.label("Show archived", html_for="show-archived"),
                align="center",
            ),
            spacing="5",
            align="center",
        ),
        refusal(S.error),
        rx.cond(
            S.rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in [
                                "Color",
                                "Name",
                                "Description",
                                "Used by workflows",
                                "Actions",
                            ]
                        ]
                    )
                ),
                rx.table.body(rx.foreach(S.rows, _row)),
                width="100%",
                aria_label="Statuses",
            ),
            rx.text(
                rx.cond(
                    S.show_archived, "No archived statuses.", "No statuses yet: add the first one."
                )
            ),
        ),
        _dialog(),
        title="Statuses",
    )
