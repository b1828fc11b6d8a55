"""Business calendars admin page: thin adapter over wfm_app.engine.calendars.store."""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.engine.calendars import rules, store
from wfm_app.engine.calendars.store import CalendarInput, CalendarRead
from wfm_app.ui.state.adapters import as_uuid, attempt
from wfm_app.ui.state.admin_list import AdminListMixin
from wfm_app.ui.state.session import SessionState

DAY_KEYS = tuple(day.lower() for day in rules.WEEKDAYS)
NEW_CALENDAR = {
    "name": "",
    "time_zone": "UTC",
    "country": "",
    "subdivision": "",
    "own_holidays": "",
    **{day: "09:00-17:00" for day in DAY_KEYS[:5]},
    **{day: "" for day in DAY_KEYS[5:]},
}


def week_summary(days: tuple[str, ...]) -> str:
    """Runs of weekdays with the same hours ("Mon to Fri 09:00-17:00"), days off left out."""
    parts, start = [], 0
    for index in range(1, 8):
        if index == 7 or days[index] != days[start]:
            if days[start]:
                first, last = rules.WEEKDAYS[start][:3], rules.WEEKDAYS[index - 1][:3]
                span = first if index - 1 == start else f"{first} to {last}"
                parts.append(f"{span} {days[start]}")
            start = index
    return "; ".join(parts)


def _holidays_summary(calendar: CalendarRead) -> str:
    public = ""
    if calendar.country:
        public = rules.countries().get(calendar.country, calendar.country)
        public += f" ({calendar.subdivision})" if calendar.subdivision else ""
    own = len(calendar.own_holidays)
    extra = f"{own} own date{'s' if own != 1 else ''}" if own else ""
    return " + ".join(part for part in (public, extra) if part) or "None"


class CalendarsState(AdminListMixin, SessionState):
    editing_id: str = ""
    form: dict[str, str] = NEW_CALENDAR

    def _noun(self) -> str:
        return "Calendar"

    def _set_archived(self, actor: Actor | None, row_id: uuid.UUID, archived: bool) -> Any:
        return store.set_archived(actor, row_id, archived)

    def _reload(self) -> None:
        actor = self._actor()
        used = store.usage(actor)
        self.rows = [
            {
                "id": str(c.id),
                "name": c.name,
                "time_zone": c.time_zone,
                "hours": week_summary(c.days),
                "per_week": f"{c.hours_per_week:g} h a week",
                "holidays": _holidays_summary(c),
                "used_by": ", ".join(used.get(c.id, [])) or "No workflow yet",
                "archived": "yes" if c.is_archived else "",
                **dict(zip(DAY_KEYS, c.days, strict=True)),
                "country": c.country or "",
                "subdivision": c.subdivision or "",
                "own_holidays": "\n".join(c.own_holidays),
            }
            for c in store.listed(actor, archived=self.show_archived)
        ]

    @rx.event
    def open_new(self) -> None:
        self.editing_id, self.form = "", dict(NEW_CALENDAR)
        self.form_errors, self.form_error, self.dialog_open = {}, "", True

    @rx.event
    def open_edit(self, row: dict[str, str]) -> None:
        self.editing_id, self.form = row["id"], dict(row)
        self.form_errors, self.form_error, self.dialog_open = {}, "", True

    @rx.event
    def save(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        typed = {key: str(form.get(key) or "") for key in NEW_CALENDAR}
        data = CalendarInput(
            name=typed["name"],
            time_zone=typed["time_zone"],
            days=tuple(typed[day] for day in DAY_KEYS),
            country=typed["country"],
            subdivision=typed["subdivision"],
            own_holidays=typed["own_holidays"],
        )
        calendar_id = as_uuid(self.editing_id)
        done, self.form_error, self.form_errors = attempt(
            lambda: store.save(actor, data, calendar_id)
        )
        if done is None:
            self.form = {**self.form, **typed}  # what was typed stays
            return None
        self.dialog_open = False
        self._reload()
        return rx.toast.success(f'Calendar "{done.name}" saved.')
