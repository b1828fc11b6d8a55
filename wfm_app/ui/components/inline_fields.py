"""A card's fields in its panel, each editable in place (issue 33.1): click a field (or
Tab to it and press Enter), change it, Enter or Save saves, Escape or Cancel leaves it as
it was (assets/inline_edit.js); a refusal shows beside the field, what was typed kept."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.entity_form import entity_field
from wfm_app.ui.components.forms import refusal


def _editor(state: Any, row: rx.Var[dict[str, str]], prefix: str) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.foreach(
                state.form_fields,
                lambda field: rx.cond(
                    field.key == row["key"],
                    entity_field(
                        field, errors=state.edit_errors, values=state.edit_values, prefix=prefix
                    ),
                ),
            ),
            # a refusal not about this field (the card changed meanwhile, say)
            rx.cond(~state.edit_errors.contains(row["key"]), refusal(state.edit_error)),
            rx.hstack(
                rx.button("Save", type="submit", size="1"),
                rx.button(
                    "Cancel",
                    type="button",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=state.cancel_field,
                    custom_attrs={"data-wfm-inline-cancel": ""},
                ),
                spacing="2",
            ),
            spacing="1",
            width="100%",
        ),
        on_submit=state.save_edit,
        reset_on_submit=False,
        key=state.detail["id"] + row["key"],
        custom_attrs={"data-wfm-inline": ""},
        width="100%",
    )


def _shown(state: Any, row: rx.Var[dict[str, str]]) -> rx.Component:
    said = rx.text(row["label"], ": ", row["value"], size="3", text_align="left")
    return rx.cond(
        row["key"] != "",
        rx.button(
            said,
            rx.icon("pencil", size=12, aria_hidden="true", color="var(--gray-10)"),
            variant="ghost",
            color_scheme="gray",
            high_contrast=True,
            on_click=state.edit_field(row["key"]),
            aria_label=row["label"] + ": " + row["value"] + " (edit)",
            style={"height": "auto", "white_space": "normal", "justify_content": "start"},
        ),
        said,  # computed: nothing to edit
    )


def inline_fields(state: Any, prefix: str) -> rx.Component:
    return rx.vstack(
        rx.foreach(
            state.detail_fields,
            lambda row: rx.cond(
                (row["key"] != "") & (state.editing_field == row["key"]),
                _editor(state, row, prefix),
                _shown(state, row),
            ),
        ),
        spacing="1",
        width="100%",
        aria_label="Fields",
    )
