"""Each chart of the analytics page as one function of (session, scope), computed in SQL
from ``wfm_project_history`` and ``wfm_projects``; Python only fills in days and weeks
that had no events and adds up the cumulative flow.

Definitions (the README repeats them):
- time in step: stays that began in the range; a stay still going counts until now; on a
  step with a business calendar, in working hours (analytics/business_hours.py);
- funnel: per step, the cards that entered it in the range; of those, how many were on a
  step further down (greater step order, not a "LOST" outcome) at some time from the
  start of the range on, and how many on a "WON" or "CONVERTED" step (a lead converted
  into a deal is won; HubSpot's funnel counts stages reached the same way);
- cumulative flow: cards on each step at the end of each day;
- throughput: cards that entered a final step, per week (weeks start on Monday);
- cycle time: from a card's creation to its first final step, for cards finished in
  the range;
- aging: open cards (not on a final step) by time on their current step, oldest first;
- transitions: moves in the range, counted by (from step, to step).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.sql.selectable import CTE
from sqlmodel import Session

from wfm_app.engine.analytics import business_hours
from wfm_app.engine.analytics.scope import Scope, in_range, owned_by_scope, stays, when
from wfm_app.engine.analytics.sql import hours_between, summary, utc_day
from wfm_app.engine.models import WfmProject, WfmProjectHistory, WorkflowStep
from wfm_app.sqltypes import table_of

_history = table_of(WfmProjectHistory)
_projects = table_of(WfmProject)
_steps = table_of(WorkflowStep)
AGING_LIMIT = 50
# Cycle time distribution: upper bounds in days of each bucket but the last.
CYCLE_BUCKETS = (1, 3, 7, 14, 30, 60, 90)


@dataclass(frozen=True)
class StepTime:
    step_id: uuid.UUID
    count: int
    mean_hours: float
    median_hours: float
    p85_hours: float
    business_hours: bool = False  # counted on the step's business calendar


@dataclass(frozen=True)
class FunnelStep:
    step_id: uuid.UUID
    entered: int
    reached_next: int
    reached_won: int


@dataclass(frozen=True)
class FlowDay:
    day: date
    counts: list[tuple[uuid.UUID, int]]  # in step order


@dataclass(frozen=True)
class WeekThroughput:
    week_start: date
    finished: int


@dataclass(frozen=True)
class CycleTime:
    count: int
    p50_hours: float | None
    p85_hours: float | None
    buckets: list[tuple[str, int]]  # ("1-3 days", 4)


@dataclass(frozen=True)
class AgingCard:
    project_id: uuid.UUID
    entity_id: uuid.UUID | None
    entity_type: str | None
    name: str
    step_id: uuid.UUID
    step_entered_at: datetime
    hours_in_step: float


@dataclass(frozen=True)
class TransitionCount:
    from_step_id: uuid.UUID
    to_step_id: uuid.UUID
    count: int
    backwards: bool  # to a step earlier in the workflow's order: rework


def rounded_hours(value: Any) -> float:
    """Hours to 4 places (a third of a second): SQLite's julianday arithmetic is off in
    the ninth; both databases then give the same figures."""
    return round(float(value), 4)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def time_in_step(session: Session, scope: Scope) -> list[StepTime]:
    began = stays(scope, entered_in_range=True)
    until = func.coalesce(began.c.left_at, when("now", scope.now))
    values = select(
        began.c.step_id.label("key"), hours_between(began.c.entered_at, until).label("value")
    ).subquery("stay_hours")
    found = {
        row.key: (int(row.size), row.mean, row.p50, row.p85)
        for row in session.execute(summary(values, _dialect(session)))
    }
    return times_of(session, scope, found)


Summary = tuple[int, float, float, float]  # size, mean, median, 85th percentile (hours)


def times_of(session: Session, scope: Scope, found: dict[uuid.UUID, Summary]) -> list[StepTime]:
    """Time in step from each step's summary; steps on a business calendar are summed
    in working hours instead (in SQL)."""
    counted = business_hours.counted_steps(scope.graph)
    worked: dict[uuid.UUID, Summary] = {}
    if counted:
        began = stays(scope, entered_in_range=True)
        until = func.coalesce(began.c.left_at, when("now", scope.now))
        worked = business_hours.summaries(session, began, until, counted)
    times = []
    for step in scope.graph.steps:
        on_calendar = step.id in counted
        summed = worked.get(step.id) if on_calendar else found.get(step.id)
        if summed is not None:
            size, mean, p50, p85 = summed
            times.append(
                StepTime(
                    step.id,
                    size,
                    rounded_hours(mean),
                    rounded_hours(p50),
                    rounded_hours(p85),
                    on_calendar,
                )
            )
    return times


WINNING = ("WON", "CONVERTED")  # outcomes a funnel counts as won


def funnel(session: Session, scope: Scope) -> list[FunnelStep]:
    steps = scope.graph.steps
    lost = [s.id for s in steps if scope.outcome_of(s.id) == "LOST"]
    won = [s.id for s in steps if scope.outcome_of(s.id) in WINNING]
    entries = stays(scope, entered_in_range=True)
    # One row per card and step it entered in the range, with the step's order (joined
    # from its row: the planner knows that table, and it is cheaper than a CASE per row).
    entered = (
        select(entries.c.project_id, entries.c.step_id, _steps.c.step_order)
        .join(_steps, _steps.c.id == entries.c.step_id)
        .distinct()
        .subquery("entered")
    )
    # How far each card got from the start of the range on: the furthest step that is not
    # a lost outcome, and whether it won. Hash aggregates, no sort: far cheaper than
    # ordering every card's stays.
    since = stays(scope, entered_since_start=True)
    forward = case((since.c.step_id.in_(lost), None), else_=_steps.c.step_order)
    reach = (
        select(
            since.c.project_id,
            func.max(forward).label("furthest"),
            func.max(case((since.c.step_id.in_(won), 1), else_=0)).label("won"),
        )
        .join(_steps, _steps.c.id == since.c.step_id)
        .group_by(since.c.project_id)
        .subquery("reach")
    )
    further = case((reach.c.furthest > entered.c.step_order, 1), else_=0)
    query = (
        select(
            entered.c.step_id,
            func.count().label("entered"),
            func.sum(further).label("reached_next"),
            func.sum(reach.c.won).label("reached_won"),
        )
        .join(reach, reach.c.project_id == entered.c.project_id)
        .group_by(entered.c.step_id)
    )
    found = {row.step_id: row for row in session.execute(query)}
    return [
        FunnelStep(step.id, int(row.entered), int(row.reached_next), int(row.reached_won))
        if (row := found.get(step.id)) is not None
        else FunnelStep(step.id, 0, 0, 0)
        for step in steps
    ]


def _days(scope: Scope) -> list[date]:
    first = scope.start.date()
    last = (min(scope.end, scope.now) - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def cumulative_flow(session: Session, scope: Scope) -> list[FlowDay]:
    going = stays(scope, open_at_start=True)
    began = stays(scope, entered_in_range=True)
    ended = stays(scope, left_in_range=True)
    entered_day, left_day = utc_day(began.c.entered_at), utc_day(ended.c.left_at)
    query = union_all(
        select(literal("open"), going.c.step_id, literal(""), func.count()).group_by(
            going.c.step_id
        ),
        select(literal("in"), began.c.step_id, entered_day, func.count()).group_by(
            began.c.step_id, entered_day
        ),
        select(literal("out"), ended.c.step_id, left_day, func.count()).group_by(
            ended.c.step_id, left_day
        ),
    )
    level: dict[uuid.UUID, int] = {}
    change: dict[tuple[uuid.UUID, str], int] = {}
    for kind, step_id, day, count in session.execute(query):
        if kind == "open":
            level[step_id] = int(count)
        else:
            sign = 1 if kind == "in" else -1
            change[(step_id, day)] = change.get((step_id, day), 0) + sign * int(count)
    return flow_of(scope, level, change)


def flow_of(
    scope: Scope, level: dict[uuid.UUID, int], change: dict[tuple[uuid.UUID, str], int]
) -> list[FlowDay]:
    """The cumulative flow from the cards on each step at the range's start (``level``)
    and each step's net change per UTC day ('YYYY-MM-DD')."""
    flow = []
    for day in _days(scope):
        key = day.isoformat()
        for step in scope.graph.steps:
            level[step.id] = level.get(step.id, 0) + change.get((step.id, key), 0)
        flow.append(FlowDay(day, [(step.id, level[step.id]) for step in scope.graph.steps]))
    return flow


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def throughput(session: Session, scope: Scope) -> list[WeekThroughput]:
    began = stays(scope, entered_in_range=True)
    day = utc_day(began.c.entered_at)
    query = select(day, func.count()).where(began.c.step_id.in_(scope.final_step_ids)).group_by(day)
    return weeks_of(scope, {day: int(count) for day, count in session.execute(query)})


def weeks_of(scope: Scope, finished: dict[str, int]) -> list[WeekThroughput]:
    """Throughput per week from the cards finished per UTC day ('YYYY-MM-DD')."""
    weeks: dict[date, int] = {}
    for finished_on, count in finished.items():
        week = _week_start(date.fromisoformat(finished_on))
        weeks[week] = weeks.get(week, 0) + count
    days = _days(scope)
    if not days:
        return []
    first, last = _week_start(days[0]), _week_start(days[-1])
    every = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    return [WeekThroughput(week, weeks.get(week, 0)) for week in every]


def _bucket_label(index: int) -> str:
    if index == 0:
        return f"under {CYCLE_BUCKETS[0]} day"
    if index == len(CYCLE_BUCKETS):
        return f"{CYCLE_BUCKETS[-1]}+ days"
    return f"{CYCLE_BUCKETS[index - 1]}-{CYCLE_BUCKETS[index]} days"


def cycle_time(session: Session, scope: Scope) -> CycleTime:
    finals = scope.final_step_ids
    project = _history.c.wfm_project_id
    earlier = _history.alias("earlier")
    finished_before = (
        select(earlier.c.id)
        .where(
            earlier.c.wfm_project_id == project,
            earlier.c.to_step_id.in_(finals),
            earlier.c.changed_at < when("range_start", scope.start),
        )
        .exists()
    )
    # A card's first move onto a final step, when that was in the range.
    done = (
        select(project.label("project_id"), func.min(_history.c.changed_at).label("done_at"))
        .where(
            _history.c.to_step_id.in_(finals),
            _history.c.kind == "move",
            in_range(_history.c.changed_at, scope),
            owned_by_scope(scope, project),
            ~finished_before,
        )
        .group_by(project)
        .subquery("done")
    )
    hours = hours_between(_projects.c.created_at, done.c.done_at)
    values = (
        select(literal("all").label("key"), hours.label("value"))
        .join_from(done, _projects, _projects.c.id == done.c.project_id)
        .subquery("cycle_hours")
    )
    edges = [days * 24 for days in CYCLE_BUCKETS]  # hours

    def bucket_counts(value: Any) -> list[Any]:  # "extra_<i>": cards in bucket i
        below = [value < edges[0]]
        between = [and_(value >= low, value < high) for low, high in itertools.pairwise(edges)]
        tests = [*below, *between, value >= edges[-1]]
        return [func.sum(case((t, 1), else_=0)).label(f"extra_{i}") for i, t in enumerate(tests)]

    row = session.execute(summary(values, _dialect(session), bucket_counts)).first()
    counts = [int(getattr(row, f"extra_{i}") or 0) if row else 0 for i in range(len(edges) + 1)]
    if row is None:
        return cycle_of(None, counts)
    return cycle_of((int(row.size), row.mean, row.p50, row.p85), counts)


def cycle_of(found: Summary | None, counts: list[int]) -> CycleTime:
    """Cycle time from its summary (None: no card finished) and each bucket's cards."""
    buckets = [(_bucket_label(i), n) for i, n in enumerate(counts)]
    if found is None:
        return CycleTime(0, None, None, buckets)
    size, _mean, p50, p85 = found
    return CycleTime(size, rounded_hours(p50), rounded_hours(p85), buckets)


def aging(session: Session, scope: Scope, scoped: CTE) -> tuple[list[AgingCard], int]:
    """The oldest open cards (at most AGING_LIMIT) and how many are open in all."""
    is_open = scoped.c.current_step_id.not_in(scope.final_step_ids)
    hours = hours_between(scoped.c.step_entered_at, when("now", scope.now))
    query = (
        select(scoped, hours.label("hours"))
        .where(is_open)
        .order_by(scoped.c.step_entered_at, scoped.c.id)
        .limit(AGING_LIMIT)
    )
    cards = [
        aging_card(row, row.hours)
        for row in session.execute(query)
        if row.current_step_id is not None
    ]
    total = session.execute(select(func.count()).select_from(scoped).where(is_open)).scalar_one()
    return cards, int(total)


def aging_card(row: Any, hours: float) -> AgingCard:
    """A row of scoped_projects as an aging card, ``hours`` on its step."""
    return AgingCard(
        row.id,
        row.entity_id,
        row.entity_type,
        row.name,
        row.current_step_id,
        row.step_entered_at,
        rounded_hours(hours),
    )


def transitions(session: Session, scope: Scope) -> list[TransitionCount]:
    query = (
        select(_history.c.from_step_id, _history.c.to_step_id, func.count())
        .where(
            in_range(_history.c.changed_at, scope),
            _history.c.kind == "move",
            _history.c.from_step_id.in_([step.id for step in scope.graph.steps]),
            _history.c.to_step_id.is_not(None),
            owned_by_scope(scope, _history.c.wfm_project_id),
        )
        .group_by(_history.c.from_step_id, _history.c.to_step_id)
    )
    return transitions_of(scope, [(a, b, int(n)) for a, b, n in session.execute(query)])


def transitions_of(
    scope: Scope, counted: list[tuple[uuid.UUID, uuid.UUID, int]]
) -> list[TransitionCount]:
    """(from step, to step, moves) in the workflow's order, rework marked."""
    order = {step.id: step.step_order for step in scope.graph.steps}
    found = [TransitionCount(a, b, n, order.get(b, 0) < order.get(a, 0)) for a, b, n in counted]
    return sorted(found, key=lambda t: (order.get(t.from_step_id, 0), order.get(t.to_step_id, 0)))
