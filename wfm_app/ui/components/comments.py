"""The card detail's comments: the conversation, oldest first, and "Add a comment"."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.forms import field_error

FIELD = "comment-body"


def _comment(comment: Any) -> rx.Component:
    return rx.el.li(
        rx.text(comment["author"], " · ", comment["when"], size="1", color="var(--gray-11)"),
        rx.text(comment["body"], size="2", white_space="pre-wrap"),
        margin_bottom="0.5em",
    )


def comments_section(state: Any) -> rx.Component:
    error = state.comment_error
    return rx.vstack(
        rx.heading("Comments", as_="h2", size="3"),
        rx.cond(
            state.detail_comments.length() > 0,
            rx.el.ol(
                rx.foreach(state.detail_comments, _comment),
                aria_label="Comments",
                style={"listStyle": "none", "padding": 0, "margin": 0},
            ),
            rx.text("No comments yet.", size="2"),
        ),
        rx.form(
            rx.vstack(
                rx.el.label(
                    "Add a comment", html_for=FIELD, font_weight="500", font_size="0.875em"
                ),
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
                    color="var(--gray-11)",
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
        ),
        spacing="2",
        width="100%",
    )
