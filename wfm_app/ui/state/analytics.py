"""/analytics: a workflow's charts for a date range (and, for managers, one owner).

The figures take up to a few hundred milliseconds at scale, so they are computed in a
background task, in a thread, while the page shows that it is working; filters keep
their values when the service refuses them."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import reflex as rx

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.engine import access, analytics, workflows
from wfm_app.engine.analytics import forecast
from wfm_app.engine.analytics.scope import DEFAULT_DAYS
from wfm_app.entities import deals
from wfm_app.errors import ValidationFailed, WfmError
from wfm_app.sqltypes import utc_now
from wfm_app.ui.state.adapters import as_uuid, people_options
from wfm_app.ui.state.analytics_views import AnalyticsView, MatrixRow, build
from wfm_app.ui.state.session import SessionState

CHART_FILES = {
    "time_in_step": "time-in-step",
    "funnel": "funnel",
    "cumulative_flow": "cumulative-flow",
    "throughput": "throughput",
    "cycle_time": "cycle-time",
    "aging": "aging-work",
    "transitions": "transitions",
}


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            f"{field} is not a date.", {field: "Pick a date (YYYY-MM-DD)."}
        ) from None


def compute(
    actor: Actor | None, workflow_id: str, start: str, end: str, owner_id: str, forecast_by: str
) -> AnalyticsView:
    """The figures for the page's filters (``end`` inclusive, as the page says), and the
    forecast to ``forecast_by`` (from the last 90 days, whatever the range)."""
    workflow = as_uuid(workflow_id)
    if workflow is None:
        raise ValidationFailed("Pick a workflow.", {"workflow": "Pick a workflow."})
    first, last = _day(start, "from"), _day(end, "to")
    report = analytics.of(
        actor,
        workflow,
        datetime.combine(first, datetime.min.time(), UTC),
        datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC),
        as_uuid(owner_id) if owner_id else None,
    )
    ahead = forecast.forecast(
        actor,
        workflow,
        by_date=_day(forecast_by, "forecast_by") if forecast_by else None,
        owner_id=as_uuid(owner_id) if owner_id else None,
    )
    return build(report, ahead)


class AnalyticsState(SessionState):
    workflow_options: list[dict[str, str]] = []
    workflow_id: str = ""
    start: str = ""
    end: str = ""
    owner_options: list[dict[str, str]] = []
    owner_id: str = ""
    can_pick_owner: bool = False
    working: bool = False
    loaded: bool = False
    error: str = ""
    errors: dict[str, str] = {}
    # the charts and their tables
    time_in_step: list[dict[str, Any]] = []
    in_days: bool = False  # time in step shown in days rather than hours
    funnel: list[dict[str, Any]] = []
    flow: list[dict[str, Any]] = []
    flow_series: list[dict[str, str]] = []
    throughput: list[dict[str, Any]] = []
    cycle: list[dict[str, Any]] = []
    cycle_summary: str = ""
    aging: list[dict[str, str]] = []
    open_cards: int = 0
    step_names: list[str] = []
    matrix: list[MatrixRow] = []
    bottlenecks: list[str] = []
    compared_with: str = ""
    forecast_by: str = ""  # "how many by" this day (30 days ahead until changed)
    forecast_lines: list[str] = []
    _csv: dict[str, str] = {}

    @rx.var
    def time_in_step_shown(self) -> list[dict[str, Any]]:
        """Time in step in the chosen unit: days are calendar days (24 h); business hours
        stay hours, a working day's length being the calendar's."""
        if not self.in_days:
            return self.time_in_step
        return [
            row
            if row["unit"] != "hours"
            else row
            | {key: round(row[key] / 24, 1) for key in ("median", "p85", "mean")}
            | {"unit": "days"}
            for row in self.time_in_step
        ]

    @rx.event
    def set_in_days(self, value: str) -> None:
        self.in_days = value == "days"

    @rx.event
    def load(self) -> Any:
        actor, leave = self._gate(READ_PROJECTS)
        if actor is None:
            return leave
        self.workflow_options = [
            {"value": str(w.id), "label": w.name} for w in workflows.get_all(actor)
        ]
        if not self.workflow_id:
            self.workflow_id = str(deals.service.default_workflow_id(actor))
        today = utc_now().date()
        self.end = self.end or today.isoformat()
        self.forecast_by = self.forecast_by or (today + timedelta(days=30)).isoformat()
        self.start = self.start or (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
        self.can_pick_owner = access.sees_everyones(actor)
        if self.can_pick_owner:
            self.owner_options = people_options(actor)
        return AnalyticsState.refresh

    @rx.event
    def set_workflow_id(self, value: str) -> Any:
        self.workflow_id = value
        return AnalyticsState.refresh

    @rx.event
    def set_start(self, value: str) -> Any:
        self.start = value
        return AnalyticsState.refresh

    @rx.event
    def set_end(self, value: str) -> Any:
        self.end = value
        return AnalyticsState.refresh

    @rx.event
    def set_forecast_by(self, value: str) -> Any:
        self.forecast_by = value[:10]
        return AnalyticsState.refresh

    @rx.event
    def set_owner_id(self, value: str) -> Any:
        self.owner_id = value
        return AnalyticsState.refresh

    @rx.event(background=True)
    async def refresh(self) -> None:
        async with self:
            actor = self._actor()
            filters = self._filters()
            self.working = True
        try:
            view: AnalyticsView | None = await asyncio.to_thread(compute, actor, *filters)
            error, errors = "", {}
        except WfmError as refused:
            view, error = None, refused.message
            errors = refused.field_errors if isinstance(refused, ValidationFailed) else {}
        async with self:
            if self._filters() != filters:
                return  # the filters changed meanwhile: a later refresh shows those
            self.working = False
            self.error, self.errors = error, errors
            if view is not None:
                self._show(view)

    def _filters(self) -> tuple[str, str, str, str, str]:
        return (self.workflow_id, self.start, self.end, self.owner_id, self.forecast_by)

    def _show(self, view: AnalyticsView) -> None:
        self.time_in_step, self.funnel = view.time_in_step, view.funnel
        self.flow, self.flow_series = view.flow, view.flow_series
        self.throughput, self.cycle = view.throughput, view.cycle
        self.cycle_summary = view.cycle_summary
        self.aging, self.open_cards = view.aging, view.open_cards
        self.step_names, self.matrix = view.step_names, view.matrix
        self.bottlenecks, self.compared_with = view.bottlenecks, view.compared_with
        self.forecast_lines = view.forecast_lines
        self._csv = view.csv
        self.loaded = True

    @rx.event
    def download(self, chart: str) -> Any:
        if chart not in CHART_FILES or chart not in self._csv:
            return None
        return rx.download(
            data=self._csv[chart],
            filename=f"{CHART_FILES[chart]}-{self.start}-to-{self.end}.csv",
            mime_type="text/csv",
        )
