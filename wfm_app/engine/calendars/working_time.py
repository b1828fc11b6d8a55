"""Working time on a business calendar: how much of a stretch of time falls in working
hours, and when a number of working hours runs out.

A calendar has a time zone, working intervals per weekday (local wall-clock times) and
holiday dates. Intervals are turned into UTC instants one local day at a time, so a day
on which the clocks change is as long as it really is (9:00-17:00 is always 8 hours; a
00:00-24:00 day is 23 or 25). ``elapsed(t)`` counts working seconds from a fixed origin
day to ``t`` with a prefix sum over days, so the working time between two instants is
two lookups whatever their distance.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

Interval = tuple[int, int]  # minutes from local midnight, end up to 24 * 60
DAY = timedelta(days=1)
_LOOKBACK_DAYS = 400  # how far before the first asked day the prefix starts
MAX_SEARCH_DAYS = 366 * 40  # a deadline further than this is "never"


def _local_instant(zone: ZoneInfo, day: date, minute: int) -> datetime:
    if minute >= 24 * 60:
        day, minute = day + DAY, 0
    wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone)
    return wall.astimezone(UTC)


@dataclass(eq=False)
class WorkingCalendar:
    """``week[0]`` is Monday's intervals; ``is_holiday`` says which dates are off."""

    zone: ZoneInfo
    week: Sequence[Sequence[Interval]]
    is_holiday: Callable[[date], bool]
    _origin: date | None = field(default=None, init=False)
    # _prefix[i]: working seconds in the days before day origin + i
    _prefix: list[float] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.spans = lru_cache(maxsize=4096)(self._spans)
        # one calendar serves every thread of the process; its prefix grows under this
        self.lock = threading.RLock()

    def _spans(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The day's working intervals as UTC instants (none on a holiday)."""
        if self.is_holiday(day):
            return ()
        return tuple(
            (_local_instant(self.zone, day, start), _local_instant(self.zone, day, end))
            for start, end in self.week[day.weekday()]
        )

    def _day_seconds(self, day: date) -> float:
        return sum((end - start).total_seconds() for start, end in self.spans(day))

    def _index(self, day: date) -> int:
        """``day``'s position in the prefix, growing it to cover the day."""
        if self._origin is None or day < self._origin:
            self._origin = day - timedelta(days=_LOOKBACK_DAYS)
            self._prefix = [0.0]
        index = (day - self._origin).days
        while len(self._prefix) <= index + 1:
            last = self._origin + timedelta(days=len(self._prefix) - 1)
            self._prefix.append(self._prefix[-1] + self._day_seconds(last))
        return index

    def local_day(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()

    def elapsed(self, instant: datetime) -> float:
        """Working seconds from the origin to ``instant`` (hold ``lock`` across calls whose
        results are compared: a call may move the origin)."""
        day = self.local_day(instant)
        index = self._index(day)  # first: it may replace the prefix list
        total = self._prefix[index]
        for start, end in self.spans(day):
            if instant > start:
                total += (min(instant, end) - start).total_seconds()
        return total

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Working time between two instants (0 if ``end`` is not after ``start``)."""
        if end <= start:
            return 0.0
        with self.lock:
            begin = self.elapsed(start)  # grows the prefix back first, if needed
            return self.elapsed(end) - begin

    def _at_level(self, level: float, after: date, *, latest: bool) -> datetime | None:
        """The first instant whose elapsed time reaches ``level`` (``latest``: the last
        instant still at or below it, i.e. the end of the idle time that follows)."""
        index = self._index(after)
        origin = self._origin
        assert origin is not None  # set by _index; only grows forwards from here
        first = index
        # the first day with working time whose end passes the level
        while True:
            self._index(origin + timedelta(days=index + 1))
            end = self._prefix[index + 1]
            if (end > level if latest else end >= level) and end > self._prefix[index]:
                break
            index += 1
            if index - first > MAX_SEARCH_DAYS:
                return None
        done = self._prefix[index]
        for start, stop in self.spans(origin + timedelta(days=index)):
            length = (stop - start).total_seconds()
            if (done + length > level) if latest else (done + length >= level):
                return start + timedelta(seconds=max(level - done, 0.0))
            done += length
        return None  # unreachable: the day's total passed the level

    def deadline(self, start: datetime, hours: float) -> datetime | None:
        """When ``hours`` of working time after ``start`` have passed (None: never, as
        on a calendar with no working hours)."""
        with self.lock:
            level = self.elapsed(start) + hours * 3600
            return self._at_level(level, self.local_day(start), latest=False)

    def latest_start(self, now: datetime, hours: float) -> datetime:
        """The latest instant from which ``hours`` of working time have passed by ``now``:
        a card that entered at or before it is past its limit."""
        with self.lock:
            return self._latest_start(now, hours)

    def _latest_start(self, now: datetime, hours: float) -> datetime:
        level = self.elapsed(now) - hours * 3600
        first_day = self._origin
        assert first_day is not None
        while level < 0:
            # grow the prefix backwards until it reaches the level
            self._index(first_day - timedelta(days=max(366, (now.date() - first_day).days)))
            first_day = self._origin
            assert first_day is not None
            level = self.elapsed(now) - hours * 3600
            if (now.date() - first_day).days > MAX_SEARCH_DAYS:
                return datetime.min.replace(tzinfo=UTC)
        index = bisect.bisect_right(self._prefix, level) - 1
        found = self._at_level(level, first_day + timedelta(days=max(index, 0)), latest=True)
        return found if found is not None else now
