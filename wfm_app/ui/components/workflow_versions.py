"""The workflow editor's "Versions" section and its "Migrate cards" dialog."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.state.workflow_versions import NO_TARGET


def _version(state: Any, row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.el.li(
        rx.link(row["name"], href=row["link"], underline="always"),
        rx.text(
            " · version ",
            row["version"],
            " · ",
            row["state"],
            " · ",
            row["cards"],
            " cards",
            as_="span",
            size="2",
            color="var(--gray-11)",
        ),
        rx.cond(
            row["migratable"] == "yes",
            rx.button(
                "Migrate cards",
                size="1",
                variant="soft",
                margin_left="0.75em",
                on_click=state.open_migration(row["id"]),
                aria_label="Migrate cards from " + row["name"],
            ),
        ),
    )


def _publish_dialog(state: Any) -> rx.Component:
    """ "Publish this draft?": what changes for boards and cards, what blocks it, the
    warnings to accept; Publish only once nothing stands in the way."""
    blocked = (state.publish_errors.length() > 0) | (
        (state.publish_warnings.length() > 0) & ~state.publish_accept
    )
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Publish this draft?"),
            rx.alert_dialog.description(
                "It becomes the live version: boards show it and new cards start on it.",
                size="2",
            ),
            rx.heading("What changes", as_="h3", size="2", margin_top="0.75em"),
            rx.el.ul(
                rx.foreach(state.publish_changes, lambda change: rx.el.li(change)),
                aria_label="What changes",
                style={"margin": "0.25em 0 0.5em 1.2em"},
            ),
            rx.cond(
                state.publish_errors.length() > 0,
                rx.box(
                    rx.text("Publishing is blocked:", weight="bold"),
                    rx.el.ul(rx.foreach(state.publish_errors, lambda e: rx.el.li(e))),
                    role="alert",
                    color="var(--red-11)",
                ),
            ),
            rx.cond(
                state.publish_warnings.length() > 0,
                rx.box(
                    rx.text("Warnings:", weight="bold"),
                    rx.el.ul(rx.foreach(state.publish_warnings, lambda w: rx.el.li(w))),
                    rx.checkbox(
                        "Accept these warnings",
                        checked=state.publish_accept,
                        on_change=state.set_publish_accept,
                    ),
                    role="status",
                ),
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Keep editing", variant="soft")),
                rx.button("Publish", on_click=state.publish, disabled=blocked),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
        open=state.publish_open,
        on_open_change=state.set_publish_open,
    )


def versions_section(state: Any) -> rx.Component:
    return rx.el.section(
        rx.heading("Versions", as_="h2", size="5"),
        rx.el.ul(
            rx.foreach(state.version_rows, lambda row: _version(state, row)),
            style={"margin": "0.25em 0 0.5em 1.2em"},
        ),
        rx.cond(
            state.can_draft,
            rx.hstack(
                rx.button("New draft", variant="soft", on_click=state.new_draft),
                rx.text(
                    "Edit a copy; boards and moves keep using this version until you publish.",
                    size="2",
                    color="var(--gray-11)",
                ),
                align="center",
            ),
        ),
        rx.cond(
            state.live_cards > 0,
            rx.text(
                state.live_cards,
                " card(s) run on this version: adding, removing or reordering steps and "
                "changing transitions asks first whether to make the change in a draft.",
                size="2",
                color="var(--gray-11)",
            ),
        ),
        rx.cond(
            state.version_state == "draft",
            rx.vstack(
                rx.text("This is a draft: no card uses it until it is published.", size="2"),
                rx.button("Publish…", on_click=state.review_publish),
                _publish_dialog(state),
                align="start",
            ),
        ),
        aria_label="Versions",
        width="100%",
    )


def _mapping_row(state: Any, row: rx.Var[dict[str, str]]) -> rx.Component:
    select_id = "map-" + row["from_id"]
    return rx.table.row(
        rx.table.row_header_cell(row["from_name"]),
        rx.table.cell(row["cards"]),
        rx.table.cell(
            rx.el.select(
                rx.el.option("Stays on the old version", value=NO_TARGET),
                rx.foreach(
                    state.step_options, lambda o: rx.el.option(o["label"], value=o["value"])
                ),
                id=select_id,
                value=row["to_id"],
                on_change=lambda value: state.set_mapping(row["from_id"], value),
                aria_label="Target for " + row["from_name"],
                style={"padding": "0.3em"},
            )
        ),
    )


def migrate_dialog(state: Any) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Migrate cards"),
            rx.dialog.description(
                "From ",
                state.migrate_from_name,
                " to this version. Each step's cards go to the "
                "step you pick (the same status is proposed). Dry run first.",
                size="2",
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("From step"),
                        rx.table.column_header_cell("Cards"),
                        rx.table.column_header_cell("To step"),
                    )
                ),
                rx.table.body(rx.foreach(state.migrate_rows, lambda r: _mapping_row(state, r))),
                size="1",
                width="100%",
            ),
            rx.cond(
                state.migrate_error != "",
                rx.callout(state.migrate_error, color_scheme="red", role="alert"),
            ),
            rx.cond(
                state.migrate_report.length() > 0,
                rx.box(
                    rx.heading("Dry run", as_="h2", size="3"),
                    rx.el.ul(
                        rx.foreach(state.migrate_report, lambda line: rx.el.li(line)),
                        aria_label="What would happen",
                    ),
                    role="status",
                ),
            ),
            rx.hstack(
                rx.cond(
                    state.migrate_working,
                    rx.hstack(rx.spinner(), rx.text("Migrating…"), role="status"),
                ),
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Dry run", variant="soft", on_click=state.dry_run_migration),
                rx.button(
                    "Apply",
                    on_click=state.apply_migration,
                    disabled=~state.migrate_checked | state.migrate_working,
                ),
                justify="end",
                width="100%",
                margin_top="1em",
            ),
            max_width="44em",
        ),
        open=state.migrate_open,
        on_open_change=state.set_migrate_open,
    )


def live_edit_dialog(state: Any) -> rx.Component:
    """Asked before a live version with cards is reshaped (state/workflow_live_edits.py)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Change a workflow cards are on?"),
            rx.dialog.description(
                state.live_cards,
                " card(s) run on this version. Changing its steps or transitions here "
                "changes their boards at once.",
                size="2",
            ),
            rx.el.ul(
                rx.el.li(
                    rx.text.strong("Edit in a draft"),
                    ": the change is made on a draft; boards keep this version until you "
                    "publish it, then you migrate the cards with a dry run first.",
                ),
                rx.el.li(
                    rx.text.strong("Change it now"),
                    ": this version changes for every card at once (for the rest of this visit).",
                ),
                style={"margin": "0.75em 0 0 1.2em", "font_size": "var(--font-size-2)"},
            ),
            rx.hstack(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Change it now", variant="soft", on_click=state.change_live_now),
                rx.button("Edit in a draft", on_click=state.edit_in_draft, auto_focus=True),
                justify="end",
                width="100%",
                margin_top="1em",
            ),
            max_width="36em",
        ),
        open=state.live_question_open,
        on_open_change=state.set_live_question_open,
    )
