"""/deals and /leads: kanban boards whose columns are the workflow's steps."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.dnd import drag_item, drop_zone
from wfm_app.ui.components.forms import (
    form_dialog,
    refusal,
    select_field,
    text_field,
)
from wfm_app.ui.components.layout import page
from wfm_app.ui.state.board import CardView, ColumnView
from wfm_app.ui.state.boards import DealsBoardState, LeadsBoardState


def _card(state: Any, card: rx.Var[CardView]) -> rx.Component:
    return rx.el.li(
        drag_item(
            rx.el.article(
                rx.vstack(
                    rx.button(
                        card.name,
                        variant="ghost",
                        size="2",
                        on_click=state.open_detail(card.id),
                        style={
                            "padding": "0",
                            "height": "auto",
                            "text_align": "left",
                            "font_weight": "600",
                            "white_space": "normal",
                        },
                    ),
                    rx.text(card.detail, size="2"),
                    rx.hstack(
                        rx.text(card.owner, size="1", color="var(--gray-11)"),
                        rx.text(card.days, size="1", color="var(--gray-11)"),
                        justify="between",
                        width="100%",
                    ),
                    rx.menu.root(
                        rx.menu.trigger(rx.button("Move to", size="1", variant="soft")),
                        rx.menu.content(
                            rx.cond(
                                state.moves_by_step[card.step_id].length() > 0,
                                rx.foreach(
                                    state.moves_by_step[card.step_id],
                                    lambda move: rx.menu.item(
                                        move.name, on_select=state.move_card(card.id, move.step_id)
                                    ),
                                ),
                                rx.menu.item("No moves from here", disabled=True),
                            )
                        ),
                    ),
                    spacing="1",
                    align="start",
                ),
                aria_label=card.name,
                style={
                    "padding": "0.6em 0.75em",
                    "border": "1px solid var(--gray-a5)",
                    "border_radius": "8px",
                    "background": "var(--color-panel-solid)",
                    "cursor": "grab",
                },
            ),
            item_id=card.id,
        ),
        style={"list_style": "none"},
    )


def _column(state: Any, column: rx.Var[ColumnView], show_amounts: bool) -> rx.Component:
    totals = (
        [
            rx.text("Total ", column.total_label, size="1"),
            rx.text("Weighted ", column.weighted_label, size="1"),
        ]
        if show_amounts
        else []
    )
    return drop_zone(
        rx.el.section(
            rx.hstack(
                rx.heading(column.name, as_="h2", size="3"),
                rx.badge(column.count.to_string(), aria_label="Cards in column"),
                justify="between",
                width="100%",
            ),
            rx.text("Probability ", column.probability, size="1", color="var(--gray-11)"),
            *totals,
            rx.el.ul(
                rx.foreach(column.cards, lambda card: _card(state, card)),
                # Columns scroll inside themselves: the board never outgrows the window,
                # so a drag from any card to any column stays on screen.
                style={
                    "display": "flex",
                    "flex_direction": "column",
                    "gap": "0.5em",
                    "padding": "0",
                    "margin": "0.4em 0 0 0",
                    "flex": "1 1 auto",
                    "min_height": "0",
                    "overflow_y": "auto",
                },
            ),
            rx.cond(
                column.hidden > 0,
                rx.button(
                    "Show more (",
                    column.hidden.to_string(),
                    " hidden)",
                    size="1",
                    variant="ghost",
                    on_click=state.show_more(column.id),
                ),
            ),
            role="region",
            aria_label=column.name,
            style={
                "display": "flex",
                "flex_direction": "column",
                "gap": "0.2em",
                "height": "100%",
                "box_sizing": "border-box",
                "padding": "0.6em",
                "background": "var(--gray-a2)",
                "border_radius": "10px",
                "overflow": "hidden",
            },
        ),
        zone_id=column.id,
        on_drop_item=state.drop_card,
        style={"min_width": "0", "height": "calc(100vh - 210px)", "min_height": "320px"},
    )


def _detail(state: Any, edit_fields: list[rx.Component]) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(state.detail["name"]),
            rx.vstack(
                rx.text(
                    "Current step: ",
                    rx.text.strong(state.detail["step"]),
                    " (",
                    state.detail["since"],
                    ")",
                ),
                rx.text("Owner: ", state.detail["owner"]),
                rx.foreach(state.detail_fields, lambda f: rx.text(f["label"], ": ", f["value"])),
                rx.el.details(
                    rx.el.summary("Edit details", style={"cursor": "pointer"}),
                    rx.form(
                        rx.vstack(
                            refusal(state.edit_error),
                            *edit_fields,
                            rx.button("Save changes", type="submit"),
                            spacing="2",
                            width="100%",
                        ),
                        on_submit=state.save_edit,
                        reset_on_submit=False,
                        key=state.detail["id"],
                    ),
                    style={"width": "100%"},
                ),
                rx.heading("Allowed moves", as_="h3", size="3"),
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
                rx.heading("History", as_="h3", size="3"),
                rx.cond(
                    state.detail_history.length() > 0,
                    rx.el.ol(
                        rx.foreach(
                            state.detail_history,
                            lambda h: rx.el.li(
                                rx.text(
                                    h.from_step,
                                    " → ",
                                    h.to_step,
                                    " by ",
                                    h.who,
                                    ", ",
                                    h.when,
                                    size="2",
                                )
                            ),
                        ),
                        aria_label="History",
                    ),
                    rx.text("No moves yet.", size="2"),
                ),
                rx.hstack(
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    rx.alert_dialog.root(
                        rx.alert_dialog.trigger(
                            rx.button("Delete", variant="soft", color_scheme="red")
                        ),
                        rx.alert_dialog.content(
                            rx.alert_dialog.title("Delete " + state.detail["name"] + "?"),
                            rx.alert_dialog.description(
                                "Its workflow position and history go too. This cannot be undone."
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
                    justify="between",
                    width="100%",
                ),
                spacing="2",
                align="start",
            ),
        ),
        open=state.detail_open,
        on_open_change=state.set_detail_open,
    )


def _create_dialog(state: Any, noun: str, fields: list[rx.Component]) -> rx.Component:
    return form_dialog(
        f"New {noun}",
        [
            *fields,
            select_field(
                "Project type",
                "wfm_project_type_id",
                state.project_type_options,
                errors=state.create_errors,
                default_value=state.default_project_type,
                field_id=f"{noun}-project-type",
            ),
        ],
        error=state.create_error,
        on_submit=state.create,
        is_open=state.create_open,
        on_open_change=state.set_create_open,
        submit="Create",
    )


def _board(
    state: Any,
    *,
    noun: str,
    title: str,
    fields: list[rx.Component],
    edit_fields: list[rx.Component],
    show_amounts: bool,
) -> rx.Component:
    return page(
        rx.hstack(
            rx.button(f"New {noun}", on_click=state.set_create_open(True)),
            rx.hstack(
                rx.el.label("Search", html_for="board-search"),
                rx.input(
                    id="board-search",
                    placeholder=f"Search {noun}s by name",
                    on_change=state.set_search.debounce(250),
                    width="16em",
                ),
                align="center",
            ),
            rx.hstack(
                rx.el.label("Workflow", html_for="board-workflow"),
                rx.el.select(
                    rx.foreach(
                        state.workflow_options, lambda o: rx.el.option(o["label"], value=o["value"])
                    ),
                    id="board-workflow",
                    value=state.workflow_filter,
                    on_change=state.set_workflow_filter,
                    style={"padding": "0.3em"},
                ),
                align="center",
            ),
            rx.cond(
                state.can_filter_by_owner,
                rx.hstack(
                    rx.el.label("Owner", html_for="board-owner"),
                    rx.el.select(
                        rx.el.option("Everyone", value=""),
                        rx.foreach(
                            state.owner_options,
                            lambda o: rx.el.option(o["label"], value=o["value"]),
                        ),
                        id="board-owner",
                        on_change=state.set_owner_filter,
                        style={"padding": "0.3em"},
                    ),
                    align="center",
                ),
            ),
            spacing="5",
            align="center",
        ),
        rx.cond(
            state.alert != "",
            rx.callout(state.alert, icon="triangle_alert", color_scheme="red", role="alert"),
        ),
        rx.cond(
            state.loaded & (state.columns.length() == 0),
            rx.callout(
                "This workflow has no steps yet: an administrator adds them under Admin.",
                icon="info",
                role="status",
            ),
        ),
        rx.cond(
            state.loaded,
            rx.box(
                rx.foreach(state.columns, lambda column: _column(state, column, show_amounts)),
                style={
                    "display": "grid",
                    "gap": "0.6em",
                    "width": "100%",
                    "grid_template_columns": "repeat(auto-fit, minmax(150px, 1fr))",
                },
            ),
            rx.hstack(rx.spinner(), rx.text("Loading the board…"), role="status"),
        ),
        _create_dialog(state, noun, fields),
        _detail(state, edit_fields),
        title=title,
    )


def _deal_fields(errors: Any, values: Any, prefix: str) -> list[rx.Component]:
    def value(key: str, default: str = "") -> Any:
        return values.get(key, default).to(str) if values is not None else default

    return [
        text_field(
            "Name", "name", errors=errors, field_id=f"{prefix}-name", default_value=value("name")
        ),
        text_field(
            "Amount",
            "amount",
            errors=errors,
            field_id=f"{prefix}-amount",
            input_mode="decimal",
            default_value=value("amount"),
        ),
        text_field(
            "Currency",
            "currency",
            errors=errors,
            field_id=f"{prefix}-currency",
            default_value=value("currency", "USD"),
        ),
        text_field(
            "Expected close date",
            "expected_close_date",
            errors=errors,
            field_id=f"{prefix}-close-date",
            type="date",
            default_value=value("expected_close_date"),
        ),
    ]


def _lead_fields(errors: Any, values: Any, prefix: str) -> list[rx.Component]:
    def value(key: str) -> Any:
        return values.get(key, "").to(str) if values is not None else ""

    return [
        text_field(
            "Name", "name", errors=errors, field_id=f"{prefix}-name", default_value=value("name")
        ),
        text_field(
            "Company",
            "company",
            errors=errors,
            field_id=f"{prefix}-company",
            default_value=value("company"),
        ),
        text_field(
            "Email",
            "email",
            errors=errors,
            field_id=f"{prefix}-email",
            default_value=value("email"),
        ),
        text_field(
            "Score",
            "score",
            errors=errors,
            field_id=f"{prefix}-score",
            input_mode="numeric",
            default_value=value("score"),
        ),
    ]


def deals_page() -> rx.Component:
    s = DealsBoardState
    return _board(
        s,
        noun="deal",
        title="Deals",
        fields=_deal_fields(s.create_errors, None, "deal"),
        edit_fields=_deal_fields(s.edit_errors, s.edit_values, "edit-deal"),
        show_amounts=True,
    )


def leads_page() -> rx.Component:
    s = LeadsBoardState
    return _board(
        s,
        noun="lead",
        title="Leads",
        fields=_lead_fields(s.create_errors, None, "lead"),
        edit_fields=_lead_fields(s.edit_errors, s.edit_values, "edit-lead"),
        show_amounts=False,
    )
