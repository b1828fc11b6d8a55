"""The charts of charts.py computed from a workflow's frame (frame.py) with numpy: the
same definitions, row for row (charts.py states them), the same rounding, so either way
gives the same figures. Each chart masks the frame's rows the way scope.stays filters
the history (stays that began in the range, since its start, going on at its start,
ended in it) and counts with bincount: no sort but the percentiles' partitions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, literal_column, select
from sqlmodel import Session

from wfm_app.engine import ownership
from wfm_app.engine.analytics import card_ids, charts, cores, percentiles
from wfm_app.engine.analytics.charts import (
    AGING_LIMIT,
    CYCLE_BUCKETS,
    WINNING,
    AgingCard,
    CycleTime,
    FlowDay,
    FunnelStep,
    StepTime,
    Summary,
    TransitionCount,
    WeekThroughput,
)
from wfm_app.engine.analytics.frame import (
    CURRENT,
    MOVE,
    NO_TIME,
    STILL_THERE,
    Snapshot,
    as_microseconds,
)
from wfm_app.engine.analytics.scope import Scope, scoped_projects

DAY = 86_400_000_000  # microseconds


@dataclass(frozen=True)
class View:
    """A frame's rows for one request: the scope, its times in microseconds, which rows
    are the scope's (alive, and the owner's cards when it names one) and which of those
    are stays on the workflow's steps (finished moves and current ones)."""

    scope: Scope
    rows: Snapshot
    mine: np.ndarray  # per row
    stays: np.ndarray  # per row
    start: int
    end: int
    now: int

    def entered_between(self, start: int, end: int | None) -> np.ndarray:
        entered = self.rows.entered
        began = self.stays & (entered >= start)  # NO_TIME is before any start
        return began & (entered < end) if end is not None else began

    def open_at(self, moment: int) -> np.ndarray:
        r = self.rows
        return self.stays & (r.entered != NO_TIME) & (r.entered < moment) & (r.left >= moment)

    def on_steps(self, column: np.ndarray, step_ids: list[uuid.UUID]) -> np.ndarray:
        """Rows whose ``column`` (step or to_step) is one of ``step_ids``: one comparison
        each, which beats np.isin's sort or table by far on ten million rows."""
        found = np.zeros(len(column), dtype=np.bool_)
        for step_id in step_ids:
            found |= column == self.rows.steps.index(step_id)
        return found


def view(session: Session, scope: Scope, rows: Snapshot) -> View:
    mine = rows.alive.copy()
    if scope.owner_id is not None:
        mine &= _owned(session, scope.owner_id, rows)[rows.project]
    return View(
        scope,
        rows,
        mine,
        mine & rows.stay,
        as_microseconds(scope.start),
        as_microseconds(scope.end),
        as_microseconds(scope.now),
    )


def _owned(session: Session, owner_id: uuid.UUID, rows: Snapshot) -> np.ndarray:
    """Per project index of the frame: whether it is the owner's work (their cards are
    read from the entity tables' owner and assignee indexes)."""
    flags = np.zeros(rows.projects, dtype=np.bool_)
    owned = ownership.owned_projects(owner_id)
    if owned is None:
        return flags
    ids = owned.subquery("owned").c.project_id  # as one bytea: no row objects per card
    sent = func.string_agg(func.uuid_send(ids), literal_column("''::bytea"))
    theirs = np.frombuffer(session.execute(select(sent)).scalar_one() or b"", "V16")
    later = rows.project_ids[len(rows.sorted_high) : rows.projects]
    flags[card_ids.indexes_of(theirs, rows.sorted_high, rows.sorted_low, later)] = True
    return flags


def _summaries(v: View, began: np.ndarray, groups: np.ndarray, count: int) -> dict[int, Summary]:
    """percentiles.grouped over how long the ``began`` rows' stays lasted (a current
    one: until now); ``groups`` is per row of the frame and may be changed in place."""
    kind, left, entered = v.rows.kind, v.rows.left, v.rows.entered
    short = np.count_nonzero(began) * 2 < len(began)
    if short:  # a short range: copy its rows out; most rows: mark the others below
        rows = np.flatnonzero(began)
        kind, left, entered, groups = kind[rows], left[rows], entered[rows], groups[rows]
    micros = np.empty(len(kind), dtype=np.int64)

    def lengths(part: slice) -> None:  # in place, over half the rows on each core
        micros[part] = np.where(kind[part] == CURRENT, v.now, left[part])
        micros[part] -= entered[part]
        if not short:
            outside = ~began[part]
            micros[part][outside] = 0
            groups[part][outside] = count

    cores.each(lengths, cores.halves(len(micros)))
    return percentiles.grouped(groups, micros, count)


def time_in_step(session: Session, v: View) -> list[StepTime]:
    r = v.rows
    began = v.entered_between(v.start, v.end)
    found = _summaries(v, began, r.step.copy(), r.workflow_steps)
    named = {r.steps[g]: summary for g, summary in found.items()}
    return charts.times_of(session, v.scope, named)


def time_in_step_and_before(
    session: Session, v: View, before: Scope
) -> tuple[list[StepTime], list[StepTime]]:
    """Time in step of the view's range and of the ``before`` range ending at its start,
    from one pass (bottlenecks compare the two)."""
    r = v.rows
    began = v.entered_between(as_microseconds(before.start), v.end)
    width = r.workflow_steps
    groups = r.step + np.int16(width) * (r.entered >= v.start)
    found = _summaries(v, began, groups, 2 * width)
    earlier = {r.steps[g]: x for g, x in found.items() if g < width}
    later = {r.steps[g - width]: x for g, x in found.items() if g >= width}
    return charts.times_of(session, v.scope, later), charts.times_of(session, before, earlier)


def _cards_by_step(v: View, cells: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """A (step, card) matrix: True where one of ``rows`` is that card's stay on that
    step (``cells``: each row's step * cards + card). A step's cards are contiguous, so
    counting them per step reads memory in order."""
    marked = np.zeros(v.rows.workflow_steps * v.rows.projects, dtype=np.bool_)
    marked[cells[rows]] = True
    return marked.reshape(v.rows.workflow_steps, v.rows.projects)


def funnel(v: View) -> list[FunnelStep]:
    r, steps = v.rows, v.scope.graph.steps
    order = np.array([s.step_order for s in steps], dtype=np.int64)
    lost = [s.id for s in steps if v.scope.outcome_of(s.id) == "LOST"]
    won = [s.id for s in steps if v.scope.outcome_of(s.id) in WINNING]
    cells = r.step.astype(np.int64)
    cells *= r.projects
    cells += r.project
    since = v.entered_between(v.start, None)
    # the steps each card reached, on the second core, beside the steps entered in range
    reaching = cores.alongside(_cards_by_step, v, cells, since & ~v.on_steps(r.step, lost))
    entered = _cards_by_step(v, cells, v.entered_between(v.start, v.end))  # distinct
    winner = np.zeros(r.projects, dtype=np.bool_)
    winner[r.project[since & v.on_steps(r.step, won)]] = True
    reached = reaching.result()
    furthest = np.full(r.projects, np.iinfo(np.int64).min, dtype=np.int64)
    for i in np.argsort(order, kind="stable"):  # further steps overwrite nearer ones
        furthest[reached[i]] = order[i]
    further = furthest[None, :] > order[:, None]
    counts = np.count_nonzero(entered, axis=1)
    nexts = np.count_nonzero(entered & further, axis=1)
    wins = np.count_nonzero(entered & winner[None, :], axis=1)
    return [
        FunnelStep(step.id, int(counts[i]), int(nexts[i]), int(wins[i]))
        for i, step in enumerate(steps)
    ]


def _per_day(v: View, rows: np.ndarray, times: np.ndarray) -> dict[tuple[int, str], int]:
    """Counts of ``rows`` by (step index, UTC day of ``times``)."""
    if not rows.any():
        return {}
    days = times[rows] // DAY
    first = int(days.min())
    span = int(days.max()) - first + 1
    keys = v.rows.step[rows].astype(np.int64) * span + (days - first)
    counted = np.bincount(keys, minlength=v.rows.workflow_steps * span)
    epoch = date(1970, 1, 1)
    return {
        (int(k) // span, (epoch + timedelta(days=first + int(k) % span)).isoformat()): int(n)
        for k in np.flatnonzero(counted)
        if (n := counted[k])
    }


def cumulative_flow(v: View) -> list[FlowDay]:
    r = v.rows
    ended = v.stays & (r.kind == MOVE) & (r.left >= v.start) & (r.left < v.end)
    # numpy lets go of the GIL in these passes: the exits are counted on a second core
    exits = cores.alongside(_per_day, v, ended, r.left)
    entries = _per_day(v, v.entered_between(v.start, v.end), r.entered)
    going = v.open_at(v.start)
    level_counts = np.bincount(r.step[going], minlength=r.workflow_steps)
    level = {r.steps[i]: int(n) for i, n in enumerate(level_counts) if n}
    change: dict[tuple[uuid.UUID, str], int] = {}
    for sign, counted in ((1, entries), (-1, exits.result())):
        for (step, day), n in counted.items():
            key = (r.steps[step], day)
            change[key] = change.get(key, 0) + sign * n
    return charts.flow_of(v.scope, level, change)


def throughput(v: View) -> list[WeekThroughput]:
    finals = v.on_steps(v.rows.step, v.scope.final_step_ids)
    finished = v.entered_between(v.start, v.end) & finals
    per_day: dict[str, int] = {}
    for (_step, day), n in _per_day(v, finished, v.rows.entered).items():
        per_day[day] = per_day.get(day, 0) + n
    return charts.weeks_of(v.scope, per_day)


def cycle_time(v: View) -> CycleTime:
    r = v.rows
    onto_final = v.on_steps(r.to_step, v.scope.final_step_ids) & v.rows.alive
    mine = v.mine & onto_final
    earlier = np.zeros(r.projects, dtype=np.bool_)  # any earlier row onto a final step
    earlier[r.project[onto_final & (r.left < v.start)]] = True
    done_rows = mine & (r.kind == MOVE) & (r.left >= v.start) & (r.left < v.end)
    done_rows &= ~earlier[r.project]
    done_at = np.full(r.projects, STILL_THERE, dtype=np.int64)
    np.minimum.at(done_at, r.project[done_rows], r.left[done_rows])
    finished = np.flatnonzero((done_at != STILL_THERE) & (r.created != NO_TIME))
    if not len(finished):
        return charts.cycle_of(None, [0] * (len(CYCLE_BUCKETS) + 1))
    micros = done_at[finished] - r.created[finished]
    hours = percentiles.hours(micros.astype(np.float64))
    edges = np.array([days * 24 for days in CYCLE_BUCKETS], dtype=np.float64)
    counts = np.bincount(np.searchsorted(edges, hours, side="right"), minlength=len(edges) + 1)
    summary = percentiles.grouped(np.zeros(len(micros), dtype=np.int16), micros, 1)[0]
    return charts.cycle_of(summary, [int(n) for n in counts])


def transitions(v: View) -> list[TransitionCount]:
    r = v.rows
    moved = v.stays & (r.kind == MOVE) & (r.to_step >= 0) & (r.left >= v.start) & (r.left < v.end)
    width = len(r.steps)
    pairs = r.step[moved].astype(np.int64) * width + r.to_step[moved]
    counted = np.bincount(pairs, minlength=width * width)
    found = [
        (r.steps[int(k) // width], r.steps[int(k) % width], int(counted[k]))
        for k in np.flatnonzero(counted)
    ]
    return charts.transitions_of(v.scope, found)


def aging(session: Session, v: View) -> tuple[list[AgingCard], int]:
    """The oldest open cards (at most AGING_LIMIT) and how many are open in all; only
    the oldest cards' names are read from the database."""
    r = v.rows
    finals = v.on_steps(r.step, v.scope.final_step_ids)
    rows = np.flatnonzero(v.stays & (r.kind == CURRENT) & ~finals)
    total = len(rows)
    if total > AGING_LIMIT:  # those entered no later than the 50th: ties are sorted below
        cutoff = np.partition(r.entered[rows], AGING_LIMIT - 1)[AGING_LIMIT - 1]
        rows = rows[r.entered[rows] <= cutoff]
    ids = [uuid.UUID(bytes=r.project_ids[i]) for i in r.project[rows]]
    oldest = sorted(zip(r.entered[rows].tolist(), ids, strict=True))[:AGING_LIMIT]
    chosen = [project_id for _entered, project_id in oldest]
    scoped = scoped_projects(v.scope, chosen)
    found = {row.id: row for row in session.execute(select(scoped))}
    cards = []
    for project_id in chosen:
        row = found.get(project_id)
        if row is not None:
            waited = (v.scope.now - row.step_entered_at) / timedelta(microseconds=1)
            cards.append(charts.aging_card(row, percentiles.hours(waited)))
    return cards, total


def queue_at(v: View, moment: Any) -> dict[uuid.UUID, int]:
    """Cards on each step at ``moment`` (bottlenecks' queues)."""
    going = v.open_at(as_microseconds(moment))
    counts = np.bincount(v.rows.step[going], minlength=v.rows.workflow_steps)
    return {v.rows.steps[i]: int(n) for i, n in enumerate(counts) if n}
