"""/admin/wfm/integrations: endpoints other systems post their events to, and what each
event did (a refusal with its reason and Retry)."""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.admin import admin_tabs
from wfm_app.ui.components.forms import form_dialog, refusal, select_field, text_field
from wfm_app.ui.components.layout import page
from wfm_app.ui.state.admin_integrations import IntegrationsState as S

_ENDPOINT_HEADERS = ("Name", "Source", "Kind", "Address")
_OUTCOME_COLORS = {"created": "green", "moved": "green", "updated": "blue", "refused": "red"}


def _endpoint_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(row["source"]),
        rx.table.cell(row["kind"]),
        rx.table.cell(
            rx.code("POST " + row["address"], size="1", style={"word_break": "break-all"})
        ),
    )


def _event_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["when"]),
        rx.table.cell(row["endpoint"]),
        rx.table.cell(row["external_id"]),
        rx.table.cell(
            rx.badge(
                row["outcome"],
                color_scheme=rx.match(row["outcome"], *_OUTCOME_COLORS.items(), "gray"),
                high_contrast=True,
            )
        ),
        rx.table.cell(rx.text(row["message"], size="1")),
        rx.table.cell(
            rx.cond(
                row["outcome"] == "refused",
                rx.button(
                    "Retry",
                    size="1",
                    variant="soft",
                    on_click=S.retry(row["id"]),
                    aria_label="Retry " + row["external_id"],
                ),
            )
        ),
    )


def _secret() -> rx.Component:
    return rx.cond(
        S.made_secret != "",
        rx.callout.root(
            rx.callout.text(
                "The secret, shown this once: give it to the sending system (Standard "
                "Webhooks signing secret, or Jira's webhook secret). POST to ",
                rx.code(S.made_address),
                ".",
            ),
            rx.code(S.made_secret, aria_label="Secret"),
            rx.button("I have copied it", size="1", on_click=S.forget_secret, width="fit-content"),
            color="amber",
            role="status",
        ),
    )


def _dialog() -> rx.Component:
    return form_dialog(
        "New endpoint",
        [
            text_field("Name", "name", errors=S.form_errors),
            select_field("Source", "preset", S.source_options, errors=S.form_errors),
            select_field("Kind of card", "entity_type", S.kind_options, errors=S.form_errors),
            text_field(
                "Their statuses to steps (optional)",
                "status_map",
                errors=S.form_errors,
                placeholder="To Do = New; Done = Closed",
            ),
        ],
        error=S.form_error,
        on_submit=S.create,
        is_open=S.dialog_open,
        on_open_change=S.set_dialog_open,
        submit="Create endpoint",
    )


def integrations_page() -> rx.Component:
    events = ("Received", "Endpoint", "External id", "Outcome", "What happened", "Actions")
    return page(
        admin_tabs("Integrations"),
        rx.text(
            "Other systems create and move cards by posting their events here: Jira's "
            "issue webhooks, a ServiceNow business rule, or any JSON of the generic shape "
            "(see the README). Every event goes through the same rules as a move on a board.",
            size="2",
            color="var(--gray-11)",
        ),
        refusal(S.error),
        rx.button("New endpoint", on_click=S.set_dialog_open(True), width="fit-content"),
        _secret(),
        rx.cond(
            S.rows.length() > 0,
            rx.table.root(
                rx.el.caption("Endpoints", style={"text_align": "left"}),
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("Name", "Source", "Kind", "Address")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(S.rows, _endpoint_row)),
                width="100%",
            ),
            rx.cond(S.loaded, rx.text("No endpoints yet: add the first one.", size="2")),
        ),
        rx.cond(
            S.events.length() > 0,
            rx.table.root(
                rx.el.caption("Events received", style={"text_align": "left"}),
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in events])),
                rx.table.body(rx.foreach(S.events, _event_row)),
                width="100%",
            ),
        ),
        _dialog(),
        title="Integrations",
    )
