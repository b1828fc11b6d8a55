"""Series read from the database when ``/metrics`` is scraped: the outbox and the timers
due (every organization's, added up) and the spec's business figures per workflow, each
organization read in its own transactions (row-level security holds the reader as it
holds anyone).
Read at most every ``OUTBOX_SECONDS`` / ``BUSINESS_SECONDS`` however often Prometheus
asks, and at most ``MAX_WORKFLOWS`` workflows (the most cards first): bounded labels."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy import func, select
from sqlmodel import col

from wfm_app import organizations
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions
from wfm_app.engine.analytics import charts, scope
from wfm_app.engine.automation import timers
from wfm_app.engine.automation.models import WebhookDelivery
from wfm_app.engine.models import WfmProject, WfmProjectHistory, Workflow
from wfm_app.observability import metrics
from wfm_app.sqltypes import table_of, utc_now
from wfm_app.tenancy import acting_in

OUTBOX_SECONDS = 15.0
BUSINESS_SECONDS = 60.0
MAX_WORKFLOWS = 100
STEP_DAYS = 30  # time in step: stays that began in the last 30 days

_deliveries = table_of(WebhookDelivery)
_projects = table_of(WfmProject)
_history = table_of(WfmProjectHistory)
_workflows = table_of(Workflow)


@dataclass(frozen=True)
class Outbox:
    pending: int
    oldest_age_seconds: float
    failed: int


@dataclass(frozen=True)
class WorkflowFigures:
    org: str
    workflow: str
    open_cards: int
    completed_cards: int
    moves_last_day: int
    hours_in_step: dict[str, float]  # mean hours, by step name


def outbox_of_current() -> Outbox:
    """The organization the work acts in: its pending and given-up deliveries."""
    with unit_of_work() as uow:
        row = uow.session.execute(
            select(
                func.count().filter(_deliveries.c.status == "pending"),
                func.min(_deliveries.c.created_at).filter(_deliveries.c.status == "pending"),
                func.count().filter(_deliveries.c.status == "failed"),
            )
        ).one()
    oldest = row[1]
    age = (utc_now() - oldest).total_seconds() if oldest is not None else 0.0
    return Outbox(int(row[0]), max(0.0, age), int(row[2]))


def outbox() -> Outbox:
    """Every organization's outbox added up (the oldest is the oldest of all)."""
    pending = failed = 0
    oldest = 0.0
    for org_id, _key in organizations.all_keyed():
        with acting_in(org_id):
            found = outbox_of_current()
        pending, failed = pending + found.pending, failed + found.failed
        oldest = max(oldest, found.oldest_age_seconds)
    return Outbox(pending, oldest, failed)


def timers_due() -> int:
    """Every organization's time-in-step rules due and not fired yet."""
    due = 0
    for org_id, _key in organizations.all_keyed():
        with acting_in(org_id):
            due += timers.due_count()
    return due


def _workflows_of_current(org_key: str, room: int) -> list[WorkflowFigures]:
    now = utc_now()
    with unit_of_work() as uow:
        session = uow.session
        cards = session.execute(
            select(
                _projects.c.workflow_id,
                func.count().filter(_projects.c.completed_at.is_(None)),
                func.count().filter(_projects.c.completed_at.is_not(None)),
            )
            .group_by(_projects.c.workflow_id)
            .order_by(func.count().desc())
            .limit(room)
        ).all()
        ids = [row[0] for row in cards]
        moved = dict(
            session.execute(
                select(_projects.c.workflow_id, func.count())
                .join(_history, _history.c.wfm_project_id == _projects.c.id)
                .where(
                    col(_projects.c.workflow_id).in_(ids),
                    _history.c.changed_at >= now - timedelta(days=1),
                )
                .group_by(_projects.c.workflow_id)
            ).all()
        )
        found = []
        for workflow_id, open_cards, completed in cards:
            graph = definitions.graph(workflow_id)
            window = scope.Scope(graph, now - timedelta(days=STEP_DAYS), now, None, now)
            names = {step.id: step.display_name for step in graph.steps}
            hours = {names[t.step_id]: t.mean_hours for t in charts.time_in_step(session, window)}
            found.append(
                WorkflowFigures(
                    org_key,
                    graph.workflow.name,
                    int(open_cards),
                    int(completed),
                    int(moved.get(workflow_id, 0)),
                    hours,
                )
            )
    return found


def business() -> list[WorkflowFigures]:
    found: list[WorkflowFigures] = []
    for org_id, key in organizations.all_keyed():
        room = MAX_WORKFLOWS - len(found)
        if room <= 0:
            break
        with acting_in(org_id):
            found += _workflows_of_current(key, room)
    return found


class _Kept:
    """A value read at most every ``seconds``; one reader at a time."""

    def __init__(self, seconds: float, read: Callable[[], Any]) -> None:
        self.seconds, self.read = seconds, read
        self.value: Any = None
        self.at = float("-inf")
        self.lock = threading.Lock()

    def get(self) -> Any:
        with self.lock:
            if time.monotonic() - self.at >= self.seconds:
                self.value, self.at = self.read(), time.monotonic()
            return self.value


_outbox = _Kept(OUTBOX_SECONDS, outbox)
_timers_due = _Kept(OUTBOX_SECONDS, timers_due)
_business = _Kept(BUSINESS_SECONDS, business)


def collect() -> Iterable[Metric]:
    box: Outbox = _outbox.get()
    yield GaugeMetricFamily(
        "wfm_outbox_pending", "Webhook deliveries waiting to be sent.", value=box.pending
    )
    yield GaugeMetricFamily(
        "wfm_outbox_oldest_age_seconds",
        "Age of the oldest delivery still waiting (0: none waits).",
        value=box.oldest_age_seconds,
    )
    yield GaugeMetricFamily(
        "wfm_outbox_failed", "Deliveries given up (an admin may retry them).", value=box.failed
    )
    yield GaugeMetricFamily(
        "wfm_timers_due",
        "Time-in-step rules due and not fired yet (the worker's next scan fires them).",
        value=_timers_due.get(),
    )
    cards = GaugeMetricFamily(
        "wfm_workflow_cards",
        "Cards by workflow: open or completed.",
        labels=["org", "workflow", "state"],
    )
    moves = GaugeMetricFamily(
        "wfm_workflow_moves_last_day",
        "Moves in the last 24 hours, by workflow.",
        labels=["org", "workflow"],
    )
    hours = GaugeMetricFamily(
        "wfm_workflow_step_mean_seconds",
        f"Mean time in each step of stays begun in the last {STEP_DAYS} days.",
        labels=["org", "workflow", "step"],
    )
    for found in _business.get():
        labels = [found.org, found.workflow]
        cards.add_metric([*labels, "open"], found.open_cards)
        cards.add_metric([*labels, "completed"], found.completed_cards)
        moves.add_metric(labels, found.moves_last_day)
        for step, mean in found.hours_in_step.items():
            hours.add_metric([*labels, step], mean * 3600)
    yield from (cards, moves, hours)


def install() -> None:
    metrics.add_scraped(collect)
