"""A board's toolbar: New, Search, the filters, Group by, saved views, Export CSV, Select (and
Ctrl+Z's Undo).
On a phone the search and filters fold under "Filters" (assets/phone.css)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.board_filters import board_filters
from wfm_app.ui.components.board_import import import_button
from wfm_app.ui.components.bulk_bar import select_toggle, undo_last
from wfm_app.ui.components.saved_views import saved_views_bar
from wfm_app.ui.components.swimlanes import group_by_select


def toolbar(state: Any, noun: Any) -> rx.Component:
    return rx.hstack(
        rx.button("New " + noun, on_click=state.set_create_open(True)),
        rx.button(
            "Filters",
            variant="soft",
            class_name="phone-only",
            aria_expanded=state.filters_open,
            aria_controls="board-filters",
            on_click=state.toggle_filters,
        ),
        rx.hstack(
            rx.hstack(
                rx.el.label("Search", html_for="board-search"),
                rx.input(
                    id="board-search",
                    placeholder="Search " + noun + "s by name",
                    value=state.search,
                    on_change=state.set_search,
                    debounce_timeout=250,
                    width="16em",
                    max_width="100%",
                ),
                align="center",
            ),
            *board_filters(state),
            group_by_select(state),
            saved_views_bar(state),
            rx.button(
                "Export CSV",
                variant="soft",
                loading=state.exporting,
                on_click=state.export_csv,
                title="Every card these filters keep, as a spreadsheet file",
            ),
            import_button(state),
            id="board-filters",
            class_name="board-filters",
            data_open=rx.cond(state.filters_open, "true", "false"),
            spacing="5",
            align="center",
            wrap="wrap",
        ),
        select_toggle(state),
        undo_last(state),
        spacing="4",  # two rows at 1280 px for a manager too (wider: more fit on one)
        align="center",
        wrap="wrap",  # the filters wrap rather than widen the page
    )
