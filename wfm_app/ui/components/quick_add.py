""" "Add a card" at the top of a column (state/board_quick_add.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx


def quick_add(state: Any, column: Any) -> rx.Component:
    field = "quick-add-" + column.id
    return rx.cond(
        state.quick_add_column == column.id,
        rx.form(
            rx.el.input(type="hidden", name="step_id", value=column.id),
            rx.input(
                id=field,
                name="name",
                placeholder="Name, then Enter",
                aria_label="Name of the new card in " + column.name,
                auto_focus=True,
                on_key_down=state.quick_add_key,
                size="1",
                width="100%",
            ),
            rx.cond(
                state.quick_add_error != "",
                rx.text(state.quick_add_error, role="alert", size="1", color="var(--red-11)"),
            ),
            on_submit=state.quick_add,
            reset_on_submit=True,
            width="100%",
        ),
        rx.button(
            rx.icon("plus", size=14, aria_hidden="true"),
            "Add a card",
            size="1",
            variant="ghost",
            on_click=state.open_quick_add(column.id),
        ),
    )
