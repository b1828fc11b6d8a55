"""The analytics page's "Forecast": Monte Carlo from the workflow's last 90 days of
throughput (engine/analytics/forecast.py), in sentences, with the "done by" day to pick."""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.forms import field_error
from wfm_app.ui.state.analytics import AnalyticsState as S


def forecast_section() -> rx.Component:
    return rx.el.section(
        rx.heading("Forecast", as_="h2", size="4"),
        rx.vstack(
            rx.el.label("How many done by", html_for="analytics-forecast_by", font_size="0.875em"),
            rx.input(
                id="analytics-forecast_by",
                type="date",
                value=S.forecast_by,
                on_change=S.set_forecast_by,
                width="12em",
            ),
            field_error(S.errors.get("forecast_by", "").to(str), "analytics-forecast_by"),
            spacing="1",
        ),
        rx.el.ul(rx.foreach(S.forecast_lines, lambda line: rx.el.li(line))),
        aria_label="Forecast",
        style={
            "border": "1px solid var(--gray-a5)",
            "border_radius": "8px",
            "padding": "1em",
            "width": "100%",
        },
    )
