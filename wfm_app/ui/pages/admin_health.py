"""/admin/wfm/health: moves per minute, move time, refusals by code, the outbox, workers."""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.admin import admin_tabs
from wfm_app.ui.components.forms import refusal
from wfm_app.ui.components.layout import page
from wfm_app.ui.state.admin_health import HealthState as S


def _figures(caption: str, rows: rx.Var[list[dict[str, str]]]) -> rx.Component:
    return rx.table.root(
        rx.el.caption(caption, style={"text_align": "left", "font_weight": "600"}),
        rx.table.body(
            rx.foreach(
                rows,
                lambda row: rx.table.row(
                    rx.table.row_header_cell(row["label"]), rx.table.cell(row["value"])
                ),
            )
        ),
        width="100%",
        max_width="40em",
    )


def _refusals() -> rx.Component:
    return rx.cond(
        S.refusals.length() > 0,
        rx.table.root(
            rx.el.caption("Refused moves by reason", style={"text_align": "left"}),
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Code"), rx.table.column_header_cell("Moves")
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.refusals,
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(rx.code(row["code"])),
                        rx.table.cell(row["count"]),
                    ),
                )
            ),
            max_width="40em",
        ),
        rx.text("No move has been refused since the processes started.", size="2"),
    )


def _workers() -> rx.Component:
    return rx.cond(
        S.workers.length() > 0,
        rx.table.root(
            rx.el.caption("Workers (webhooks, timers)", style={"text_align": "left"}),
            rx.table.header(
                rx.table.row(
                    *[rx.table.column_header_cell(h) for h in ("Worker", "Last round", "State")]
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.workers,
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(row["name"]),
                        rx.table.cell(row["last"]),
                        rx.table.cell(
                            rx.badge(
                                row["state"],
                                color_scheme=rx.cond(row["state"] == "alive", "green", "red"),
                                high_contrast=True,
                            )
                        ),
                    ),
                )
            ),
            max_width="40em",
        ),
        rx.callout(
            "No worker has reported: webhooks and time-in-step rules wait until one runs "
            "(wfm worker, with the same WFM_METRICS_DIR as the app).",
            color_scheme="amber",
            role="status",
        ),
    )


def health_page() -> rx.Component:
    return page(
        admin_tabs("Health"),
        rx.text(
            "What an operator watches; Prometheus reads the same figures at /metrics "
            "(deploy/ has its alerts and a Grafana dashboard).",
            size="2",
            color="var(--gray-11)",
        ),
        refusal(S.error),
        rx.button("Refresh", variant="soft", on_click=S.refresh, width="fit-content"),
        rx.cond(S.loaded & (S.figures.length() > 0), _figures("This organization", S.figures)),
        rx.cond(
            S.deployment.length() > 0,
            rx.vstack(
                _figures("The whole deployment", S.deployment),
                rx.cond(
                    S.counted_here_only,
                    rx.text(
                        "Counted by this process only: set WFM_METRICS_DIR to add up "
                        "every process and the worker.",
                        size="1",
                    ),
                ),
                _refusals(),
                _workers(),
                spacing="4",
                width="100%",
            ),
        ),
        title="Health",
    )
