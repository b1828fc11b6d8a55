"""A board's "Select" toggle and, while selecting, the bar that acts on the selected
cards: "Move selected to", "Assign selected to", "Delete selected" (state/board_select.py);
and Ctrl+Z's "Undo last move" (state/board_undo.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx


def select_toggle(state: Any) -> rx.Component:
    return rx.button(
        rx.cond(state.selecting, "Done selecting", "Select"),
        variant=rx.cond(state.selecting, "solid", "soft"),
        aria_pressed=state.selecting,
        on_click=state.toggle_selecting,
    )


def undo_last(state: Any) -> rx.Component:
    """Ctrl+Z's button (assets/a11y.js clicks it): seen only when a keyboard reaches it."""
    return rx.el.button(
        "Undo last move (Ctrl+Z)",
        id="undo-last-move",
        class_name="keyboard-only",
        on_click=state.undo_last,
    )


def _delete_selected(state: Any) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button("Delete selected", variant="soft", color_scheme="red", size="2")
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete ", state.selected.length().to_string(), " cards?"),
            rx.alert_dialog.description(
                "Their workflow positions and histories go too. This cannot be undone. "
                "Cards you may not delete stay, and the result says which."
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Keep them", variant="soft")),
                rx.alert_dialog.action(
                    rx.button("Delete for good", color_scheme="red", on_click=state.delete_selected)
                ),
                justify="end",
                spacing="3",
            ),
        ),
        open=state.delete_selected_open,
        on_open_change=state.set_delete_selected_open,
    )


def _assign_item(state: Any, option: Any) -> rx.Component:
    return rx.menu.item(option["label"], on_select=state.assign_selected(option["value"]))


def selection_bar(state: Any) -> rx.Component:
    """What to do with the selected cards (shown while selecting)."""
    return rx.cond(
        state.selecting,
        rx.hstack(
            rx.text(
                state.selected.length().to_string(),
                " selected",
                weight="medium",
                role="status",
                aria_live="polite",
            ),
            rx.menu.root(
                rx.menu.trigger(
                    rx.button("Move selected to", size="2", loading=state.bulk_working)
                ),
                rx.menu.content(
                    rx.foreach(
                        state.columns,
                        lambda c: rx.menu.item(c.name, on_select=state.move_selected(c.id)),
                    )
                ),
            ),
            rx.menu.root(
                rx.menu.trigger(rx.button("Assign selected to", size="2", variant="soft")),
                rx.menu.content(
                    rx.menu.item("Nobody", on_select=state.assign_selected("none")),
                    rx.foreach(
                        state.assignee_options,
                        lambda o: rx.menu.item(
                            o["label"], on_select=state.assign_selected(o["value"])
                        ),
                    ),
                ),
            ),
            _delete_selected(state),
            spacing="3",
            align="center",
            wrap="wrap",
            padding="0.5em 0.75em",
            border_radius="8px",
            background="var(--accent-a3)",
            aria_label="Selected cards",
            role="toolbar",
        ),
    )
