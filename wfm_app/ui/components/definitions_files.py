"""The workflows page's "Export" / "Import" buttons and the import dialog (paste YAML,
"Dry run" shows what would change, then "Import")."""

from __future__ import annotations

from typing import Any

import reflex as rx


def definitions_file_buttons(state: Any) -> rx.Component:
    return rx.hstack(
        rx.button("Export", variant="soft", on_click=state.export_definitions),
        rx.button("Import", variant="soft", on_click=state.set_import_open(True)),
        spacing="2",
    )


def import_dialog(state: Any) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Import definitions"),
            rx.dialog.description(
                "Paste a file from Export (or wfm export). Statuses, workflows, project types "
                "and custom fields are matched by name; within a workflow the file is the whole "
                "truth. Dry run first: nothing changes until Import.",
                size="2",
            ),
            rx.vstack(
                rx.el.label("Definitions (YAML)", html_for="import-text", font_weight="500"),
                rx.text_area(
                    id="import-text",
                    value=state.import_text,
                    on_change=state.set_import_text,
                    rows="14",
                    width="100%",
                    style={"font_family": "monospace"},
                    aria_describedby=rx.cond(state.import_error != "", "import-error", ""),
                ),
                rx.cond(
                    state.import_error != "",
                    rx.callout(
                        state.import_error,
                        id="import-error",
                        color_scheme="red",
                        role="alert",
                        icon="triangle_alert",
                    ),
                ),
                rx.cond(
                    state.import_checked,
                    rx.box(
                        rx.heading("Dry run", as_="h2", size="3"),
                        rx.cond(
                            state.import_changes.length() > 0,
                            rx.el.ul(
                                rx.foreach(state.import_changes, lambda c: rx.el.li(c)),
                                aria_label="What would change",
                                style={
                                    "padding_left": "1.2em",
                                    "max_height": "14em",
                                    "overflow_y": "auto",
                                },
                            ),
                            rx.text("Nothing would change: the definitions already match."),
                        ),
                        role="status",
                    ),
                ),
                rx.hstack(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    rx.button(
                        "Dry run",
                        variant="soft",
                        on_click=state.check_import,
                        loading=state.import_working,
                    ),
                    rx.button(
                        "Import",
                        on_click=state.apply_import,
                        disabled=~state.import_checked,
                        loading=state.import_working,
                    ),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="44em",
        ),
        open=state.import_open,
        on_open_change=state.set_import_open,
    )
