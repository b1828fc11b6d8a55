"""A board's filters (workflow, owner, assignee, "Waiting on me", overdue) and the card
detail's "Assigned to"."""

from __future__ import annotations

from typing import Any

import reflex as rx

_SELECT = {"padding": "0.3em"}


def filter_select(
    label: str,
    field_id: str,
    options: Any,
    on_change: Any,
    *,
    first: str | None = None,
    value: Any = None,
) -> rx.Component:
    """A labelled native select of ``options`` (dicts with value and label); ``first``: an
    option with the empty value ("Everyone"); ``value``: controlled."""
    props: dict[str, Any] = {"value": value} if value is not None else {}
    return rx.hstack(
        rx.el.label(label, html_for=field_id),
        rx.el.select(
            rx.el.option(first, value="") if first else rx.fragment(),
            rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])),
            id=field_id,
            on_change=on_change,
            style=_SELECT,
            **props,
        ),
        align="center",
    )


def filter_check(label: str, checked: Any, on_change: Any) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.checkbox(checked=checked, on_change=on_change, aria_label=label),
            rx.text(label, size="2"),
            align="center",
            spacing="2",
        ),
    )


def board_filters(state: Any) -> list[rx.Component]:
    return [
        filter_select(
            "Workflow",
            "board-workflow",
            state.workflow_options,
            state.set_workflow_filter,
            value=state.workflow_filter,
        ),
        rx.cond(
            state.can_filter_by_owner,
            filter_select(
                "Owner",
                "board-owner",
                state.owner_options,
                state.set_owner_filter,
                first="Everyone",
                value=state.owner_filter,
            ),
        ),
        filter_select(
            "Assignee",
            "board-assignee",
            state.assignee_options,
            state.set_assignee_filter,
            first="Anyone",
            value=state.assignee_filter,
        ),
        rx.cond(
            state.has_approvals,
            filter_check("Waiting on me", state.waiting_on_me, state.set_waiting_on_me),
        ),
        filter_check("Rotting or past SLA only", state.overdue_only, state.set_overdue_only),
    ]


def assigned_to(state: Any) -> rx.Component:
    """The detail's line: a select for those who may change the card, else the name."""
    return rx.cond(
        state.can_assign,
        filter_select(
            "Assigned to",
            "detail-assignee",
            state.assign_options,
            state.assign_card,
            value=state.assignee_value,
        ),
        rx.text(
            "Assigned to: ",
            rx.cond(state.detail["assignee"] != "", state.detail["assignee"], "nobody"),
        ),
    )


def no_match(state: Any) -> rx.Component:
    """What an empty board says when its filters hid every card, and the way back."""
    return rx.callout(
        rx.hstack(
            rx.text("No cards match these filters."),
            rx.button("Clear filters", size="1", variant="soft", on_click=state.clear_filters),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        icon="search",
        role="status",
    )
