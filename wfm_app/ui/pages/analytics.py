"""/analytics: filters, then one section per chart, each with a heading, the chart (drawn
by recharts, labelled axes), the same figures as a table a screen reader can read, and
"Download CSV"."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.forecast import forecast_section
from wfm_app.ui.components.forms import field_error
from wfm_app.ui.components.layout import page
from wfm_app.ui.state.analytics import AnalyticsState as S
from wfm_app.ui.state.analytics_views import MatrixCell

_CHART = {"width": "100%", "height": 260}
_SELECT = {"padding": "0.4em", "border": "1px solid var(--gray-a7)", "border_radius": "6px"}


def _filter(label: str, control: rx.Component, field: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=f"analytics-{field}", font_weight="500", font_size="0.875em"),
        control,
        field_error(S.errors.get(field, "").to(str), f"analytics-{field}"),
        spacing="1",
    )


def _filters() -> rx.Component:
    return rx.hstack(
        _filter(
            "Workflow",
            rx.el.select(
                rx.foreach(
                    S.workflow_options, lambda o: rx.el.option(o["label"], value=o["value"])
                ),
                id="analytics-workflow",
                value=S.workflow_id,
                on_change=S.set_workflow_id,
                style=_SELECT,
            ),
            "workflow",
        ),
        _filter(
            "From",
            rx.input(id="analytics-from", type="date", value=S.start, on_change=S.set_start),
            "from",
        ),
        _filter(
            "To", rx.input(id="analytics-to", type="date", value=S.end, on_change=S.set_end), "to"
        ),
        rx.cond(
            S.can_pick_owner,
            _filter(
                "Owner",
                rx.el.select(
                    rx.el.option("Everyone", value=""),
                    rx.foreach(
                        S.owner_options, lambda o: rx.el.option(o["label"], value=o["value"])
                    ),
                    id="analytics-owner",
                    value=S.owner_id,
                    on_change=S.set_owner_id,
                    style=_SELECT,
                ),
                "owner",
            ),
            rx.text("Your own work", size="2", color="var(--gray-11)"),
        ),
        rx.cond(
            S.working,
            rx.hstack(
                rx.spinner(size="2"),
                rx.text("Working out the figures…", size="2"),
                role="status",
                align="center",
            ),
        ),
        spacing="5",
        align="end",
        wrap="wrap",
    )


def _table(caption: str, headers: list[str], rows: Any, cells: Any) -> rx.Component:
    return rx.table.root(
        rx.el.caption(caption, style={"text_align": "left", "font_size": "0.85em"}),
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(rx.foreach(rows, lambda row: rx.table.row(*cells(row)))),
        size="1",
        width="100%",
    )


def _section(title: str, chart_key: str, *children: rx.Component) -> rx.Component:
    return rx.el.section(
        rx.hstack(
            rx.heading(title, as_="h2", size="4"),
            rx.button("Download CSV", size="1", variant="soft", on_click=S.download(chart_key)),
            justify="between",
            align="center",
            width="100%",
        ),
        *children,
        aria_label=title,
        style={
            "border": "1px solid var(--gray-a5)",
            "border_radius": "8px",
            "padding": "1em",
            "width": "100%",
            "display": "flex",
            "flex_direction": "column",
            "gap": "0.75em",
        },
    )


def _axes(x_key: str, x_label: str, y_label: str) -> list[rx.Component]:
    return [
        rx.recharts.x_axis(
            data_key=x_key, label={"value": x_label, "position": "insideBottom", "offset": -4}
        ),
        rx.recharts.y_axis(label={"value": y_label, "angle": -90, "position": "insideLeft"}),
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(vertical_align="top"),
    ]


def _time_in_step() -> rx.Component:
    return _section(
        "Time in step",
        "time_in_step",
        rx.hstack(
            rx.el.label("Show time in", html_for="time-unit", font_size="0.875em"),
            rx.el.select(
                rx.el.option("Hours", value="hours"),
                rx.el.option("Days", value="days"),
                id="time-unit",
                value=rx.cond(S.in_days, "days", "hours"),
                on_change=S.set_in_days,
                style={"padding": "0.3em"},
            ),
            align="center",
            spacing="2",
        ),
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key="median", name="Median", fill="#3e63dd"),
            rx.recharts.bar(data_key="p85", name="85th percentile", fill="#12a594"),
            rx.recharts.bar(data_key="mean", name="Mean", fill="#f76b15"),
            *_axes("step", "Step", "Time"),
            data=S.time_in_step_shown,
            **_CHART,
        ),
        _table(
            "Time per stay in each step (stays that began in the range; current ones until now)",
            ["Step", "Stays", "Median", "85th percentile", "Mean", "Counted in"],
            S.time_in_step_shown,
            lambda r: [
                rx.table.row_header_cell(r["step"]),
                rx.table.cell(r["count"]),
                rx.table.cell(r["median"]),
                rx.table.cell(r["p85"]),
                rx.table.cell(r["mean"]),
                rx.table.cell(r["unit"]),
            ],
        ),
    )


def _funnel() -> rx.Component:
    return _section(
        "Funnel",
        "funnel",
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key="entered", name="Entered", fill="#3e63dd"),
            rx.recharts.bar(data_key="reached_next", name="Went further", fill="#12a594"),
            rx.recharts.bar(data_key="reached_won", name="Won", fill="#ffc53d"),
            *_axes("step", "Step", "Cards"),
            data=S.funnel,
            **_CHART,
        ),
        _table(
            "Cards that entered each step in the range, and how many went further or won",
            ["Step", "Entered", "Went further", "Share", "Won", "Share won"],
            S.funnel,
            lambda r: [
                rx.table.row_header_cell(r["step"]),
                rx.table.cell(r["entered"]),
                rx.table.cell(r["reached_next"]),
                rx.table.cell(r["next_share"]),
                rx.table.cell(r["reached_won"]),
                rx.table.cell(r["won_share"]),
            ],
        ),
    )


def _flow() -> rx.Component:
    return _section(
        "Cumulative flow",
        "cumulative_flow",
        rx.recharts.area_chart(
            rx.foreach(
                S.flow_series,
                lambda s: rx.recharts.area(
                    data_key=s["key"], stack_id="flow", stroke=s["color"], fill=s["color"]
                ),
            ),
            *_axes("day", "Day", "Cards"),
            data=S.flow,
            **_CHART,
        ),
        rx.el.details(
            rx.el.summary("Cards per step at the end of each day (table)"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Day"),
                        rx.foreach(S.step_names, lambda n: rx.table.column_header_cell(n)),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        S.flow,
                        lambda day: rx.table.row(
                            rx.table.row_header_cell(day["day"]),
                            rx.foreach(S.step_names, lambda n: rx.table.cell(day[n])),
                        ),
                    )
                ),
                size="1",
            ),
        ),
    )


def _throughput() -> rx.Component:
    return _section(
        "Throughput",
        "throughput",
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key="finished", name="Finished", fill="#12a594"),
            *_axes("week", "Week starting", "Cards finished"),
            data=S.throughput,
            **_CHART,
        ),
        _table(
            "Cards that reached a final step, per week",
            ["Week starting", "Finished"],
            S.throughput,
            lambda r: [rx.table.row_header_cell(r["week"]), rx.table.cell(r["finished"])],
        ),
    )


def _cycle_time() -> rx.Component:
    return _section(
        "Cycle time",
        "cycle_time",
        rx.text(S.cycle_summary, size="2"),
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key="cards", name="Cards", fill="#8e4ec6"),
            *_axes("bucket", "Days from creation to a final step", "Cards"),
            data=S.cycle,
            **_CHART,
        ),
        _table(
            "Cycle time distribution",
            ["Days from creation to a final step", "Cards"],
            S.cycle,
            lambda r: [rx.table.row_header_cell(r["bucket"]), rx.table.cell(r["cards"])],
        ),
    )


def _aging() -> rx.Component:
    return _section(
        "Aging work in progress",
        "aging",
        rx.text(S.open_cards, " open cards; the oldest in their step first.", size="2"),
        _table(
            "Open cards by time in their current step",
            ["Card", "Step", "In step"],
            S.aging,
            lambda r: [
                rx.table.row_header_cell(
                    rx.cond(r["href"] != "", rx.link(r["name"], href=r["href"]), r["name"])
                ),
                rx.table.cell(r["step"]),
                rx.table.cell(r["age"]),
            ],
        ),
    )


def _cell(cell: rx.Var[MatrixCell]) -> rx.Component:
    return rx.table.cell(
        cell.count,
        rx.cond(cell.backwards, rx.text(" ↺ back", as_="span", size="1", weight="bold")),
        title=cell.label,
        style=rx.cond(
            cell.backwards,
            {"background": "var(--amber-a4)"},
            {},
        ),
    )


def _transitions() -> rx.Component:
    return _section(
        "Transitions",
        "transitions",
        rx.text(
            "Moves in the range from the step of each row to the step of each column; "
            "moves back to an earlier step (rework) are marked.",
            size="2",
        ),
        rx.table.root(
            rx.el.caption("Moves from step (rows) to step (columns)", style={"text_align": "left"}),
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("From \\ To"),
                    rx.foreach(S.step_names, lambda n: rx.table.column_header_cell(n)),
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.matrix,
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(row.step), rx.foreach(row.cells, _cell)
                    ),
                )
            ),
            size="1",
        ),
    )


def _bottlenecks() -> rx.Component:
    """Words, not a chart: the steps that grew slower or fuller than the period before."""
    return rx.el.section(
        rx.heading("Bottlenecks", as_="h2", size="4"),
        rx.text("Compared with ", S.compared_with, ".", size="2", color="var(--gray-11)"),
        rx.cond(
            S.bottlenecks.length() > 0,
            rx.el.ul(rx.foreach(S.bottlenecks, lambda line: rx.el.li(line))),
            rx.text("No step grew slower or fuller than in that period."),
        ),
        aria_label="Bottlenecks",
        style={
            "border": "1px solid var(--gray-a5)",
            "border_radius": "8px",
            "padding": "1em",
            "width": "100%",
        },
    )


def analytics_page() -> rx.Component:
    return page(
        _filters(),
        rx.cond(S.error != "", rx.callout(S.error, icon="triangle_alert", color_scheme="red")),
        rx.cond(
            S.loaded,
            rx.vstack(
                _bottlenecks(),
                forecast_section(),
                _time_in_step(),
                _funnel(),
                _flow(),
                _throughput(),
                _cycle_time(),
                _aging(),
                _transitions(),
                spacing="4",
                width="100%",
            ),
            rx.text("Working out the figures…", role="status"),
        ),
        title="Analytics",
    )
