""" "Convert to deal" on a lead's card detail, and its form (state/board_convert.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.forms import form_dialog, refusal, text_field


def convert_section(state: Any) -> rx.Component:
    """The lead's conversion: done (when), or the button that opens the form."""
    return rx.vstack(
        rx.cond(
            state.detail["converted"] != "",
            rx.text("Converted to a deal on ", state.detail["converted"], ".", size="2"),
            rx.button(
                "Convert to deal",
                variant="soft",
                on_click=state.open_convert(state.detail["id"]),
            ),
        ),
        rx.cond(~state.convert_open, refusal(state.convert_error)),
        form_dialog(
            "Convert to deal",
            [
                rx.text(state.convert_carried, size="2"),
                text_field(
                    "Deal name",
                    "name",
                    errors=state.convert_errors,
                    default_value=state.convert_values["name"],
                    field_id="convert-name",
                ),
                text_field(
                    "Amount",
                    "amount",
                    errors=state.convert_errors,
                    default_value=state.convert_values["amount"],
                    field_id="convert-amount",
                    input_mode="decimal",
                ),
                text_field(
                    "Expected close date",
                    "expected_close_date",
                    errors=state.convert_errors,
                    default_value=state.convert_values["expected_close_date"],
                    field_id="convert-close-date",
                    type="date",
                ),
            ],
            error=state.convert_error,
            on_submit=state.convert,
            is_open=state.convert_open,
            on_open_change=state.set_convert_open,
            submit="Convert",
        ),
        spacing="2",
        align="start",
        width="100%",
    )
