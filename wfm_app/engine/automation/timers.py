"""Time in a step: rotting and SLA badges (step metadata ``rotting_days``, Pipedrive's
name, and ``sla_hours``) and the ``time_in_step_exceeded`` trigger.

The worker scans for cards past a rule's time whose current stay (identified by when it
began, ``step_entered_at``) has no fire recorded yet, so a rule fires once per stay, and
a worker that was down catches up on its first scan. The fire is recorded with
``INSERT ... ON CONFLICT DO NOTHING`` in the same transaction as the rule's actions: two
workers never both fire it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, exists, false, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, durations, step_settings
from wfm_app.engine.automation import runner
from wfm_app.engine.automation.config import RuleRead
from wfm_app.engine.automation.models import AutomationTimerFire
from wfm_app.engine.automation.rule_admin import timed_rules
from wfm_app.engine.calendars import store as calendars
from wfm_app.engine.models import WfmProject
from wfm_app.engine.schemas import StepRead, WorkflowGraph
from wfm_app.errors import WfmError
from wfm_app.sqltypes import table_of, utc_now

log = logging.getLogger(__name__)

_projects: Table = table_of(WfmProject)
_fires: Table = table_of(AutomationTimerFire)
MAX_ROTTING_DAYS = 3650
MAX_SLA_HOURS = 24 * 3650


def _cutoffs(step: StepRead, now: datetime) -> list[tuple[datetime, str]]:
    """For each time limit of the step: the latest entry still past it by ``now``, and
    its badge's name. The SLA counts working time where the step has a calendar."""
    settings = step_settings.of(step)
    found = []
    if settings.sla_hours:
        calendar = calendars.of_step(step)
        if calendar is None:
            found.append((now - timedelta(hours=settings.sla_hours), "SLA breached"))
        else:
            found.append((calendar[1].latest_start(now, settings.sla_hours), "SLA breached"))
    if settings.rotting_days:
        found.append((now - timedelta(days=settings.rotting_days), "Rotting"))
    return found


def overdue_label(step: StepRead | None, entered_at: datetime, now: datetime) -> str:
    """'Rotting · 16 days', 'SLA breached · 1 d 6 h' (``durations.in_words``) or, on a
    business calendar, 'SLA breached · 12 business hours' (time in the step), or ''."""
    if step is None:
        return ""
    passed = [(cutoff, name) for cutoff, name in _cutoffs(step, now) if entered_at <= cutoff]
    if not passed:
        return ""
    if max(passed)[1] == "Rotting":  # the limit passed first names the badge
        return f"Rotting · {durations.in_words((now - entered_at).total_seconds())}"
    calendar = calendars.of_step(step)
    if calendar is None:
        return f"SLA breached · {durations.in_words((now - entered_at).total_seconds())}"
    worked = calendar[1].working_seconds(entered_at, now)
    return f"SLA breached · {int(worked // 3600)} business hours"


def overdue_only(graph: WorkflowGraph, now: datetime) -> Any:
    """A filter for cards past their step's rotting or SLA time (false if none has one)."""
    clauses = [
        and_(
            _projects.c.current_step_id == step.id,
            _projects.c.step_entered_at <= max(cutoff for cutoff, _ in cutoffs),
        )
        for step in graph.steps
        if (cutoffs := _cutoffs(step, now))
    ]
    return or_(*clauses) if clauses else false()


def _record_fire(session: Session, rule_id: uuid.UUID, project_id: uuid.UUID, at: datetime) -> bool:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(_fires)
        .values(rule_id=rule_id, wfm_project_id=project_id, step_entered_at=at, fired_at=utc_now())
        .on_conflict_do_nothing()
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def _fire(rule: RuleRead, project_id: uuid.UUID, entered_at: datetime) -> bool:
    try:
        with unit_of_work() as uow:
            current = uow.session.execute(
                select(_projects.c.current_step_id, _projects.c.step_entered_at)
                .where(_projects.c.id == project_id, _projects.c.is_active.is_(True))
                .with_for_update()
            ).first()
            still_there = current is not None and tuple(current) == (
                rule.workflow_step_id,
                entered_at,
            )
            if not still_there or not _record_fire(uow.session, rule.id, project_id, entered_at):
                return False
            runner.timer_fired(uow.session, rule, project_id)
        return True
    except WfmError as error:
        # The action failed and rolled back: record that, once, instead of retrying the
        # same failure on every scan.
        log.warning('Timer rule "%s" failed on %s: %s', rule.name, project_id, error.message)
        with unit_of_work() as uow:
            if _record_fire(uow.session, rule.id, project_id, entered_at):
                runner.record_failure(uow.session, rule, project_id, error.message)
        return False


def _due(rule: RuleRead, now: datetime) -> list[Any]:
    """What makes a card due for ``rule``: on its step, active, past the rule's time in
    this stay, and not fired yet for this stay."""
    hours = float(rule.trigger_config["after_hours"])
    step = definitions.graph(rule.workflow_id).step(rule.workflow_step_id)
    calendar = calendars.of_step(step)
    cutoff = (
        now - timedelta(hours=hours) if calendar is None else calendar[1].latest_start(now, hours)
    )
    already = exists().where(
        _fires.c.rule_id == rule.id,
        _fires.c.wfm_project_id == _projects.c.id,
        _fires.c.step_entered_at == _projects.c.step_entered_at,
    )
    return [
        _projects.c.current_step_id == rule.workflow_step_id,
        _projects.c.is_active.is_(True),
        _projects.c.step_entered_at <= cutoff,
        ~already,
    ]


def scan(batch: int = 500) -> int:
    """Fire every timer rule whose time has come; how many fired."""
    fired = 0
    now = utc_now()
    for rule in timed_rules(Actor.automation()):
        with unit_of_work() as uow:
            due = uow.session.execute(
                select(_projects.c.id, _projects.c.step_entered_at)
                .where(*_due(rule, now))
                .order_by(_projects.c.step_entered_at)
                .limit(batch)
            ).all()
        fired += sum(_fire(rule, project_id, entered) for project_id, entered in due)
    return fired


def due_count() -> int:
    """How many timers are due and not fired yet (the worker fires them on its next
    scan; a count that stays up means no worker scans)."""
    now = utc_now()
    total = 0
    for rule in timed_rules(Actor.automation()):
        with unit_of_work() as uow:
            total += uow.session.execute(
                select(func.count()).select_from(_projects).where(*_due(rule, now))
            ).scalar_one()
    return total
