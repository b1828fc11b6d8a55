"""Kanban pieces: a card (drag it, or "Move to") and a column (a drop zone per step)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.approvals import card_badges
from wfm_app.ui.components.card_face import assignee_face, face_chips, owner_face
from wfm_app.ui.components.dnd import drag_item, drop_zone
from wfm_app.ui.components.quick_add import quick_add
from wfm_app.ui.state.entity_views import CardView, ColumnView


def card(state: Any, card: rx.Var[CardView], step_id: rx.Var[str]) -> rx.Component:
    """A card in the column of step ``step_id``."""
    return rx.el.li(
        drag_item(
            rx.el.article(
                rx.vstack(
                    rx.cond(
                        state.selecting,
                        rx.checkbox(
                            "Select",
                            checked=state.selected.contains(card.id),
                            on_change=lambda _checked: state.toggle_card(card.id),
                            aria_label="Select " + card.name,
                            size="2",
                        ),
                    ),
                    rx.button(
                        card.name,
                        variant="ghost",
                        size="2",
                        id="card-" + card.id,  # focus finds the card again after a move
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
                    face_chips(card),
                    rx.cond(
                        card.badge != "",
                        rx.badge(
                            rx.icon("clock_alert", size=12, aria_hidden="true"),
                            card.badge,
                            color_scheme="orange",
                            variant="solid",
                            high_contrast=True,
                            style={"white_space": "normal"},
                        ),
                    ),
                    card_badges(card.approvals),
                    rx.cond(card.assignee != "", assignee_face(card)),
                    rx.hstack(
                        owner_face(card),
                        # "2 d 4 h in step" in one piece: under the owner when narrow
                        rx.text(
                            card.days,
                            size="1",
                            color="var(--gray-11)",
                            style={"white_space": "nowrap"},
                        ),
                        justify="between",
                        align="center",
                        width="100%",
                        wrap="wrap",
                        row_gap="0",
                    ),
                    rx.menu.root(
                        rx.menu.trigger(rx.button("Move to", size="1", variant="soft")),
                        rx.menu.content(
                            rx.cond(
                                state.moves_by_step[step_id].length() > 0,
                                rx.foreach(
                                    state.moves_by_step[step_id],
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
                    # the step's status colour, as admins set it
                    "border_left": rx.cond(
                        card.accent != "",
                        "4px solid " + card.accent,
                        "4px solid var(--gray-a6)",
                    ),
                    "border_radius": "8px",
                    "background": "var(--color-panel-solid)",
                    "cursor": "grab",
                },
            ),
            item_id=card.id,
        ),
        style={"list_style": "none"},
    )


def step_tabs(state: Any) -> rx.Component:
    """On a phone, the steps as tabs with their counts; the chosen one's column shows."""
    return rx.hstack(
        rx.foreach(
            state.columns,
            lambda c: rx.button(
                c.name,
                rx.badge(c.count.to_string(), high_contrast=True),
                role="tab",
                aria_selected=state.phone_column == c.id,
                aria_controls="column-" + c.id,
                variant=rx.cond(state.phone_column == c.id, "solid", "soft"),
                on_click=state.show_column(c.id),
                flex_shrink="0",
            ),
        ),
        role="tablist",
        aria_label="Steps",
        class_name="phone-only",
        spacing="2",
        width="100%",
        overflow_x="auto",
        padding_bottom="0.25em",
    )


def column(state: Any, column: rx.Var[ColumnView]) -> rx.Component:
    """A step's column; totals only for entities with amounts (their labels are set)."""
    totals = [
        rx.cond(column.total_label != "", rx.text("Total ", column.total_label, size="1")),
        rx.cond(column.total_label != "", rx.text("Weighted ", column.weighted_label, size="1")),
    ]
    zone = drop_zone(
        rx.el.section(
            rx.hstack(
                rx.heading(column.name, as_="h2", size="3"),
                # heard as "5 cards"; its text stays "5"
                rx.badge(
                    column.count.to_string(),
                    aria_label="Cards in column",
                    class_name="sr-after",
                    data_sr=rx.cond(column.count == 1, " card", " cards"),
                    high_contrast=True,
                ),
                justify="between",
                width="100%",
            ),
            rx.cond(
                column.wip_label != "",
                rx.text(
                    column.wip_label,
                    rx.cond(column.wip_full, " (full)", ""),
                    size="1",
                    weight=rx.cond(column.wip_full, "bold", "regular"),
                    color=rx.cond(column.wip_full, "var(--red-11)", "var(--gray-11)"),
                ),
            ),
            rx.cond(
                column.probability != "",
                rx.text("Probability ", column.probability, size="1", color="var(--gray-11)"),
            ),
            *totals,
            quick_add(state, column),
            rx.cond(
                state.selecting & (column.cards.length() > 0),
                rx.button(
                    "Select all in column",
                    size="1",
                    variant="ghost",
                    aria_label="Select all in " + column.name,
                    on_click=state.select_column(column.id),
                ),
            ),
            rx.el.ul(
                rx.foreach(column.cards, lambda item: card(state, item, column.id)),
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
            id="column-" + column.id,
            style={
                "display": "flex",
                "flex_direction": "column",
                "gap": "0.2em",
                "height": "100%",
                "box_sizing": "border-box",
                "padding": "0.6em",
                "background": rx.cond(column.wip_full, "var(--red-a3)", "var(--gray-a2)"),
                "border_radius": "10px",
                "overflow": "hidden",
            },
        ),
        zone_id=column.id,
        on_drop_item=state.drop_card,
        style={"height": "calc(100vh - 210px)", "min_height": "320px"},
    )
    # a phone shows the column of the chosen step tab only (assets/phone.css)
    return rx.box(
        zone,
        data_active=rx.cond(state.phone_column == column.id, "true", "false"),
        min_width="0",
    )
