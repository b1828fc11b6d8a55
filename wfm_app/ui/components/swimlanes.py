"""A grouped board: the steps across the top, then one lane per owner, assignee or choice
(state/board_lanes.py), each with a header that collapses it and a drop zone per step."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.board_filters import filter_select
from wfm_app.ui.components.dnd import drop_zone
from wfm_app.ui.components.kanban import card
from wfm_app.ui.state.entity_views import LaneCellView, LaneView

_GRID = {
    "display": "grid",
    "gap": "0.6em",
    "width": "100%",
    "grid_template_columns": "repeat(auto-fit, minmax(150px, 1fr))",
}


def group_by_select(state: Any) -> rx.Component:
    return filter_select(
        "Group by",
        "board-group-by",
        state.group_options,
        state.set_group_by,
        first="None",
        value=state.group_by,
    )


def _cell(state: Any, cell: rx.Var[LaneCellView]) -> rx.Component:
    return rx.box(
        drop_zone(
            rx.el.section(
                rx.el.ul(
                    rx.foreach(cell.cards, lambda item: card(state, item, cell.step_id)),
                    style={
                        "display": "flex",
                        "flex_direction": "column",
                        "gap": "0.5em",
                        "padding": "0.4em",
                        "margin": "0",
                        "min_height": "3.5em",
                    },
                ),
                role="region",
                aria_label=cell.label,
            ),
            zone_id=cell.zone,
            on_drop_item=state.drop_in_lane,
            style={"background": "var(--gray-a2)", "border_radius": "8px", "height": "100%"},
        ),
        data_active=rx.cond(state.phone_column == cell.step_id, "true", "false"),
        min_width="0",
    )


def _lane(state: Any, lane: rx.Var[LaneView]) -> rx.Component:
    return rx.el.section(
        rx.button(
            rx.icon(rx.cond(lane.collapsed, "chevron_right", "chevron_down"), size=16),
            rx.text(lane.label, weight="bold"),
            rx.badge(lane.count.to_string(), high_contrast=True),
            rx.cond(lane.count == 1, " card", " cards"),
            rx.cond(lane.total_label != "", rx.text("· Total ", lane.total_label, size="2")),
            variant="ghost",
            aria_expanded=~lane.collapsed,
            on_click=state.toggle_lane(lane.key),
            style={"margin": "0.6em 0 0.3em 0"},
        ),
        rx.cond(
            ~lane.collapsed,
            rx.box(
                rx.foreach(lane.cells, lambda cell: _cell(state, cell)),
                class_name="lane-cells",
                style=_GRID,
            ),
        ),
        aria_label=lane.label,
        style={"border_top": "1px solid var(--gray-a5)"},
    )


def grouped_board(state: Any) -> rx.Component:
    return rx.box(
        rx.box(
            rx.foreach(
                state.columns,
                lambda c: rx.hstack(
                    rx.heading(c.name, as_="h2", size="3"),
                    rx.badge(c.count.to_string(), high_contrast=True),
                    rx.cond(
                        c.wip_label != "",
                        rx.text(c.wip_label, size="1", color="var(--gray-11)"),
                    ),
                    align="center",
                    spacing="2",
                ),
            ),
            class_name="lane-steps",
            style=_GRID,
        ),
        rx.foreach(state.lane_rows, lambda lane: _lane(state, lane)),
        id="board",  # the skip link's target
        tab_index=-1,
        width="100%",
    )
