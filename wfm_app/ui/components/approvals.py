"""Parallel branches on the board: a badge per branch on a card, and the card detail's
"Approvals" section (state, who decided, "Approve" / "Reject" with a comment)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.state.board_approvals import ApprovalView

_LOOKS = {  # state: (icon, colour); the word is always written out too
    "approved": ("circle_check", "green"),
    "rejected": ("circle_x", "red"),
    "pending": ("hourglass", "gray"),
}


def _badge(name: rx.Var[str], state: str, mine: rx.Var[str] | None = None) -> rx.Component:
    icon, colour = _LOOKS[state]
    said = name + f": {state}"
    if mine is not None:  # pending, and the viewer may decide it
        said = rx.cond(mine != "", "Your approval: " + name, said)
    return rx.badge(
        rx.icon(icon, size=12, aria_hidden="true"),
        said,  # one text, so a narrow column wraps it
        color_scheme=colour,
        variant="soft",
        high_contrast=True,
        style={"white_space": "normal", "max_width": "100%", "height": "auto"},
    )


def card_badges(approvals: rx.Var[list[list[str]]]) -> rx.Component:
    """One badge per branch of the card's step: "Legal review: pending" ("Your approval:
    Legal review" when the viewer may decide it)."""
    return rx.cond(
        approvals.length() > 0,
        rx.flex(
            rx.foreach(
                approvals,
                lambda pair: rx.el.span(
                    rx.match(
                        pair[1],
                        ("approved", _badge(pair[0], "approved")),
                        ("rejected", _badge(pair[0], "rejected")),
                        _badge(pair[0], "pending", pair[2]),
                    ),
                    role="listitem",
                ),
            ),
            wrap="wrap",
            gap="1",
            role="list",
            aria_label="Approvals",
        ),
    )


def _approval(state: Any, item: rx.Var[ApprovalView]) -> rx.Component:
    comment_id = "approval-comment-" + item.branch_id
    return rx.el.section(
        rx.hstack(
            rx.heading(item.name, as_="h3", size="2"),
            rx.match(
                item.state,
                ("approved", _badge(item.name, "approved")),
                ("rejected", _badge(item.name, "rejected")),
                _badge(item.name, "pending"),
            ),
            align="center",
            wrap="wrap",
        ),
        rx.cond(item.step != "", rx.text("At ", item.step, size="1")),
        rx.cond(
            item.who != "",
            rx.text(
                "By ", item.who, rx.cond(item.comment != "", " — " + item.comment, ""), size="1"
            ),
        ),
        rx.cond(
            item.can_act,
            rx.vstack(
                rx.el.label(
                    "Comment (optional)", html_for=comment_id, style={"font_size": "0.8em"}
                ),
                rx.input(
                    id=comment_id,
                    value=state.approval_comments.get(item.branch_id, ""),
                    on_change=lambda value: state.set_approval_comment(item.branch_id, value),
                    max_length=2000,
                    size="1",
                    width="100%",
                ),
                rx.hstack(
                    rx.button(
                        "Approve",
                        size="1",
                        color_scheme="green",
                        high_contrast=True,  # white on Radix's green-9 is 3.2:1
                        on_click=state.act_on_branch(item.branch_id, "approve"),
                    ),
                    rx.button(
                        "Reject",
                        size="1",
                        color_scheme="red",
                        variant="soft",
                        high_contrast=True,
                        on_click=state.act_on_branch(item.branch_id, "reject"),
                    ),
                ),
                spacing="1",
                width="100%",
            ),
            rx.cond(
                item.state == "pending",
                rx.text("Waiting on ", item.roles, ".", size="1", color="var(--gray-11)"),
            ),
        ),
        aria_label=item.name,
        style={
            "border": "1px solid var(--gray-a5)",
            "border_radius": "6px",
            "padding": "0.5em",
            "width": "100%",
        },
    )


def approvals_section(state: Any) -> rx.Component:
    """The card detail's approvals (only on a step with parallel branches)."""
    return rx.cond(
        state.detail_approvals.length() > 0,
        rx.vstack(
            rx.heading("Approvals", as_="h2", size="3"),
            rx.foreach(state.detail_approvals, lambda item: _approval(state, item)),
            spacing="2",
            width="100%",
        ),
    )
