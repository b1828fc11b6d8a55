"""Pieces of the admin pages: the section navigation and small table helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from wfm_app.ui import routes
from wfm_app.ui.components.forms import form_dialog, refusal
from wfm_app.ui.components.layout import page


def admin_tabs(current: str) -> rx.Component:
    """Links, not ARIA tabs: each section is its own page with its own address."""
    return rx.el.nav(
        rx.hstack(
            *[
                rx.link(
                    label,
                    href=href,
                    aria_current="page" if label == current else None,
                    weight="bold" if label == current else "regular",
                    underline="always" if label == current else "hover",
                    padding_x="0.75em",
                    padding_y="0.35em",
                    border_radius="999px",
                    background_color="var(--accent-a3)" if label == current else "transparent",
                    white_space="nowrap",
                )
                for label, href in routes.ADMIN_SECTIONS
            ],
            spacing="2",
            wrap="wrap",
        ),
        aria_label="WFM administration",
    )


def swatch(color: rx.Var[str]) -> rx.Component:
    return rx.box(
        width="1.1em",
        height="1.1em",
        border_radius="4px",
        background_color=rx.cond(color != "", color, "var(--gray-a4)"),
        border="1px solid var(--gray-a7)",
        aria_hidden="true",
    )


def list_toolbar(
    state: Any, new_label: str, on_new: Any, archived_label: str = "Show archived"
) -> rx.Component:
    """The "New …" button and the "Show archived" switch above every admin list."""
    return rx.hstack(
        rx.button(new_label, on_click=on_new),
        rx.hstack(
            rx.switch(
                id="show-archived", checked=state.show_archived, on_change=state.set_show_archived
            ),
            rx.el.label(archived_label, html_for="show-archived"),
            align="center",
        ),
        spacing="5",
        align="center",
    )


def archive_toggle(state: Any, row: Any, what_changes: Any) -> rx.Component:
    """Restore at once; Archive asks first, saying what archiving changes."""
    return rx.cond(
        row["archived"] == "yes",
        rx.button(
            "Restore",
            size="1",
            variant="soft",
            on_click=state.restore(row["id"]),
        ),
        rx.alert_dialog.root(
            rx.alert_dialog.trigger(rx.button("Archive", size="1", variant="soft")),
            rx.alert_dialog.content(
                rx.alert_dialog.title("Archive “" + row["name"] + "”?"),
                rx.alert_dialog.description(
                    what_changes, " It comes back with Restore (under Show archived).", size="2"
                ),
                rx.hstack(
                    rx.alert_dialog.cancel(rx.button("Keep it", variant="soft")),
                    rx.alert_dialog.action(rx.button("Archive", on_click=state.archive(row["id"]))),
                    justify="end",
                    spacing="3",
                    margin_top="1em",
                ),
            ),
        ),
    )


def list_table(
    state: Any, headers: list[str], row: Callable[[Any], rx.Component], *, plural: str
) -> rx.Component:
    """The rows as a table, or a sentence when there are none."""
    return rx.cond(
        state.rows.length() > 0,
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(state.rows, row)),
            width="100%",
        ),
        rx.text(
            rx.cond(
                state.show_archived,
                f"No archived {plural}.",
                f"No {plural} yet: add the first one.",
            )
        ),
    )


def admin_dialog(
    state: Any, title: Any, fields: list[rx.Component], on_submit: Any
) -> rx.Component:
    """The New / Edit dialog of an admin list (AdminListMixin's dialog state)."""
    return form_dialog(
        title,
        fields,
        error=state.form_error,
        on_submit=on_submit,
        is_open=state.dialog_open,
        on_open_change=state.set_dialog_open,
    )


def admin_list_page(
    state: Any,
    *,
    section: str,
    new_label: str,
    on_new: Any,
    headers: list[str],
    row: Callable[[Any], rx.Component],
    plural: str,
    dialog: rx.Component,
    archived_label: str = "Show archived",
    more: rx.Component | None = None,
) -> rx.Component:
    """One admin section: tabs, toolbar (and ``more`` controls), refusal, the list and its
    dialog."""
    return page(
        admin_tabs(section),
        list_toolbar(state, new_label, on_new, archived_label),
        more if more is not None else rx.fragment(),
        refusal(state.error),
        list_table(state, headers, row, plural=plural),
        dialog,
        title=section,
    )
