"""An entity's New and Edit form fields, rendered from its field views (built-in fields
from the entity's description, then the admin's custom fields): one renderer for all."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.components.forms import field_error
from wfm_app.ui.state.entity_views import MULTI_SEPARATOR, FieldView

_LABEL = {"font_weight": "500", "font_size": "0.875em"}
_SELECT = {"padding": "0.4em", "border": "1px solid var(--gray-a7)", "border_radius": "6px"}


def _label(field: rx.Var[FieldView], field_id: Any) -> rx.Component:
    return rx.el.label(field.label, html_for=field_id, **_LABEL)


def _checked(values: Any, name: Any) -> Any:
    """Whether a box starts checked: the edit form's value is "on"; a new form, never."""
    return False if values is None else values.get(name, "").to(str) == "on"


def _described_by(error: rx.Var[str], field_id: Any, has_help: rx.Var[bool]) -> Any:
    """Point at the error and help texts that exist, nothing else."""
    error_id = rx.cond(error != "", field_id + "-error", "")
    return rx.cond(
        (error != "") | has_help,
        error_id + rx.cond(has_help, " " + field_id + "-help", ""),
        None,
    )


def _help(field: rx.Var[FieldView], field_id: Any) -> rx.Component:
    return rx.cond(
        field.help != "",
        rx.text(field.help, id=field_id + "-help", size="1", color="var(--gray-11)"),
    )


def _text_input(field: rx.Var[FieldView], field_id: Any, value: Any, error: Any) -> rx.Component:
    return rx.input(
        id=field_id,
        name=field.key,
        default_value=value,
        type=rx.cond(field.kind == "date", "date", "text"),
        input_mode=rx.cond(field.kind == "number", "decimal", "text"),
        aria_invalid=rx.cond(error != "", "true", "false"),
        aria_required=rx.cond(field.required, "true", "false"),
        aria_describedby=_described_by(error, field_id, field.help != ""),
        width="100%",
    )


def _long_text(field: rx.Var[FieldView], field_id: Any, value: Any, error: Any) -> rx.Component:
    return rx.text_area(
        id=field_id,
        name=field.key,
        default_value=value,
        rows="3",
        aria_invalid=rx.cond(error != "", "true", "false"),
        aria_required=rx.cond(field.required, "true", "false"),
        aria_describedby=_described_by(error, field_id, field.help != ""),
        width="100%",
    )


def _choice(field: rx.Var[FieldView], field_id: Any, value: Any, error: Any) -> rx.Component:
    return rx.el.select(
        rx.el.option("Choose…", value=""),
        rx.foreach(field.options, lambda option: rx.el.option(option, value=option)),
        id=field_id,
        name=field.key,
        default_value=value,
        aria_invalid=rx.cond(error != "", "true", "false"),
        aria_required=rx.cond(field.required, "true", "false"),
        aria_describedby=_described_by(error, field_id, field.help != ""),
        style=_SELECT,
    )


def _yes_no(field: rx.Var[FieldView], field_id: Any, values: Any) -> rx.Component:
    return rx.hstack(
        # Unchecked boxes send nothing: this says "no" unless the box, later, says "on".
        rx.el.input(type="hidden", name=field.key, value="false"),
        rx.el.input(
            type="checkbox",
            id=field_id,
            name=field.key,
            default_checked=_checked(values, field.key),
        ),
        _label(field, field_id),
        align="center",
        spacing="2",
    )


def _many(field: rx.Var[FieldView], field_id: Any, values: Any) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(field.label, **_LABEL),
        rx.el.input(type="hidden", name=field.key + MULTI_SEPARATOR, value=""),
        rx.foreach(
            field.options,
            lambda option: rx.hstack(
                rx.el.input(
                    type="checkbox",
                    id=field_id + "-" + option,
                    name=field.key + MULTI_SEPARATOR + option,
                    default_checked=_checked(values, field.key + MULTI_SEPARATOR + option),
                ),
                rx.el.label(option, html_for=field_id + "-" + option, font_size="0.875em"),
                align="center",
                spacing="2",
            ),
        ),
        style={"border": "none", "padding": "0", "margin": "0"},
    )


def _labelled(field: rx.Var[FieldView], field_id: Any, control: rx.Component) -> rx.Component:
    return rx.vstack(_label(field, field_id), control, spacing="1", width="100%")


def entity_field(
    field: rx.Var[FieldView], *, errors: Any, values: Any, prefix: str
) -> rx.Component:
    """One labelled input for a field view, its error beside it once there is one."""
    field_id = f"{prefix}-" + field.key.replace(".", "-")
    error = errors.get(field.key, "").to(str)
    value = values.get(field.key, field.default).to(str) if values is not None else field.default
    return rx.vstack(
        rx.match(
            field.kind,
            ("boolean", _yes_no(field, field_id, values)),
            ("multi", _many(field, field_id, values)),
            ("choice", _labelled(field, field_id, _choice(field, field_id, value, error))),
            ("long_text", _labelled(field, field_id, _long_text(field, field_id, value, error))),
            _labelled(field, field_id, _text_input(field, field_id, value, error)),
        ),
        _help(field, field_id),
        field_error(error, field_id),
        spacing="1",
        width="100%",
        align="stretch",
    )


def entity_fields(
    fields: rx.Var[list[FieldView]], *, errors: Any, values: Any, prefix: str
) -> rx.Component:
    return rx.foreach(
        fields, lambda field: entity_field(field, errors=errors, values=values, prefix=prefix)
    )
