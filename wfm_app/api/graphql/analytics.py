"""``wfmAnalytics``: the analytics page's figures over GraphQL, checked like the page
(members their own work, managers anyone's). Each field computes its own chart, so a
query pays only for what it asks."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import strawberry

from wfm_app.api.graphql.common import actor_of, id_of
from wfm_app.api.graphql.types import GqlInfo, WFMProject, WFMWorkflowStep, _step
from wfm_app.engine import analytics, projects


def _step_of(report: analytics.Analytics, step_id: uuid.UUID) -> WFMWorkflowStep:
    step = _step(report.scope.graph.id, step_id)
    assert step is not None  # every figure is per step of this workflow
    return step


@strawberry.type(name="WFMStepTime")
class WFMStepTime:
    step: WFMWorkflowStep
    count: int
    mean_hours: float
    median_hours: float
    p85_hours: float
    business_hours: bool = strawberry.field(
        description="The hours are working hours on the step's business calendar."
    )


@strawberry.type(name="WFMFunnelStep")
class WFMFunnelStep:
    step: WFMWorkflowStep
    entered: int
    reached_next: int = strawberry.field(
        description="Later entered a step further down (not a LOST one)."
    )
    reached_won: int = strawberry.field(description="Later reached a step whose outcome is WON.")


@strawberry.type(name="WFMStepCount")
class WFMStepCount:
    step: WFMWorkflowStep
    count: int


@strawberry.type(name="WFMFlowDay")
class WFMFlowDay:
    day: date
    counts: list[WFMStepCount]


@strawberry.type(name="WFMWeekThroughput")
class WFMWeekThroughput:
    week_start: date
    finished: int


@strawberry.type(name="WFMCycleTime")
class WFMCycleTime:
    count: int
    p50: float | None
    p85: float | None


@strawberry.type(name="WFMAgingCard")
class WFMAgingCard:
    project: WFMProject
    step: WFMWorkflowStep
    hours_in_step: float


@strawberry.type(name="WFMTransitionCount")
class WFMTransitionCount:
    from_step: WFMWorkflowStep
    to_step: WFMWorkflowStep
    count: int
    backwards: bool


@strawberry.type(name="WFMBottleneck")
class WFMBottleneck:
    step: WFMWorkflowStep
    sentence: str = strawberry.field(
        description='In words: "Proposal: 85th percentile 9.0 days, up from 4.5."'
    )
    p85_days: float | None
    previous_p85_days: float | None
    queue: int = strawberry.field(description="Cards in the step at the end of the range.")
    previous_queue: int


@strawberry.type(name="WFMAnalytics")
class WFMAnalytics:
    _report: strawberry.Private[analytics.Analytics]

    @strawberry.field
    def time_in_step(self) -> list[WFMStepTime]:
        r = self._report
        return [
            WFMStepTime(
                step=_step_of(r, t.step_id),
                count=t.count,
                mean_hours=t.mean_hours,
                median_hours=t.median_hours,
                p85_hours=t.p85_hours,
                business_hours=t.business_hours,
            )
            for t in r.time_in_step
        ]

    @strawberry.field
    def funnel(self) -> list[WFMFunnelStep]:
        r = self._report
        return [
            WFMFunnelStep(
                step=_step_of(r, f.step_id),
                entered=f.entered,
                reached_next=f.reached_next,
                reached_won=f.reached_won,
            )
            for f in r.funnel
        ]

    @strawberry.field
    def cumulative_flow(self) -> list[WFMFlowDay]:
        r = self._report
        return [
            WFMFlowDay(
                day=d.day,
                counts=[WFMStepCount(step=_step_of(r, s), count=n) for s, n in d.counts],
            )
            for d in r.cumulative_flow
        ]

    @strawberry.field
    def throughput(self) -> list[WFMWeekThroughput]:
        return [
            WFMWeekThroughput(week_start=w.week_start, finished=w.finished)
            for w in self._report.throughput
        ]

    @strawberry.field(description="Hours from a card's creation to its first final step.")
    def cycle_time_hours(self) -> WFMCycleTime:
        cycle = self._report.cycle_time
        return WFMCycleTime(count=cycle.count, p50=cycle.p50_hours, p85=cycle.p85_hours)

    @strawberry.field(description="Open cards, the longest in their step first (at most 50).")
    def aging(self, info: GqlInfo) -> list[WFMAgingCard]:
        r = self._report
        found = projects.get_many(actor_of(info), [card.project_id for card in r.aging])
        return [
            WFMAgingCard(
                project=WFMProject(_read=found[card.project_id]),
                step=_step_of(r, card.step_id),
                hours_in_step=card.hours_in_step,
            )
            for card in r.aging
            if card.project_id in found
        ]

    @strawberry.field
    def transitions(self) -> list[WFMTransitionCount]:
        r = self._report
        return [
            WFMTransitionCount(
                from_step=_step_of(r, t.from_step_id),
                to_step=_step_of(r, t.to_step_id),
                count=t.count,
                backwards=t.backwards,
            )
            for t in r.transitions
        ]

    @strawberry.field(
        description="The steps whose time in step (85th percentile) or queue grew most "
        "against the previous period of the same length (read over both periods)."
    )
    def bottlenecks(self) -> list[WFMBottleneck]:
        r = self._report
        return [
            WFMBottleneck(
                step=_step_of(r, b.step_id),
                sentence=b.sentence,
                p85_days=b.p85_days,
                previous_p85_days=b.previous_p85_days,
                queue=b.queue,
                previous_queue=b.previous_queue,
            )
            for b in r.bottlenecks
        ]


@strawberry.type
class AnalyticsQueries:
    @strawberry.field(name="wfmAnalytics")
    def wfm_analytics(
        self,
        info: GqlInfo,
        workflow_id: strawberry.ID,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        owner_id: strawberry.ID | None = None,
    ) -> WFMAnalytics:
        owner = id_of(owner_id, "owner") if owner_id is not None else None
        report = analytics.of(actor_of(info), id_of(workflow_id, "workflow"), from_, to, owner)
        return WFMAnalytics(_report=report)
