"""The card detail's timeline (state/timeline.py): "Add a comment" above everything that
happened to the card, newest first (moves with what automation did under each, edits,
approval decisions, comments)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.forms import field_error

FIELD = "comment-body"
QUIET = "var(--gray-11)"


def _runs(runs: Any) -> rx.Component:
    """What automation rules did (under the move that set them off)."""
    return rx.el.ul(
        rx.foreach(
            runs,
            lambda run: rx.el.li(
                rx.text(rx.icon("zap", size=12, aria_hidden="true"), " ", run, size="1"),
                style={"list_style": "none"},
            ),
        ),
        aria_label="Automation",
        style={"padding_left": "1em", "margin": "0.1em 0", "color": QUIET},
    )


ICONS = {"move": "arrow-right", "edit": "pencil", "approval": "badge-check"}


def _entry(entry: Any) -> rx.Component:
    icon = rx.match(
        entry.kind,
        *((kind, rx.icon(name, size=12, aria_hidden="true")) for kind, name in ICONS.items()),
        rx.icon("message-square", size=12, aria_hidden="true"),
    )
    return rx.el.li(
        rx.hstack(
            rx.box(icon, color=QUIET, padding_top="0.2em", flex_shrink="0"),
            rx.vstack(
                rx.text(entry.line, size="2"),
                rx.cond(
                    entry.body != "",
                    rx.text(entry.body, size="2", white_space="pre-wrap"),
                ),
                rx.cond(entry.runs.length() > 0, _runs(entry.runs)),
                spacing="0",
            ),
            spacing="2",
            align="start",
        ),
        margin_bottom="0.4em",
        style={"list_style": "none"},
    )


def _comment_form(state: Any) -> rx.Component:
    error = state.comment_error
    return rx.form(
        rx.vstack(
            rx.el.label("Add a comment", html_for=FIELD, font_weight="500", font_size="0.875em"),
            rx.text_area(
                id=FIELD,
                name="body",
                rows="2",
                width="100%",
                aria_invalid=rx.cond(error != "", "true", "false"),
                aria_describedby=rx.cond(error != "", f"{FIELD}-error", f"{FIELD}-help"),
            ),
            rx.text(
                "Type @ and a person's name to notify them.",
                id=f"{FIELD}-help",
                size="1",
                color=QUIET,
            ),
            field_error(error, FIELD),
            rx.button("Comment", type="submit", size="1"),
            spacing="1",
            width="100%",
        ),
        on_submit=state.add_comment,
        reset_on_submit=False,
        id="comment-form",
        width="100%",
    )


def timeline_section(state: Any) -> rx.Component:
    return rx.vstack(
        rx.heading("History", as_="h2", size="3"),
        _comment_form(state),
        rx.cond(
            state.detail_history.length() > 0,
            rx.el.ol(
                rx.foreach(state.detail_history, _entry),
                aria_label="History",
                style={"padding": 0, "margin": 0},
            ),
            rx.text("Nothing has happened to this card yet.", size="2"),
        ),
        rx.cond(
            state.detail_runs.length() > 0,
            rx.vstack(
                rx.heading("Other automation", as_="h2", size="3"),
                _runs(state.detail_runs),
                spacing="1",
            ),
        ),
        spacing="2",
        width="100%",
    )
