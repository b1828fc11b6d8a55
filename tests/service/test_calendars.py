"""Business calendars: the admin's service, two organizations kept apart, and SLA badges,
the board's overdue filter and time-in-step rules counting working hours only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from tests.api.in_process import run
from tests.service.helpers import step_named, ticket_graph
from tests.service.test_analytics import _of, story  # noqa: F401 (a fixture)
from tests.service.test_organizations import organization
from wfm_app import db
from wfm_app.engine import steps, workflows
from wfm_app.engine.automation import rule_admin, timers
from wfm_app.engine.automation.config import RuleCreate
from wfm_app.engine.calendars import store as calendars
from wfm_app.engine.calendars.store import CalendarInput
from wfm_app.engine.models import WfmProject
from wfm_app.engine.schemas import StepUpdate, WorkflowUpdate
from wfm_app.entities import tickets
from wfm_app.errors import Conflict, Forbidden, ValidationFailed
from wfm_app.sqltypes import utc_now
from wfm_app.tenancy import acting_in

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = CalendarInput(
    name="Berlin office",
    time_zone="Europe/Berlin",
    days=("09:00-17:00",) * 5 + ("", ""),
    country="DE",
    subdivision="BE",
    own_holidays="2026-12-24\n2026-12-31",
)


def test_a_calendar_is_checked_field_by_field_and_only_admins_write(seeded) -> None:
    bad = CalendarInput(
        name=" ",
        time_zone="Mars/Olympus",
        days=("9-5", "17:00-09:00", "", "", "", "", ""),
        country="XX",
        own_holidays="tomorrow",
    )
    with pytest.raises(ValidationFailed) as refused:
        calendars.save(seeded.admin, bad)
    assert set(refused.value.field_errors) == {
        "name",
        "time_zone",
        "monday",
        "tuesday",
        "country",
        "own_holidays",
    }
    closed = CalendarInput(name="Never", time_zone="UTC", days=("",) * 7)
    with pytest.raises(ValidationFailed, match="at least one weekday"):
        calendars.save(seeded.admin, closed)
    with pytest.raises(Forbidden):
        calendars.save(seeded.manager, OFFICE)
    made = calendars.save(seeded.admin, OFFICE)
    assert made.days[0] == "09:00-17:00" and made.days[6] == ""
    assert made.hours_per_week == 40 and made.own_holidays == ("2026-12-24", "2026-12-31")
    with pytest.raises(Conflict):
        calendars.save(seeded.admin, OFFICE)
    assert [c.name for c in calendars.listed(seeded.alice)] == ["Berlin office"]


def test_each_organization_has_its_own_calendars(database) -> None:
    acme, globex = organization("acme"), organization("globex")
    with acting_in(acme.id):
        mine = calendars.save(acme.admin, OFFICE)
    with acting_in(globex.id):
        assert calendars.listed(globex.admin) == []
        support = tickets.service.default_workflow_id(globex.admin)
        with pytest.raises(ValidationFailed) as refused:
            workflows.update(globex.admin, support, WorkflowUpdate(calendar_id=mine.id))
        assert "calendar_id" in refused.value.field_errors
        assert calendars.save(globex.admin, OFFICE).id != mine.id  # same name, its own


def _entered(ticket, at: datetime) -> None:
    with db.get_engine().begin() as conn:
        conn.execute(
            update(WfmProject)
            .where(WfmProject.id == ticket.wfm.wfm_project_id)  # type: ignore[arg-type]
            .values(step_entered_at=at)
        )


def _friday_ticket_on_office_hours(seeded):
    office = calendars.save(seeded.admin, OFFICE)
    graph = ticket_graph()
    workflows.update(seeded.admin, graph.id, WorkflowUpdate(calendar_id=office.id))
    return office, step_named(ticket_graph(), "New")


def test_a_friday_evening_ticket_breaches_its_sla_on_monday_at_five(seeded) -> None:
    _office, new = _friday_ticket_on_office_hours(seeded)
    assert new.metadata["sla_hours"] == 8
    friday_five = datetime(2026, 12, 4, 17, 0, tzinfo=BERLIN).astimezone(UTC)
    monday = datetime(2026, 12, 7, 0, 0, tzinfo=BERLIN)
    assert timers.overdue_label(new, friday_five, monday.replace(hour=16, minute=59)) == ""
    assert (
        timers.overdue_label(new, friday_five, monday.replace(hour=17))
        == "SLA breached · 8 business hours"
    )
    # Christmas Day is a public holiday in Berlin, Christmas Eve the office's own
    wednesday_five = datetime(2026, 12, 23, 17, 0, tzinfo=BERLIN)
    assert timers.overdue_label(new, wednesday_five, wednesday_five + timedelta(days=2)) == ""
    assert timers.overdue_label(new, wednesday_five, wednesday_five + timedelta(days=5)) == (
        "SLA breached · 8 business hours"  # Monday the 28th at five
    )


def test_the_overdue_filter_and_timer_rules_count_working_time(seeded) -> None:
    office, new = _friday_ticket_on_office_hours(seeded)
    late = tickets.service.create(seeded.admin, tickets.TicketCreate(name="Late"))
    fresh = tickets.service.create(seeded.admin, tickets.TicketCreate(name="Fresh"))
    clock = calendars.working_calendar(office.id)
    assert clock is not None
    cutoff = clock[1].latest_start(utc_now(), 8)
    _entered(late, cutoff - timedelta(minutes=5))
    _entered(fresh, cutoff + timedelta(minutes=5))
    board = tickets.service.board(seeded.admin, overdue_only=True)
    column = next(c for c in board.columns if c.step.id == new.id)
    assert [card.name for card in column.cards] == ["Late"]
    # a time-in-step rule counts on the step's own calendar, which wins over the workflow's
    always = calendars.save(
        seeded.admin, CalendarInput(name="Always", time_zone="UTC", days=("00:00-24:00",) * 7)
    )
    metadata = {**new.metadata, "calendar_id": str(always.id)}
    steps.update_step(seeded.admin, new.id, StepUpdate(metadata=metadata))
    rule_admin.create(
        seeded.admin,
        RuleCreate(
            name="Escalate",
            workflow_id=new.workflow_id,
            workflow_step_id=new.id,
            trigger_event="time_in_step_exceeded",
            trigger_config={"after_hours": 30},
            action_config={"type": "set_field", "field": "priority", "value": "urgent"},
        ),
    )
    _entered(late, utc_now() - timedelta(hours=31))
    _entered(fresh, utc_now() - timedelta(hours=29))
    assert timers.scan() == 1
    assert tickets.service.get_by_id(seeded.admin, late.id).priority == "urgent"
    assert tickets.service.get_by_id(seeded.admin, fresh.id).priority == "normal"
    with pytest.raises(ValidationFailed) as refused:
        steps.update_step(seeded.admin, new.id, StepUpdate(metadata={"calendar_id": "nope"}))
    assert "metadata.calendar_id" in refused.value.field_errors
    with pytest.raises(Conflict, match="Support Process"):
        calendars.set_archived(seeded.admin, always.id, True)


def test_time_in_step_on_a_calendar_step_is_in_business_hours(story) -> None:  # noqa: F811
    graph, step, _made, people = story  # T0 is a Monday; NOW is ten days later
    weekdays = calendars.save(
        people.admin,
        CalendarInput(name="Weekdays", time_zone="UTC", days=("00:00-24:00",) * 5 + ("", "")),
    )
    prospecting = step_named(graph, "Prospecting")
    metadata = {**prospecting.metadata, "calendar_id": str(weekdays.id)}
    steps.update_step(people.admin, prospecting.id, StepUpdate(metadata=metadata))
    times = {t.step_id: t for t in _of(people.manager, graph).time_in_step}
    # stays of 4, 10, 12, 20 h on weekdays, and D's 168 h that span a weekend: 120 working
    worked = times[step["P"]]
    assert worked.business_hours and (worked.count, worked.median_hours) == (5, 12.0)
    assert (round(worked.mean_hours, 3), round(worked.p85_hours, 3)) == (33.2, 60.0)
    assert not times[step["Q"]].business_hours and times[step["Q"]].median_hours == 20.0


def test_graphql_picks_and_clears_a_workflows_calendar(seeded) -> None:
    office = calendars.save(seeded.admin, OFFICE)
    support = str(ticket_graph().id)
    pick = (
        "mutation($id: ID!, $c: ID) { updateWFMWorkflow(id: $id, input: {calendarId: $c}) "
        "{ calendarId } }"
    )
    answer = run(seeded.admin, pick, id=support, c=str(office.id))
    assert answer["data"]["updateWFMWorkflow"] == {"calendarId": str(office.id)}
    refused = run(seeded.admin, pick, id=support, c=str(uuid.uuid4()))
    assert refused["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert run(seeded.admin, pick, id=support, c=None)["data"]["updateWFMWorkflow"] == {
        "calendarId": None
    }
