"""Time in step in business hours, for the steps that count time on a business calendar
(engine/calendars): each stay's working time from its calendar, then the same summary
as the SQL one (mean, and percentiles interpolated like PostgreSQL's percentile_cont)."""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlmodel import Session

from wfm_app.engine.calendars import store as calendars
from wfm_app.engine.calendars.working_time import WorkingCalendar
from wfm_app.engine.schemas import WorkflowGraph


def counted_steps(graph: WorkflowGraph) -> dict[uuid.UUID, WorkingCalendar]:
    """The workflow's steps that count time on a calendar, and the calendar."""
    return {
        step.id: found[1] for step in graph.steps if (found := calendars.of_step(step)) is not None
    }


def summaries(
    session: Session, began: Any, until: Any, counted: dict[uuid.UUID, WorkingCalendar]
) -> dict[uuid.UUID, tuple[int, float, float, float]]:
    """Per counted step with stays: count, mean, median and 85th percentile in working
    hours. ``began`` is the stays subquery, ``until`` when each ended (or now)."""
    hours: dict[uuid.UUID, list[float]] = {}
    query = select(began.c.step_id, began.c.entered_at, until).where(
        began.c.step_id.in_(list(counted))
    )
    for step_id, entered_at, left_at in session.execute(query):
        seconds = counted[step_id].working_seconds(entered_at, left_at)
        hours.setdefault(step_id, []).append(seconds / 3600)
    found = {}
    for step_id, values in hours.items():
        p50, p85 = np.percentile(values, [50, 85])  # linear, as percentile_cont
        found[step_id] = (len(values), float(np.mean(values)), float(p50), float(p85))
    return found
