"""The board's "Import" dialog: a file, its columns mapped to fields (a preset proposes), a
dry run listing the rows that would fail and why, then the import with a progress bar."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.forms import refusal

UPLOAD_ID = "card-import-file"


def import_button(state: Any) -> rx.Component:
    return rx.cond(
        state.can_import,
        rx.button(
            "Import",
            variant="soft",
            on_click=state.set_import_open(True),
            title="Cards from a CSV file: a spreadsheet, Jira's or ServiceNow's export",
        ),
    )


def _upload(state: Any) -> rx.Component:
    return rx.vstack(
        rx.text(
            "A CSV file with a header row: a spreadsheet's, Jira's \"Export CSV (all fields)\" "
            "or ServiceNow's incident list export. Nothing is written before the dry run.",
            size="2",
        ),
        rx.upload(
            rx.button("Choose a CSV file", variant="soft", type="button"),
            rx.text(rx.selected_files(UPLOAD_ID), size="2"),
            id=UPLOAD_ID,
            accept={"text/csv": [".csv"], "text/plain": [".txt"]},
            max_files=1,
            border="1px dashed var(--gray-7)",
            padding="1em",
            width="100%",
        ),
        rx.button(
            "Upload and preview",
            on_click=state.receive_import(rx.upload_files(upload_id=UPLOAD_ID)),
        ),
        spacing="3",
        width="100%",
    )


def _mapping_row(state: Any, row: rx.Var[dict[str, str]]) -> rx.Component:
    select_id = "import-map-" + row["column"]
    return rx.table.row(
        rx.table.row_header_cell(rx.el.label(row["column"], html_for=select_id)),
        rx.table.cell(rx.text(row["sample"], size="1", color="var(--gray-11)")),
        rx.table.cell(
            rx.el.select(
                rx.foreach(
                    state.import_targets,
                    lambda t: rx.el.option(t["label"], value=t["value"]),
                ),
                id=select_id,
                value=row["target"],
                on_change=lambda value: state.set_import_target(row["column"], value),
            )
        ),
    )


def _mapping(state: Any) -> rx.Component:
    return rx.vstack(
        rx.text(
            state.import_file,
            ": ",
            state.import_total,
            " rows. Map each column to a field.",
            size="2",
        ),
        rx.hstack(
            rx.el.label("Preset", html_for="import-preset"),
            rx.el.select(
                rx.foreach(
                    state.import_presets, lambda p: rx.el.option(p["label"], value=p["value"])
                ),
                id="import-preset",
                value=state.import_preset,
                on_change=state.set_import_preset,
            ),
            align="center",
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Column"),
                        rx.table.column_header_cell("First row"),
                        rx.table.column_header_cell("Field"),
                    )
                ),
                rx.table.body(rx.foreach(state.import_mapping, lambda r: _mapping_row(state, r))),
                size="1",
                aria_label="Columns and fields",
            ),
            max_height="40vh",
            overflow_y="auto",
            width="100%",
        ),
        rx.el.label("Steps for values (optional)", html_for="import-steps"),
        rx.input(
            id="import-steps",
            placeholder="To Do = New; Done = Closed",
            value=state.import_steps_text,
            on_change=state.set_import_steps_text,
            width="100%",
        ),
        rx.button(
            "Dry run",
            loading=state.import_phase == "checking",
            on_click=state.check_import,
        ),
        spacing="2",
        width="100%",
    )


def _findings(state: Any) -> rx.Component:
    return rx.cond(
        state.import_problems.length() > 0,
        rx.box(
            rx.el.ul(
                rx.foreach(state.import_problems, lambda p: rx.el.li(p)),
                aria_label="Rows that cannot be imported",
                style={"margin": "0 0 0 1.2em"},
            ),
            max_height="30vh",
            overflow_y="auto",
            width="100%",
        ),
    )


def _checked(state: Any) -> rx.Component:
    return rx.vstack(
        rx.text(state.import_message, role="status"),
        _findings(state),
        rx.radio_group(
            ["Every row (all or nothing)", "Only the valid rows"],
            value=rx.cond(
                state.import_only_valid, "Only the valid rows", "Every row (all or nothing)"
            ),
            on_change=lambda v: state.set_import_only_valid(
                rx.cond(v == "Only the valid rows", "valid", "all")
            ),
            aria_label="Import",
        ),
        rx.hstack(
            rx.button(
                "Back to the mapping", variant="soft", on_click=state.set_import_phase("map")
            ),
            rx.button("Import", on_click=state.start_import),
        ),
        spacing="3",
        width="100%",
    )


def _progress(state: Any) -> rx.Component:
    return rx.vstack(
        rx.progress(
            value=state.import_done,
            max=rx.cond(state.import_total > 0, state.import_total, 1),
            aria_label="Import progress",
        ),
        rx.text(state.import_done, " of ", state.import_total, " rows", role="status"),
        rx.text("You may close this; the import goes on.", size="2", color="var(--gray-11)"),
        width="100%",
    )


def _finished(state: Any) -> rx.Component:
    return rx.vstack(
        rx.text(state.import_message, role="status"),
        _findings(state),
        rx.button("Close", on_click=state.set_import_open(False)),
        spacing="3",
        width="100%",
    )


def import_dialog(state: Any, plural: Any) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Import ", plural),
            refusal(state.import_error),
            rx.match(
                state.import_phase,
                ("upload", _upload(state)),
                ("map", _mapping(state)),
                ("checking", _mapping(state)),
                ("checked", _checked(state)),
                ("running", _progress(state)),
                _finished(state),
            ),
            max_width="52em",
        ),
        open=state.import_open,
        on_open_change=state.set_import_open,
    )
