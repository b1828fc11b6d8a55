"""/admin/wfm/calendars: business calendars (working hours, time zone, holidays) that a
workflow or step counts its SLA and time-in-step limits on."""

from __future__ import annotations

import reflex as rx

from wfm_app.engine.calendars import rules
from wfm_app.ui.components.admin import admin_dialog, admin_list_page, archive_toggle
from wfm_app.ui.components.forms import field_error, select_field, text_field
from wfm_app.ui.state.admin_calendars import DAY_KEYS
from wfm_app.ui.state.admin_calendars import CalendarsState as S

COUNTRIES = [{"value": code, "label": name} for code, name in rules.countries().items()]
ZONES = sorted(rules.available_zones())


def _row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(row["time_zone"]),
        rx.table.cell(rx.vstack(rx.text(row["hours"]), rx.text(row["per_week"], size="1"))),
        rx.table.cell(row["holidays"]),
        rx.table.cell(row["used_by"]),
        rx.table.cell(
            rx.hstack(
                rx.button("Edit", size="1", variant="soft", on_click=S.open_edit(row)),
                archive_toggle(
                    S,
                    row,
                    "Workflows and steps can no longer pick it (one in use cannot be archived).",
                ),
                spacing="2",
            )
        ),
    )


def _zone_field() -> rx.Component:
    return rx.fragment(
        text_field(
            "Time zone",
            "time_zone",
            errors=S.form_errors,
            default_value=S.form["time_zone"],
            list="calendar-zones",
            placeholder="Europe/Berlin",
        ),
        rx.el.datalist(*[rx.el.option(value=zone) for zone in ZONES], id="calendar-zones"),
    )


def _own_holidays() -> rx.Component:
    error = S.form_errors.get("own_holidays", "").to(str)
    return rx.vstack(
        rx.el.label(
            "Own holidays (one date per line, like 2026-12-24)",
            html_for="field-own-holidays",
            font_weight="500",
            font_size="0.875em",
        ),
        rx.text_area(
            id="field-own-holidays",
            name="own_holidays",
            default_value=S.form["own_holidays"],
            aria_invalid=rx.cond(error != "", "true", "false"),
            rows="3",
            width="100%",
        ),
        field_error(error, "field-own-holidays"),
        spacing="1",
        width="100%",
    )


def _dialog() -> rx.Component:
    return admin_dialog(
        S,
        rx.cond(S.editing_id == "", "New calendar", "Edit calendar"),
        [
            text_field("Name", "name", errors=S.form_errors, default_value=S.form["name"]),
            _zone_field(),
            rx.text(
                'Working hours: "09:00-17:00", several as "09:00-12:00, 13:00-17:00", '
                "blank for a day off.",
                size="2",
            ),
            rx.grid(
                *[
                    text_field(
                        f"{day} hours",
                        key,
                        errors=S.form_errors,
                        default_value=S.form[key],
                    )
                    for day, key in zip(rules.WEEKDAYS, DAY_KEYS, strict=True)
                ],
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="2",
                width="100%",
            ),
            select_field(
                "Public holidays of",
                "country",
                COUNTRIES,
                errors=S.form_errors,
                default_value=S.form["country"],
                placeholder="No country",
            ),
            text_field(
                "Region (optional code, like BY or CA)",
                "subdivision",
                errors=S.form_errors,
                default_value=S.form["subdivision"],
            ),
            _own_holidays(),
        ],
        S.save,
    )


def calendars_page() -> rx.Component:
    return admin_list_page(
        S,
        section="Calendars",
        new_label="New calendar",
        on_new=S.open_new,
        headers=["Name", "Time zone", "Working hours", "Holidays", "Used by", "Actions"],
        row=_row,
        plural="calendars",
        dialog=_dialog(),
    )
