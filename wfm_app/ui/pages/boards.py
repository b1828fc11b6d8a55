"""/deals, /leads and /tickets: kanban boards whose columns are the workflow's steps,
with the New dialog and the card detail, every field derived from the entity's
description and its custom fields."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.approvals import approvals_section
from wfm_app.ui.components.board_filters import assigned_to, no_match
from wfm_app.ui.components.board_import import import_dialog
from wfm_app.ui.components.board_toolbar import toolbar
from wfm_app.ui.components.bulk_bar import selection_bar
from wfm_app.ui.components.comments import timeline_section
from wfm_app.ui.components.convert import convert_section
from wfm_app.ui.components.entity_form import entity_fields
from wfm_app.ui.components.forms import form_dialog, select_field, text_field
from wfm_app.ui.components.inline_fields import inline_fields
from wfm_app.ui.components.kanban import column, step_tabs
from wfm_app.ui.components.layout import page
from wfm_app.ui.components.swimlanes import grouped_board
from wfm_app.ui.state.boards import (
    DealsBoardState,
    KindBoardState,
    LeadsBoardState,
    TicketsBoardState,
)


def _detail(state: Any, edit_prefix: str, extra: list[rx.Component]) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(state.detail["name"]),
            rx.vstack(
                rx.text(  # where focus goes after a move from here
                    "Current step: ",
                    rx.text.strong(state.detail["step"]),
                    " (",
                    state.detail["since"],
                    ")",
                    id="detail-step",
                    tab_index=-1,
                ),
                rx.text("Owner: ", state.detail["owner"]),
                assigned_to(state),
                inline_fields(state, edit_prefix),
                approvals_section(state),
                *extra,
                rx.heading("Allowed moves", as_="h2", size="3"),
                # a refused move, said where the person is (the page behind is inert)
                rx.cond(state.alert != "", refused_move(state)),
                rx.cond(
                    state.detail_moves.length() > 0,
                    rx.hstack(
                        rx.foreach(
                            state.detail_moves,
                            lambda move: rx.button(
                                "Move to " + move.name,
                                size="1",
                                variant="soft",
                                on_click=state.move_card(state.detail["id"], move.step_id),
                            ),
                        ),
                        wrap="wrap",
                    ),
                    rx.text("None: this is the end of the road."),
                ),
                timeline_section(state),
                rx.hstack(
                    rx.dialog.close(
                        rx.button(
                            "Close",
                            variant="soft",
                            color_scheme="gray",
                            custom_attrs={"data-wfm-card-close": ""},  # assets/card_url.js
                        )
                    ),
                    rx.cond(
                        state.detail["may_delete"] != "",
                        rx.alert_dialog.root(
                            rx.alert_dialog.trigger(
                                rx.button("Delete", variant="soft", color_scheme="red")
                            ),
                            rx.alert_dialog.content(
                                rx.alert_dialog.title("Delete " + state.detail["name"] + "?"),
                                rx.alert_dialog.description(
                                    "Its workflow position and history go too. "
                                    "This cannot be undone."
                                ),
                                rx.hstack(
                                    rx.alert_dialog.cancel(rx.button("Keep it", variant="soft")),
                                    rx.alert_dialog.action(
                                        rx.button(
                                            "Delete for good",
                                            color_scheme="red",
                                            on_click=state.delete_card,
                                        )
                                    ),
                                    justify="end",
                                    spacing="3",
                                ),
                            ),
                        ),
                    ),
                    justify="between",
                    width="100%",
                ),
                spacing="2",
                align="start",
            ),
            class_name="wfm-card-panel",  # a side panel at desktop width (assets/a11y.css)
        ),
        open=state.detail_open,
        on_open_change=state.set_detail_open,
    )


# A board's kind may be known only at run time (an admin's kind): its noun is then a Var,
# and element ids use a fixed ``slug`` instead.
Noun = str | rx.Var[str]


def _create_dialog(state: Any, noun: Noun, slug: str, fields: list[rx.Component]) -> rx.Component:
    return form_dialog(
        "New " + noun,
        [
            *fields,
            select_field(
                "Project type",
                "wfm_project_type_id",
                state.project_type_options,
                errors=state.create_errors,
                default_value=state.default_project_type,
                field_id=f"{slug}-project-type",
            ),
        ],
        error=state.create_error,
        on_submit=state.create,
        is_open=state.create_open,
        on_open_change=state.set_create_open,
        submit="Create",
    )


def _complete_dialog(state: Any, slug: str) -> rx.Component:
    """Asks for what a refused move lacks; "Move" saves it and moves in one go."""
    return form_dialog(
        "Complete to move",
        [
            rx.text(
                "Move ",
                rx.text.strong(state.complete_card["name"]),
                " to ",
                rx.text.strong(state.complete_card["step"]),
                ": fill in what this step needs.",
            ),
            entity_fields(
                state.complete_fields,
                errors=state.complete_errors,
                values=state.complete_values,
                prefix=f"complete-{slug}",
            ),
            rx.cond(
                state.complete_needs_reason,
                text_field(
                    "Reason",
                    "comment",
                    errors=state.complete_errors,
                    field_id=f"complete-{slug}-reason",
                ),
            ),
        ],
        error=state.complete_error,
        on_submit=state.complete_move,
        is_open=state.complete_open,
        on_open_change=state.set_complete_open,
        submit="Move",
    )


def _board(
    state: Any,
    *,
    noun: Noun,
    slug: str,
    title: Noun,
    fields: list[rx.Component],
    detail_extra: list[rx.Component],
) -> rx.Component:
    return page(
        toolbar(state, noun),
        step_tabs(state),
        selection_bar(state),
        rx.cond(
            state.alert != "",
            refused_move(state),
        ),
        rx.cond(
            state.older_versions != "",
            rx.callout(state.older_versions, icon="history", role="status", size="1"),
        ),
        rx.cond(
            state.loaded & (state.columns.length() == 0),
            rx.callout(
                "This workflow has no steps yet: an administrator adds them under Admin.",
                icon="info",
                role="status",
            ),
        ),
        rx.cond(state.no_match, no_match(state)),
        rx.cond(
            state.loaded & (state.group_by != ""),
            grouped_board(state),
        ),
        rx.cond(
            state.loaded & (state.group_by == ""),
            rx.box(
                rx.foreach(state.columns, lambda c: column(state, c)),
                id="board",  # the skip link's target
                tab_index=-1,
                style={
                    "display": "grid",
                    "gap": "0.6em",
                    "width": "100%",
                    "grid_template_columns": "repeat(auto-fit, minmax(150px, 1fr))",
                },
            ),
            rx.cond(
                ~state.loaded,
                # Shown until the board is in this tab's state; when a backend restart lost
                # that state, the tab reloads its board by itself from here.
                rx.hstack(
                    rx.spinner(),
                    rx.text("Loading the board…"),
                    role="status",
                    on_mount=state.recover,
                ),
            ),
        ),
        _create_dialog(state, noun, slug, fields),
        import_dialog(state, title),
        _complete_dialog(state, slug),
        _detail(state, f"edit-{slug}", detail_extra),
        title=title,
        skip=("the board", "board"),
    )


def refused_move(state: Any) -> rx.Component:
    """A refused move, said once (no toast beside it), naming the card; dismissable."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle_alert")),
        rx.hstack(
            rx.callout.text(state.alert),
            rx.button(
                "Dismiss",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=state.dismiss_alert,
            ),
            justify="between",
            align="center",
            width="100%",
        ),
        color_scheme="red",
        role="alert",
    )


def _board_page(
    state: Any,
    noun: Noun,
    title: Noun,
    slug: str | None = None,
    detail_extra: list[rx.Component] | None = None,
) -> rx.Component:
    slug = slug or str(noun)
    return _board(
        state,
        noun=noun,
        slug=slug,
        title=title,
        fields=[
            entity_fields(state.form_fields, errors=state.create_errors, values=None, prefix=slug)
        ],
        detail_extra=detail_extra or [],
    )


def deals_page() -> rx.Component:
    return _board_page(DealsBoardState, "deal", "Deals")


def leads_page() -> rx.Component:
    return _board_page(
        LeadsBoardState, "lead", "Leads", detail_extra=[convert_section(LeadsBoardState)]
    )


def tickets_page() -> rx.Component:
    return _board_page(TicketsBoardState, "ticket", "Tickets")


def kind_board_page() -> rx.Component:
    """/boards/<key>: an admin's kind's board, or a sentence when there is no such kind."""
    state = KindBoardState
    return rx.cond(
        state.kind_missing,
        page(
            rx.callout(
                "There is no board here: no kind has this key, or it was archived.",
                icon="info",
                role="status",
            ),
            title="No such board",
        ),
        _board_page(state, state.kind_noun, state.kind_title, slug="item"),
    )
