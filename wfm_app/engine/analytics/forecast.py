"""Forecasts from a workflow's own throughput: Monte Carlo over its finished cards per day.

The history is each day's count of cards reaching a final step over a window (the last
90 days by default) in the viewer's scope (members: their own work). A trial draws one of
those days at random (with replacement, numpy's seeded generator, so a test repeats) for
every future day. "When will N cards be done" answers the day by which 50 / 85 / 95 % of
10,000 trials had finished N; "how many by date D" answers the count that many trials
reached at least. Too little history (under 14 days, or nothing finished) gives a
sentence instead of numbers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine.analytics.scope import Scope, resolve, scoped_projects, stays
from wfm_app.engine.analytics.sql import utc_day
from wfm_app.errors import ValidationFailed

TRIALS = 10_000
PERCENTS = (50, 85, 95)
DEFAULT_WINDOW_DAYS = 90
MIN_WINDOW_DAYS, MAX_WINDOW_DAYS = 14, 730
HORIZON_DAYS = 3 * 366  # beyond this a trial counts as "not within three years"
MAX_CARDS = 100_000
MAX_CARD_IDS = 1_000
BLOCK_DAYS = 64  # days drawn at once per trial: numpy's work, not Python's loop


@dataclass(frozen=True)
class Forecast:
    window_start: date
    window_end: date  # the last day of history used
    finished_in_window: int
    cards: int  # how many open cards "when" is about
    done_by: list[tuple[int, date | None]]  # (percent, date; None: not within three years)
    by_date: date | None
    done_by_date: list[tuple[int, int]]  # (percent, at least this many done by by_date)
    note: str  # why there are no numbers, or ""


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: message})


def _daily_throughput(session: Session, scope: Scope) -> list[int]:
    """Cards that reached a final step on each day of the scope's range (zeros included)."""
    began = stays(scope, entered_in_range=True)
    day = utc_day(began.c.entered_at)
    query = select(day, func.count()).where(began.c.step_id.in_(scope.final_step_ids))
    counted = {d: int(n) for d, n in session.execute(query.group_by(day))}
    first, days = scope.start.date(), (scope.end - scope.start).days
    return [counted.get((first + timedelta(days=n)).isoformat(), 0) for n in range(days)]


def _first_card_day(session: Session, scope: Scope) -> datetime | None:
    """Midnight (UTC) of the day the scope's first card was created."""
    scoped = scoped_projects(scope)
    first = session.execute(select(func.min(scoped.c.created_at))).scalar_one()
    if first is None:
        return None
    return datetime.combine(first.date(), datetime.min.time(), scope.now.tzinfo)


def _open_cards(
    session: Session,
    scope: Scope,
    step_id: uuid.UUID | None,
    card_ids: list[uuid.UUID] | None,
) -> int:
    scoped = scoped_projects(scope)
    where: list[Any] = [scoped.c.current_step_id.not_in(scope.final_step_ids)]
    if step_id is not None:
        where.append(scoped.c.current_step_id == step_id)
    if card_ids is not None:  # projects or the cards (entities) they belong to
        where.append(scoped.c.id.in_(card_ids) | scoped.c.entity_id.in_(card_ids))
    total = session.execute(select(func.count()).select_from(scoped).where(*where))
    return int(total.scalar_one())


def _when(history: np.ndarray, cards: int, rng: np.random.Generator) -> list[int | None]:
    """Days until ``cards`` are done, per percent (None: not within the horizon). Drawn a
    block of days at a time (a cumulative sum per trial) for the trials still running."""
    finished_on = np.full(TRIALS, HORIZON_DAYS + 1, dtype=np.int64)
    done = np.zeros(TRIALS, dtype=np.int64)
    running = np.arange(TRIALS)
    first_day = 0
    while running.size and first_day < HORIZON_DAYS:
        days = min(BLOCK_DAYS, HORIZON_DAYS - first_day)
        drawn = rng.choice(history, size=(running.size, days))
        totals = done[running, None] + np.cumsum(drawn, axis=1)
        reached = totals >= cards
        hit = reached.any(axis=1)
        finished_on[running[hit]] = first_day + reached[hit].argmax(axis=1) + 1
        done[running] = totals[:, -1]
        running = running[~hit]
        first_day += days
    days_needed = [int(np.percentile(finished_on, p, method="higher")) for p in PERCENTS]
    return [d if d <= HORIZON_DAYS else None for d in days_needed]


def _how_many(history: np.ndarray, days: int, rng: np.random.Generator) -> list[int]:
    """At least this many done in ``days``, in 50 / 85 / 95 % of trials."""
    totals = np.zeros(TRIALS, dtype=np.int64)
    for first_day in range(0, days, BLOCK_DAYS):
        block = min(BLOCK_DAYS, days - first_day)
        totals += rng.choice(history, size=(TRIALS, block)).sum(axis=1)
    return [int(np.percentile(totals, 100 - p, method="lower")) for p in PERCENTS]


def forecast(
    actor: Actor | None,
    workflow_id: uuid.UUID,
    *,
    cards: int | None = None,
    step_id: uuid.UUID | None = None,
    card_ids: list[uuid.UUID] | None = None,
    by_date: date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    owner_id: uuid.UUID | None = None,
    seed: int = 0,
    now: datetime | None = None,
) -> Forecast:
    """When the open cards (or ``cards`` of them, a step's, a chosen set) will be done, and
    how many will be done by ``by_date``."""
    if not MIN_WINDOW_DAYS <= window_days <= MAX_WINDOW_DAYS:
        raise _invalid("windowDays", f"windowDays must be {MIN_WINDOW_DAYS} to {MAX_WINDOW_DAYS}.")
    if cards is not None and not 1 <= cards <= MAX_CARDS:
        raise _invalid("cards", f"cards must be 1 to {MAX_CARDS:,}.")
    if card_ids is not None and not 1 <= len(card_ids) <= MAX_CARD_IDS:
        raise _invalid("cardIds", f"cardIds must list 1 to {MAX_CARD_IDS:,} cards.")
    if not 0 <= seed <= 2**32 - 1:
        raise _invalid("seed", "seed must be 0 to 4294967295.")
    probe = resolve(actor, workflow_id, owner_id=owner_id, now=now)
    today = probe.now.date()
    if by_date is not None and not today < by_date <= today + timedelta(days=HORIZON_DAYS):
        raise _invalid("byDate", "byDate must be after today and within three years.")
    if step_id is not None and probe.graph.step(step_id) is None:
        raise _invalid("stepId", "stepId is not a step of this workflow.")
    midnight = datetime.combine(today, datetime.min.time(), probe.now.tzinfo)
    with unit_of_work() as uow:
        # days before the first card are no history: they would only add zeros
        first = _first_card_day(uow.session, probe)
        start = max(midnight - timedelta(days=window_days), first or midnight)
        scope = (
            resolve(actor, workflow_id, start, midnight, owner_id, probe.now)
            if (start < midnight)
            else None
        )
        history = _daily_throughput(uow.session, scope) if scope else []
        open_now = _open_cards(uow.session, scope or probe, step_id, card_ids)
    asked = cards if cards is not None else open_now
    finished = sum(history)
    window = (start.date(), (midnight - timedelta(days=1)).date())
    if len(history) < MIN_WINDOW_DAYS:
        note = (
            f"Only {len(history)} day(s) of history (since {start.date()}): a forecast "
            f"needs at least {MIN_WINDOW_DAYS}."
        )
        return Forecast(*window, finished, asked, [], by_date, [], note)
    if finished == 0:
        note = (
            f"No card reached a final step from {window[0]} to {window[1]}: there is no "
            "throughput to forecast from."
        )
        return Forecast(*window, 0, asked, [], by_date, [], note)
    rng = np.random.default_rng(seed)
    sample = np.array(history, dtype=np.int64)
    when = _when(sample, asked, rng) if asked > 0 else [0, 0, 0]
    done_by = [
        (p, today + timedelta(days=d) if d is not None else None)
        for p, d in zip(PERCENTS, when, strict=True)
    ]
    how_many = (
        list(zip(PERCENTS, _how_many(sample, (by_date - today).days, rng), strict=True))
        if by_date is not None
        else []
    )
    return Forecast(*window, finished, asked, done_by, by_date, how_many, "")
