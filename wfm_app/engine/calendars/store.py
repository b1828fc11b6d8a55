"""Business calendars stored per organization (``wfm_calendars``), the admin's service
over them, and the engine's cached lookup of the calendar a step counts time on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import UniqueConstraint, text
from sqlmodel import Field, Session, SQLModel, col, select

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, step_settings
from wfm_app.engine.access import require_access, require_definitions_manager
from wfm_app.engine.calendars import rules
from wfm_app.engine.calendars.working_time import WorkingCalendar
from wfm_app.engine.common import ensure_unique_name, get_or_404
from wfm_app.engine.inputs import MAX_NAME_LENGTH, clean_text
from wfm_app.engine.models import Workflow, WorkflowStep
from wfm_app.engine.schemas import StepRead
from wfm_app.errors import Conflict, ValidationFailed
from wfm_app.sqltypes import JsonDocument, UtcDateTime, timestamp_field, utc_now
from wfm_app.tenancy import OrgOwned, org_field

STEP_KEY = step_settings.CALENDAR


class BusinessCalendar(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_calendars"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_calendars_org_name"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str
    time_zone: str
    # seven lists (Monday first) of [start, end] minutes from local midnight
    week: list[list[list[int]]] = Field(sa_type=JsonDocument)
    country: str | None = None  # public holidays from the ``holidays`` package
    subdivision: str | None = None
    own_holidays: list[str] = Field(sa_type=JsonDocument)  # ISO dates
    is_archived: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    created_at: datetime = timestamp_field()
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


@dataclass(frozen=True, slots=True)
class CalendarInput:
    """A calendar as a person writes it: each weekday's hours as text ("09:00-17:00")."""

    name: str
    time_zone: str
    days: tuple[str, ...]  # seven texts, Monday first
    country: str = ""
    subdivision: str = ""
    own_holidays: str = ""  # dates, one per line


@dataclass(frozen=True, slots=True)
class CalendarRead:
    id: uuid.UUID
    name: str
    time_zone: str
    days: tuple[str, ...]
    country: str | None
    subdivision: str | None
    own_holidays: tuple[str, ...]
    is_archived: bool

    @property
    def hours_per_week(self) -> float:
        return sum(
            (end - start) / 60 for day in self.days for start, end in rules.parse_day(day, "")
        )


def _read(row: BusinessCalendar) -> CalendarRead:
    return CalendarRead(
        row.id,
        row.name,
        row.time_zone,
        tuple(rules.day_text(day) for day in row.week),
        row.country,
        row.subdivision,
        tuple(row.own_holidays),
        row.is_archived,
    )


def _checked(data: CalendarInput) -> dict[str, Any]:
    """The row's columns, or every field's problem at once."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def check(name: str, parse: Any) -> None:
        try:
            values[name] = parse()
        except ValueError as error:
            errors[name] = str(error)

    def named() -> str:
        name = clean_text(data.name, what="Name", limit=MAX_NAME_LENGTH)
        if not name:
            raise ValueError("Name is required.")
        return name

    check("name", named)
    check("time_zone", lambda: rules.check_zone(data.time_zone))
    if len(data.days) != 7:
        errors["hours"] = "Give hours for seven weekdays."
    for weekday, text_ in zip(rules.WEEKDAYS, data.days, strict=False):
        check(weekday.lower(), lambda t=text_, w=weekday: rules.parse_day(t, w))
    check("country", lambda: rules.check_country(data.country, data.subdivision))
    check("own_holidays", lambda: rules.parse_dates(data.own_holidays))
    if not errors and not any(values[w.lower()] for w in rules.WEEKDAYS):
        errors["monday"] = "A calendar needs working hours on at least one weekday."
    if errors:
        raise ValidationFailed("The calendar is invalid. " + " ".join(errors.values()), errors)
    return {
        "name": values["name"],
        "time_zone": values["time_zone"],
        "week": [[list(i) for i in values[w.lower()]] for w in rules.WEEKDAYS],
        "country": values["country"][0],
        "subdivision": values["country"][1],
        "own_holidays": values["own_holidays"],
    }


def listed(actor: Actor | None, *, archived: bool = False) -> list[CalendarRead]:
    require_access(actor)
    with unit_of_work() as uow:
        rows = uow.session.exec(
            select(BusinessCalendar)
            .where(BusinessCalendar.is_archived == archived)
            .order_by(col(BusinessCalendar.name))
        ).all()
        return [_read(row) for row in rows]


def save(
    actor: Actor | None, data: CalendarInput, calendar_id: uuid.UUID | None = None
) -> CalendarRead:
    """Create a calendar, or change the one with ``calendar_id``."""
    require_definitions_manager(actor)
    values = _checked(data)
    with unit_of_work() as uow:
        ensure_unique_name(
            uow.session, BusinessCalendar, values["name"], "calendar", except_id=calendar_id
        )
        if calendar_id is None:
            row = BusinessCalendar(**values)
        else:
            row = get_or_404(uow.session, BusinessCalendar, calendar_id, "Calendar")
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = utc_now()
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return _read(row)


def usage(actor: Actor | None) -> dict[uuid.UUID, list[str]]:
    """The workflows that count time on each calendar (themselves or through a step)."""
    require_access(actor)
    used: dict[uuid.UUID, set[str]] = {}
    with unit_of_work() as uow:
        live = col(Workflow.version_state) != "superseded"
        for calendar_id, name in uow.session.exec(
            select(Workflow.calendar_id, Workflow.name).where(
                col(Workflow.calendar_id).is_not(None), live
            )
        ):
            used.setdefault(calendar_id, set()).add(name)  # type: ignore[arg-type]
        for metadata, name in uow.session.exec(
            select(WorkflowStep.step_metadata, Workflow.name)
            .join(Workflow, col(Workflow.id) == col(WorkflowStep.workflow_id))
            .where(live)
        ):
            found = _as_uuid((metadata or {}).get(STEP_KEY))
            if found is not None:
                used.setdefault(found, set()).add(name)
    return {key: sorted(names) for key, names in used.items()}


def set_archived(actor: Actor | None, calendar_id: uuid.UUID, archived: bool) -> CalendarRead:
    """Archive (refused while a workflow counts time on it) or restore a calendar."""
    require_definitions_manager(actor)
    if archived and (users := usage(actor).get(calendar_id)):
        raise Conflict(f"Workflow {', '.join(users)} counts time on this calendar: pick another.")
    with unit_of_work() as uow:
        row = get_or_404(uow.session, BusinessCalendar, calendar_id, "Calendar")
        row.is_archived, row.updated_at = archived, utc_now()
        uow.session.add(row)
        definitions.mark_changed(uow)
        return _read(row)


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _working(row: BusinessCalendar) -> WorkingCalendar:
    own = {date.fromisoformat(day) for day in row.own_holidays}
    public = holidays.country_holidays(row.country, subdiv=row.subdivision) if row.country else None

    def is_holiday(day: date) -> bool:
        return day in own or (public is not None and day in public)

    week = [[(start, end) for start, end in day] for day in row.week]
    return WorkingCalendar(ZoneInfo(row.time_zone), week, is_holiday)


def _load_all(session: Session) -> dict[uuid.UUID, tuple[str, WorkingCalendar]]:
    return {row.id: (row.name, _working(row)) for row in session.exec(select(BusinessCalendar))}


def working_calendar(calendar_id: uuid.UUID | None) -> tuple[str, WorkingCalendar] | None:
    """A calendar's name and working time, cached with the other definitions."""
    if calendar_id is None:
        return None
    return definitions.cached("calendars", "all", _load_all).get(calendar_id)


def of_step(step: StepRead | None) -> tuple[str, WorkingCalendar] | None:
    """The calendar a step counts time on: its own, else its workflow's, else none."""
    if step is None:
        return None
    own = _as_uuid(step.metadata.get(STEP_KEY))
    if own is not None:
        return working_calendar(own)
    return working_calendar(definitions.graph(step.workflow_id).workflow.calendar_id)


def checked_choice(calendar_id: uuid.UUID | None, field: str = "calendar_id") -> uuid.UUID | None:
    """A workflow's or step's calendar must be one of this organization's calendars."""
    if calendar_id is not None and working_calendar(calendar_id) is None:
        raise ValidationFailed(
            "That business calendar does not exist.", {field: "Pick one of the calendars."}
        )
    return calendar_id


def check_step_choice(metadata: dict[str, Any]) -> None:
    value = metadata.get(STEP_KEY)
    if value in (None, ""):
        metadata.pop(STEP_KEY, None)
        return
    chosen = _as_uuid(value)
    if chosen is None:
        raise ValidationFailed(
            "A step's calendar_id is a calendar's id.", {f"metadata.{STEP_KEY}": "Pick a calendar."}
        )
    checked_choice(chosen, f"metadata.{STEP_KEY}")
