"""The workflow editor's "Parallel branches" section: the list and "Add branch"."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.auth.actor import ROLE_LABELS
from wfm_app.ui.components.automations import VISUALLY_HIDDEN
from wfm_app.ui.components.forms import (
    checkbox_field,
    field_error,
    refusal,
    select_field,
    text_field,
)
from wfm_app.ui.state.workflow_branches import MERGE_LABELS, ROLES

_MERGE_OPTIONS = [{"value": key, "label": label} for key, label in MERGE_LABELS.items()]


def _row(state: Any, row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["step"]),
        rx.table.cell(row["name"]),
        rx.table.cell(row["roles"]),
        rx.table.cell(row["merge"]),
        rx.table.cell(row["gates"]),
        rx.table.cell(
            rx.button(
                "Remove",
                size="1",
                variant="soft",
                color_scheme="red",
                aria_label="Remove branch " + row["name"],
                on_click=state.remove_branch(row["id"], row["name"]),
            )
        ),
    )


def _add_form(state: Any) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Add a branch", as_="h3", size="3"),
            rx.grid(
                select_field(
                    "On step",
                    "step_id",
                    state.step_options,
                    errors=state.branch_errors,
                    field_id="add-branch-step",
                ),
                text_field(
                    "Branch name",
                    "branch_name",
                    errors=state.branch_errors,
                    field_id="add-branch-name",
                    max_length=200,
                ),
                select_field(
                    "Merge condition",
                    "merge_mode",
                    _MERGE_OPTIONS,
                    errors=state.branch_errors,
                    default_value="all_approved",
                    placeholder="Each of them must approve",
                    field_id="add-branch-merge",
                ),
                select_field(
                    "Holds back moves to",
                    "gates",
                    state.step_options,
                    errors=state.branch_errors,
                    placeholder="Every move forward",
                    field_id="add-branch-gates",
                ),
                columns="4",
                spacing="3",
                width="100%",
            ),
            rx.el.fieldset(
                rx.el.legend("Who may approve", style={"font_size": "0.875em"}),
                rx.hstack(
                    *[
                        checkbox_field(
                            ROLE_LABELS[role], f"role_{role}", field_id=f"add-branch-role-{role}"
                        )
                        for role in ROLES
                    ],
                    spacing="4",
                ),
                field_error(
                    state.branch_errors.get("allowed_roles", "").to(str), "add-branch-roles"
                ),
                style={"border": "none", "padding": "0"},
            ),
            rx.button("Add branch", type="submit"),
            spacing="2",
            width="100%",
        ),
        on_submit=state.add_branch,
        reset_on_submit=False,
        id="add-branch-form",
        aria_label="Add a branch",
    )


def branches_section(state: Any) -> rx.Component:
    return rx.vstack(
        rx.heading("Parallel branches", as_="h2", size="5"),
        rx.text(
            "Approvals a card opens when it enters a step; the moves they hold back wait "
            "until the merge condition holds. Going back or losing never waits.",
            size="2",
            color="var(--gray-11)",
        ),
        refusal(state.branch_error),
        rx.cond(
            state.branch_rows.length() > 0,
            rx.table.root(
                # Radix puts the root's own props on a wrapper: a caption names the table.
                rx.el.caption("Parallel branches", style=VISUALLY_HIDDEN),
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(title)
                            for title in ("Step", "Branch", "Roles", "Merge", "Holds back", "")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(state.branch_rows, lambda row: _row(state, row))),
                width="100%",
            ),
            rx.text("No parallel branches on this workflow.", size="2"),
        ),
        _add_form(state),
        spacing="3",
        width="100%",
    )
