"""Working time on business calendars: deadlines, DST changes, holidays, and cards that
arrive outside working hours. Hand-worked instants, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wfm_app.engine.calendars.rules import parse_dates, parse_day
from wfm_app.engine.calendars.working_time import WorkingCalendar

BERLIN = ZoneInfo("Europe/Berlin")
NINE_TO_FIVE = [[(9 * 60, 17 * 60)]] * 5 + [[], []]


def calendar(zone: ZoneInfo = BERLIN, week=NINE_TO_FIVE, off: set[date] | None = None):
    return WorkingCalendar(zone, week, lambda day: day in (off or set()))


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone).astimezone(UTC)


def test_friday_evening_ticket_with_eight_hours_breaches_monday_at_five() -> None:
    cal = calendar()
    friday_five = at(BERLIN, 2026, 12, 4, 17, 0)
    assert cal.deadline(friday_five, 8) == at(BERLIN, 2026, 12, 7, 17, 0)
    # the SQL filter's cutoff at that moment lets exactly that ticket in
    assert cal.latest_start(at(BERLIN, 2026, 12, 7, 17, 0), 8) == at(BERLIN, 2026, 12, 7, 9, 0)
    assert cal.latest_start(at(BERLIN, 2026, 12, 7, 16, 59), 8) < friday_five


def test_a_card_entered_at_night_starts_counting_at_nine() -> None:
    cal = calendar()
    night = at(BERLIN, 2026, 12, 8, 2, 30)  # Tuesday 02:30
    assert cal.working_seconds(night, at(BERLIN, 2026, 12, 8, 10, 0)) == 3600
    assert cal.deadline(night, 1) == at(BERLIN, 2026, 12, 8, 10, 0)
    assert cal.deadline(night, 9) == at(BERLIN, 2026, 12, 9, 10, 0)  # Wednesday


def test_holidays_and_split_days_count_nothing_and_only_their_hours() -> None:
    christmas = {date(2026, 12, 24), date(2026, 12, 25)}
    split = [[(9 * 60, 12 * 60), (13 * 60, 17 * 60)]] * 5 + [[], []]
    cal = calendar(week=split, off=christmas)
    wednesday_noon = at(BERLIN, 2026, 12, 23, 12, 0)
    # 4 h left on Wednesday, Thursday and Friday are holidays, then Monday 9-12 and 13-14
    assert cal.deadline(wednesday_noon, 8) == at(BERLIN, 2026, 12, 28, 14, 0)
    assert cal.working_seconds(wednesday_noon, at(BERLIN, 2026, 12, 28, 12, 30)) == 7 * 3600


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 3, 30), 24)],
)
def test_a_day_the_clocks_change_is_as_long_as_it_really_is(day: date, hours: int) -> None:
    cal = calendar(week=[[(0, 24 * 60)]] * 7)
    start = at(BERLIN, day.year, day.month, day.day, 0, 0)
    end = at(BERLIN, *(day + timedelta(days=1)).timetuple()[:3], 0, 0)
    assert cal.working_seconds(start, end) == hours * 3600
    assert cal.deadline(start, hours) == end


def test_nine_to_five_stays_eight_hours_across_the_spring_change() -> None:
    # New York springs forward on 2026-03-08; Friday 9:00 to Monday 9:00 is 8 working hours
    york = ZoneInfo("America/New_York")
    cal = calendar(zone=york)
    friday = at(york, 2026, 3, 6, 9, 0)
    assert cal.deadline(friday, 16) == at(york, 2026, 3, 9, 17, 0)
    assert cal.working_seconds(friday, at(york, 2026, 3, 9, 9, 0)) == 8 * 3600


def test_a_long_way_back_and_forward() -> None:
    cal = calendar()
    now = at(BERLIN, 2026, 12, 7, 12, 0)
    start = cal.latest_start(now, 2000)  # 250 working days back: grows the prefix back
    assert cal.working_seconds(start, now) == 2000 * 3600
    assert cal.deadline(start, 2000) == now


def test_a_calendar_with_no_hours_never_reaches_a_deadline() -> None:
    cal = calendar(week=[[]] * 7)
    assert cal.deadline(at(BERLIN, 2026, 1, 5, 9, 0), 1) is None


def test_hours_and_dates_are_parsed_or_refused_with_a_sentence() -> None:
    assert parse_day("9:00-12:00, 13:00 - 17:30", "Monday") == [(540, 720), (780, 1050)]
    assert parse_day("", "Sunday") == []
    for bad, words in [
        ("9-17", 'write hours as "09:00-17:00"'),
        ("17:00-09:00", "ends before it starts"),
        ("09:00-13:00, 12:00-17:00", "overlap"),
        ("09:00-25:00", "from 00:00 to 24:00"),
    ]:
        with pytest.raises(ValueError, match=words):
            parse_day(bad, "Monday")
    assert parse_dates("2026-12-24\n2026-12-31, 2026-12-24") == ["2026-12-24", "2026-12-31"]
    with pytest.raises(ValueError, match="not a date"):
        parse_dates("24.12.2026")
