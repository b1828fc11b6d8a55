"""Analytics from the move history: ``analytics.of(actor, workflow_id, ...)`` checks
access once and returns an ``Analytics`` whose charts are computed when asked for, each
in its own read (the page asks for all of them, a GraphQL query for those it names).

On PostgreSQL a chart reads the workflow's frame (frame.py: its stays in memory, brought
up to date from the change feed at each read) with numpy (frame_charts.py); on the
embedded SQLite file, or with WFM_ANALYTICS_FRAMES=0, it aggregates the history in SQL
(charts.py). Both give the same figures."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TypeVar

from sqlalchemy import text
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine.analytics import bottlenecks, charts, cores, frame, frame_charts
from wfm_app.engine.analytics.bottlenecks import Bottleneck
from wfm_app.engine.analytics.charts import (
    AgingCard,
    CycleTime,
    FlowDay,
    FunnelStep,
    StepTime,
    TransitionCount,
    WeekThroughput,
)
from wfm_app.engine.analytics.frame_charts import View
from wfm_app.engine.analytics.scope import Scope, resolve, scoped_projects
from wfm_app.settings import settings

T = TypeVar("T")
WORK_MEM = "64MB"

__all__ = [
    "AgingCard",
    "Analytics",
    "Bottleneck",
    "CycleTime",
    "FlowDay",
    "FunnelStep",
    "Scope",
    "StepTime",
    "TransitionCount",
    "WeekThroughput",
    "of",
]


class Analytics:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def _read(
        self,
        chart: Callable[[Session], T],
        from_frame: Callable[[Session, View], T] | None = None,
    ) -> T:
        with unit_of_work() as uow:
            if uow.session.get_bind().dialect.name == "postgresql":
                # Sorts and hashes over a range's stays fit in memory, not temporary files.
                uow.session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
                if from_frame is not None and settings.analytics_frames:
                    rows = frame.snapshot(uow.session, self.scope.graph)
                    return from_frame(uow.session, frame_charts.view(uow.session, self.scope, rows))
            return chart(uow.session)

    @cached_property
    def time_in_step(self) -> list[StepTime]:
        return self._read(lambda s: charts.time_in_step(s, self.scope), frame_charts.time_in_step)

    @cached_property
    def funnel(self) -> list[FunnelStep]:
        return self._read(
            lambda s: charts.funnel(s, self.scope), lambda _s, v: frame_charts.funnel(v)
        )

    @cached_property
    def cumulative_flow(self) -> list[FlowDay]:
        return self._read(
            lambda s: charts.cumulative_flow(s, self.scope),
            lambda _s, v: frame_charts.cumulative_flow(v),
        )

    @cached_property
    def throughput(self) -> list[WeekThroughput]:
        return self._read(
            lambda s: charts.throughput(s, self.scope), lambda _s, v: frame_charts.throughput(v)
        )

    @cached_property
    def cycle_time(self) -> CycleTime:
        return self._read(
            lambda s: charts.cycle_time(s, self.scope), lambda _s, v: frame_charts.cycle_time(v)
        )

    @cached_property
    def _aging(self) -> tuple[list[AgingCard], int]:
        return self._read(
            lambda s: charts.aging(s, self.scope, scoped_projects(self.scope)),
            frame_charts.aging,
        )

    @property
    def aging(self) -> list[AgingCard]:
        return self._aging[0]

    @property
    def open_cards(self) -> int:
        return self._aging[1]

    @cached_property
    def transitions(self) -> list[TransitionCount]:
        return self._read(
            lambda s: charts.transitions(s, self.scope), lambda _s, v: frame_charts.transitions(v)
        )

    @cached_property
    def bottlenecks(self) -> list[Bottleneck]:
        """Steps that grew slower or fuller than in the previous period of this length."""
        return self._read(lambda s: bottlenecks.bottlenecks(s, self.scope), _bottlenecks)


def _bottlenecks(session: Session, view: View) -> list[Bottleneck]:
    scope = view.scope
    before = bottlenecks.previous_period(scope)
    times, times_before = frame_charts.time_in_step_and_before(session, view, before)
    # the two queues side by side, after the percentiles (which use both cores)
    queues = cores.each(
        lambda moment: frame_charts.queue_at(view, moment), [scope.start, min(scope.end, scope.now)]
    )
    return bottlenecks.worded(scope, times, times_before, *queues)


def of(
    actor: Actor | None,
    workflow_id: uuid.UUID,
    start: datetime | None = None,
    end: datetime | None = None,
    owner_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Analytics:
    """Members see their own work only; managers and admins anyone's or everyone's."""
    return Analytics(resolve(actor, workflow_id, start, end, owner_id, now))
