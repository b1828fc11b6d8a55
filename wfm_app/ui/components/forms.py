"""Form pieces that keep the accessibility contract: a visible label on every input,
its error beside it (and announced), buttons named by what they do."""

from __future__ import annotations

from typing import Any

import reflex as rx

# A row of inputs side by side from the small breakpoint up, one under another on a phone.
STACKED_ON_PHONES = rx.breakpoints(initial="column", sm="row")


def field_error(error: rx.Var[str], field_id: str) -> rx.Component:
    return rx.cond(
        error != "",
        rx.text(error, id=f"{field_id}-error", color_scheme="red", size="1", role="alert"),
    )


def text_field(
    label: str,
    name: str,
    *,
    errors: rx.Var[dict[str, str]],
    default_value: rx.Var[str] | str = "",
    field_id: Any = None,
    **props: Any,
) -> rx.Component:
    """An uncontrolled input: what was typed stays put when a save is refused."""
    field_id = f"field-{name}" if field_id is None else field_id
    error = errors.get(name, "").to(str)
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.875em"),
        rx.input(
            id=field_id,
            name=name,
            default_value=default_value,
            aria_invalid=rx.cond(error != "", "true", "false"),
            # only once the error exists: a reference to nothing is read as nothing
            aria_describedby=rx.cond(error != "", f"{field_id}-error", None),
            width="100%",
            **props,
        ),
        field_error(error, field_id),
        spacing="1",
        width="100%",
        align="stretch",
    )


def select_field(
    label: str,
    name: str,
    options: rx.Var[list[dict[str, str]]],
    *,
    errors: rx.Var[dict[str, str]],
    default_value: rx.Var[str] | str = "",
    placeholder: str = "Choose…",
    field_id: str | None = None,
) -> rx.Component:
    """A native select (options: dicts with "value" and "label")."""
    field_id = field_id or f"field-{name}"
    error = errors.get(name, "").to(str)
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.875em"),
        rx.el.select(
            rx.el.option(placeholder, value=""),
            rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])),
            id=field_id,
            name=name,
            default_value=default_value,
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=rx.cond(error != "", f"{field_id}-error", None),
            style={
                "padding": "0.4em",
                "border": "1px solid var(--gray-a7)",
                "border_radius": "6px",
            },
        ),
        field_error(error, field_id),
        spacing="1",
        width="100%",
        align="stretch",
    )


def checkbox_field(
    label: str,
    name: str,
    *,
    default_checked: rx.Var[bool] | bool = False,
    field_id: str | None = None,
    errors: rx.Var[dict[str, str]] | None = None,
) -> rx.Component:
    """A checkbox with its label; with ``errors``, its refusal under it."""
    field_id = field_id or f"field-{name}"
    if errors is None:
        return rx.hstack(
            rx.el.input(type="checkbox", id=field_id, name=name, default_checked=default_checked),
            rx.el.label(label, html_for=field_id, font_size="0.875em"),
            align="center",
            spacing="2",
        )
    error = errors.get(name, "").to(str)
    box = rx.el.input(
        type="checkbox",
        id=field_id,
        name=name,
        default_checked=default_checked,
        aria_invalid=rx.cond(error != "", "true", "false"),
        aria_describedby=rx.cond(error != "", f"{field_id}-error", None),
    )
    return rx.vstack(
        rx.hstack(
            box,
            rx.el.label(label, html_for=field_id, font_size="0.875em"),
            align="center",
            spacing="2",
        ),
        field_error(error, field_id),
        spacing="1",
    )


def refusal(message: rx.Var[str]) -> rx.Component:
    """The engine's sentence when it refused something, announced to screen readers."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", width="100%"),
    )


def dialog_actions(submit: str = "Save") -> rx.Component:
    """Cancel (closes the dialog, keeps nothing) and the submit button."""
    return rx.hstack(
        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
        rx.button(submit, type="submit"),
        justify="end",
        width="100%",
    )


def form_dialog(
    title: Any,
    fields: list[rx.Component],
    *,
    error: rx.Var[str],
    on_submit: Any,
    is_open: rx.Var[bool],
    on_open_change: Any,
    submit: str = "Save",
) -> rx.Component:
    """A dialog holding one form: the refusal on top, the fields, Cancel and submit.
    The inputs are uncontrolled, so a refused save keeps everything that was typed."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(refusal(error), *fields, dialog_actions(submit), spacing="3"),
                on_submit=on_submit,
                reset_on_submit=False,
            ),
            # never wider than a phone: a select is otherwise as wide as its longest option
            max_width="min(600px, calc(100vw - 2rem))",
        ),
        open=is_open,
        on_open_change=on_open_change,
    )
