"""/admin/wfm/webhooks: what was sent where, what failed and why, and "Retry"."""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.admin import admin_tabs
from wfm_app.ui.components.forms import refusal
from wfm_app.ui.components.layout import page
from wfm_app.ui.state.admin_webhooks import WebhooksState as S

_STATUS_COLORS = {"delivered": "green", "failed": "red", "pending": "amber"}


def _row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["event"], rx.el.br(), rx.code(row["webhook_id"], size="1")),
        rx.table.cell(row["rule"]),
        rx.table.cell(rx.text(row["url"], style={"word_break": "break-all"})),
        rx.table.cell(
            rx.badge(
                row["status"],
                color_scheme=rx.match(row["status"], *_STATUS_COLORS.items(), "gray"),
                high_contrast=True,
            ),
            rx.cond(row["next"] != "", rx.text("next try ", row["next"], size="1")),
        ),
        rx.table.cell(
            row["attempts"],
            rx.cond(row["took"] != "", rx.text(row["took"], size="1")),
        ),
        rx.table.cell(rx.text(row["last_error"], size="1")),
        rx.table.cell(row["created"]),
        rx.table.cell(
            rx.button(
                "Retry",
                size="1",
                variant="soft",
                on_click=S.retry(row["id"]),
                aria_label="Retry " + row["webhook_id"],
            )
        ),
    )


def webhooks_page() -> rx.Component:
    headers = ("Event", "Rule", "URL", "Status", "Attempts", "Last error", "Created", "Actions")
    return page(
        admin_tabs("Webhooks"),
        rx.text(
            "Webhooks from automation rules: written with the change that caused them, sent "
            "by the background worker, retried with growing delays. Receivers deduplicate "
            "on the id.",
            size="2",
            color="var(--gray-11)",
        ),
        refusal(S.error),
        rx.hstack(
            rx.el.label("Status", html_for="webhook-status"),
            rx.el.select(
                rx.el.option("All", value=""),
                rx.el.option("Pending", value="pending"),
                rx.el.option("Delivered", value="delivered"),
                rx.el.option("Failed", value="failed"),
                id="webhook-status",
                value=S.status_filter,
                on_change=S.set_status_filter,
                style={"padding": "0.3em"},
            ),
            rx.button("Refresh", variant="soft", on_click=S.refresh),
            align="center",
            spacing="3",
        ),
        rx.cond(
            S.rows.length() > 0,
            rx.table.root(
                rx.el.caption("Webhook deliveries", style={"text_align": "left"}),
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.foreach(S.rows, _row)),
                width="100%",
            ),
            rx.cond(
                S.loaded,
                rx.text("No deliveries yet: add a webhook rule on a workflow.", size="2"),
            ),
        ),
        title="Webhooks",
    )
