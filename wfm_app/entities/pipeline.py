"""The sales headline a manager sees on the home page: open and weighted pipeline, what
was won this month, and how long deals take to close (everyone's deals, per currency)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, case, func, select

from wfm_app.auth.actor import READ_ANY_PROJECT, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import analytics, step_settings
from wfm_app.engine.access import require_permission
from wfm_app.engine.models import WfmProject, WfmProjectHistory, WorkflowStep
from wfm_app.entities import deals
from wfm_app.sqltypes import UtcDateTime, table_of, utc_now

CLOSE_WINDOW_DAYS = 90  # "time to close" over deals finished in the last this many days

_projects = table_of(WfmProject)
_history = table_of(WfmProjectHistory)
_steps = table_of(WorkflowStep)
_deals = table_of(deals.Deal)


@dataclass(frozen=True)
class CurrencyFigures:
    currency: str
    open_pipeline: Decimal
    weighted_pipeline: Decimal
    won_this_month: Decimal
    won_deals: int


@dataclass(frozen=True)
class Headline:
    by_currency: list[CurrencyFigures]
    median_hours_to_close: float | None  # creation to a final step, the default workflow


def headline(actor: Actor | None, now: datetime | None = None) -> Headline:
    viewer = require_permission(actor, READ_ANY_PROJECT, "see everyone's pipeline")
    now = now or utc_now()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    probability = _steps.c.metadata[deals.service.kind.description.probability_key]
    amount = func.coalesce(_deals.c.amount, 0)
    is_open = _steps.c.is_final_step.is_(False)
    open_figures = (
        select(
            _deals.c.currency,
            func.sum(case((is_open, amount), else_=0)),
            func.sum(
                case((is_open, amount * func.coalesce(probability.as_float(), 0) / 100), else_=0)
            ),
        )
        .join(_projects, _projects.c.id == _deals.c.wfm_project_id)
        .join(_steps, _steps.c.id == _projects.c.current_step_id)
        .group_by(_deals.c.currency)
    )
    won_steps = select(_steps.c.id).where(
        _steps.c.metadata[step_settings.OUTCOME].as_string() == "WON"
    )
    won_lately = select(_history.c.wfm_project_id).where(
        _history.c.to_step_id.in_(won_steps),
        _history.c.changed_at >= bindparam("month_start", month_start, type_=UtcDateTime),
    )
    won = (
        select(_deals.c.currency, func.sum(amount), func.count())
        .where(_deals.c.wfm_project_id.in_(won_lately))
        .group_by(_deals.c.currency)
    )
    with unit_of_work() as uow:
        pipeline = {
            c: (Decimal(o or 0), Decimal(w or 0)) for c, o, w in uow.session.execute(open_figures)
        }
        closed = {c: (Decimal(s or 0), int(n)) for c, s, n in uow.session.execute(won)}
    figures = [
        CurrencyFigures(
            currency,
            pipeline.get(currency, (Decimal(0), Decimal(0)))[0],
            pipeline.get(currency, (Decimal(0), Decimal(0)))[1],
            closed.get(currency, (Decimal(0), 0))[0],
            closed.get(currency, (Decimal(0), 0))[1],
        )
        for currency in sorted(set(pipeline) | set(closed))
    ]
    workflow = deals.service.default_workflow_id(viewer)
    start = now - timedelta(days=CLOSE_WINDOW_DAYS)
    cycle = analytics.of(viewer, workflow, start.astimezone(UTC), now, now=now).cycle_time
    return Headline(figures, cycle.p50_hours)
