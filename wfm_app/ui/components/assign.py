"""Assignees on a board: the "Assignee" filter and the card detail's "Assigned to"."""

from __future__ import annotations

from typing import Any

import reflex as rx

_SELECT = {"padding": "0.3em"}


def assignee_filter(state: Any) -> rx.Component:
    return rx.hstack(
        rx.el.label("Assignee", html_for="board-assignee"),
        rx.el.select(
            rx.el.option("Anyone", value=""),
            rx.foreach(
                state.assignee_options, lambda o: rx.el.option(o["label"], value=o["value"])
            ),
            id="board-assignee",
            on_change=state.set_assignee_filter,
            style=_SELECT,
        ),
        align="center",
    )


def assigned_to(state: Any) -> rx.Component:
    """The detail's line: a select for those who may change the card, else the name."""
    return rx.cond(
        state.can_assign,
        rx.hstack(
            rx.el.label("Assigned to", html_for="detail-assignee"),
            rx.el.select(
                rx.foreach(
                    state.assign_options, lambda o: rx.el.option(o["label"], value=o["value"])
                ),
                id="detail-assignee",
                value=state.assignee_value,
                on_change=state.assign_card,
                style=_SELECT,
            ),
            align="center",
        ),
        rx.text(
            "Assigned to: ",
            rx.cond(state.detail["assignee"] != "", state.detail["assignee"], "nobody"),
        ),
    )
