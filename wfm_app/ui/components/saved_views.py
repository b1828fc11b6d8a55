"""A board's saved views: the "View" picker, "Save view" (and its dialog), and for the
applied view "Make default" and "Delete view" (state/board_views.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.engine.saved_views import MAX_VIEW_NAME
from wfm_app.ui.components.board_filters import filter_select
from wfm_app.ui.components.forms import checkbox_field, form_dialog, text_field


def _save_dialog(state: Any) -> rx.Component:
    return form_dialog(
        "Save view",
        [
            rx.text(
                "Keeps this board's workflow, search, filters and grouping under a name.",
                size="2",
            ),
            text_field("Name", "name", errors=state.save_view_errors, max_length=MAX_VIEW_NAME),
            checkbox_field("Open this board with it (my default)", "make_default"),
            rx.cond(
                state.can_publish_views,
                checkbox_field("Publish to everyone", "publish"),
            ),
        ],
        error=state.save_view_error,
        on_submit=state.save_view,
        is_open=state.save_view_open,
        on_open_change=state.set_save_view_open,
    )


def saved_views_bar(state: Any) -> rx.Component:
    return rx.hstack(
        filter_select(
            "View",
            "board-view",
            state.view_options,
            state.choose_view,
            first="(none)",
            value=state.current_view,
        ),
        rx.button("Save view", variant="soft", on_click=state.set_save_view_open(True)),
        rx.cond(
            state.current_view != "",
            rx.hstack(
                rx.button("Make default", variant="soft", on_click=state.make_view_default),
                rx.cond(
                    state.current_view_removable,
                    rx.button(
                        "Delete view",
                        variant="soft",
                        color_scheme="red",
                        on_click=state.delete_view,
                    ),
                ),
                spacing="2",
            ),
        ),
        _save_dialog(state),
        spacing="2",
        align="center",
        wrap="wrap",
    )
