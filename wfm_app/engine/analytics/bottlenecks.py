"""Bottlenecks: the steps whose time in step (85th percentile) or queue grew most against
the previous period of the same length, said in words ("Proposal: 85th percentile 9.0
days, up from 4.5").

The 85th percentile compares stays that began in each period (the time-in-step chart's
definition, current stays counted until now); the queue is the cards in the step at the
end of each period (at the start of this one for the previous). Final steps are left
out: a card stays in them for good.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from wfm_app.engine.analytics import charts
from wfm_app.engine.analytics.scope import Scope, stays

P85_GROWTH = 1.25  # a 85th percentile at least a quarter longer is worth a word
MIN_STAYS = 3  # fewer stays in either period say nothing about a percentile
SHOWN = 3  # the steps that grew most


@dataclass(frozen=True)
class Bottleneck:
    step_id: uuid.UUID
    sentence: str  # "Proposal: 85th percentile 9.0 days, up from 4.5"
    p85_days: float | None
    previous_p85_days: float | None
    queue: int
    previous_queue: int


def previous_period(scope: Scope) -> Scope:
    """The period of the same length just before ``scope``'s."""
    length = scope.end - scope.start
    return dataclasses.replace(scope, start=scope.start - length, end=scope.start)


def _queue_at(session: Session, scope: Scope, moment: datetime) -> dict[uuid.UUID, int]:
    at = dataclasses.replace(scope, start=moment)
    going = stays(at, open_at_start=True)
    query = select(going.c.step_id, func.count()).group_by(going.c.step_id)
    return {step_id: int(count) for step_id, count in session.execute(query)}


def _days(hours: float) -> float:
    return round(hours / 24, 1)


def bottlenecks(session: Session, scope: Scope) -> list[Bottleneck]:
    return worded(
        scope,
        charts.time_in_step(session, scope),
        charts.time_in_step(session, previous_period(scope)),
        _queue_at(session, scope, scope.start),
        _queue_at(session, scope, min(scope.end, scope.now)),
    )


def worded(
    scope: Scope,
    times: list[charts.StepTime],
    times_before: list[charts.StepTime],
    queue_before: dict[uuid.UUID, int],
    queue_now: dict[uuid.UUID, int],
) -> list[Bottleneck]:
    """The steps that grew most, from both periods' time in step and the queues at the
    start and the end of this one."""
    now = {t.step_id: t for t in times}
    before = {t.step_id: t for t in times_before}
    found: list[tuple[float, Bottleneck]] = []
    for step in scope.graph.steps:
        if step.is_final_step:
            continue
        words, growth = [], 0.0
        this, last = now.get(step.id), before.get(step.id)
        if (
            this is not None
            and last is not None
            and min(this.count, last.count) >= MIN_STAYS
            and last.p85_hours > 0
        ):
            ratio = this.p85_hours / last.p85_hours
            if ratio >= P85_GROWTH and this.business_hours:
                words.append(
                    f"85th percentile {this.p85_hours:.1f} business hours, "
                    f"up from {last.p85_hours:.1f}"
                )
            elif ratio >= P85_GROWTH:
                words.append(
                    f"85th percentile {_days(this.p85_hours):.1f} days, "
                    f"up from {_days(last.p85_hours):.1f}"
                )
                growth = ratio - 1
        queued, queued_before = queue_now.get(step.id, 0), queue_before.get(step.id, 0)
        if queued > queued_before:
            noun = "card" if queued == 1 else "cards"
            words.append(f"queue {queued} {noun}, up from {queued_before}")
            growth = max(growth, (queued - queued_before) / max(queued_before, 1))
        if words:
            sentence = f"{step.display_name}: {'; '.join(words)}."
            found.append(
                (
                    growth,
                    Bottleneck(
                        step.id,
                        sentence,
                        _days(this.p85_hours) if this else None,
                        _days(last.p85_hours) if last else None,
                        queued,
                        queued_before,
                    ),
                )
            )
    found.sort(key=lambda pair: -pair[0])
    return [bottleneck for _growth, bottleneck in found[:SHOWN]]
