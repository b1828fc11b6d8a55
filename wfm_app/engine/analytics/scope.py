"""Whose work, which workflow, which dates: an analytics request checked once, and the
SQL it turns into (the projects in scope and their stays in steps).

A *stay* is a card's time on one step: it begins when the card enters the step (a move,
or its creation for the first step) and ends at its next move, or is still going. Every
history row records the stay it ended (``from_entered_at`` .. ``changed_at``), so stays
are read without pairing rows up.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, bindparam, cast, false, func, null, select, true, union_all
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import CTE, Subquery

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.engine import definitions, ownership, step_settings
from wfm_app.engine.access import require_permission, sees_everyones
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.errors import Forbidden, ValidationFailed
from wfm_app.sqltypes import UtcDateTime, table_of, utc_now

DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366  # a range longer than this is refused (and the charts would be unreadable)

_projects = table_of(WfmProject)
_history = table_of(WfmProjectHistory)


@dataclass(frozen=True)
class Scope:
    """A checked request: the workflow, [start, end), whose cards (None: everyone's the
    viewer may see), and the moment "now" (current stays run until it)."""

    graph: WorkflowGraph
    start: datetime
    end: datetime
    owner_id: uuid.UUID | None
    now: datetime

    @property
    def final_step_ids(self) -> list[uuid.UUID]:
        return [step.id for step in self.graph.steps if step.is_final_step]

    def outcome_of(self, step_id: uuid.UUID) -> str:
        return step_settings.of(self.graph.step(step_id)).outcome


def resolve(
    actor: Actor | None,
    workflow_id: uuid.UUID,
    start: datetime | None = None,
    end: datetime | None = None,
    owner_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Scope:
    """Check who may see what: members see their own work only (asking for someone
    else's is refused), managers and admins anyone's or everyone's."""
    viewer = require_permission(actor, READ_PROJECTS, "see analytics")
    if not sees_everyones(viewer):
        if owner_id is not None and owner_id != viewer.user_id:
            raise Forbidden("You may see analytics of your own work only.")
        owner_id = viewer.user_id
    now = now or utc_now()
    end = _aware(end, "to") if end else now
    start = _aware(start, "from") if start else end - timedelta(days=DEFAULT_DAYS)
    if start >= end:
        raise ValidationFailed(
            "The range must start before it ends.", {"from": "Pick a day before the end."}
        )
    if end - start > timedelta(days=MAX_DAYS):
        raise ValidationFailed(
            f"The range may span at most {MAX_DAYS} days.",
            {"from": f"Pick a start within {MAX_DAYS} days of the end."},
        )
    graph = definitions.graph(workflow_id)  # NotFound for an unknown workflow
    return Scope(graph=graph, start=start, end=end, owner_id=owner_id, now=now)


def _aware(value: datetime, field: str) -> datetime:
    if value.year < 2000 or value.year > 2200:
        raise ValidationFailed(
            f"{field} must be between the years 2000 and 2200.", {field: "Pick a real date."}
        )
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def when(name: str, value: datetime) -> BindParameter[datetime]:
    return bindparam(name, value, type_=UtcDateTime)


def scoped_projects(scope: Scope, only: list[uuid.UUID] | None = None) -> CTE:
    """The projects on the workflow whose owner is in scope, with their entity:
    id, current_step_id, created_at, step_entered_at, name (the entity's), entity_id,
    entity_type; only the ``only`` projects when given. (Given, the filter is also put
    on each entity table: PostgreSQL joins the union of them to a few projects by index
    only if no branch filters on organization, which the tenant scope adds, so it read
    all 1 M deals for the 50 oldest cards' names: 220-360 ms.)"""
    owned = ownership.owned_projects(scope.owner_id, only)
    columns = [
        _projects.c.id,
        _projects.c.current_step_id,
        _projects.c.created_at,
        _projects.c.step_entered_at,
    ]
    query: Select[Any]
    if owned is None:
        nothing = (null().label("entity_id"), null().label("entity_type"))
        query = select(*columns, _projects.c.name, *nothing)
    else:
        owned = owned.subquery("owned")
        link = owned.c.project_id == _projects.c.id
        # Everyone's: projects with no entity too; one owner's: theirs only.
        name = func.coalesce(owned.c.entity_name, _projects.c.name).label("name")
        query = select(*columns, name, owned.c.entity_id, owned.c.entity_type).join_from(
            _projects, owned, link, isouter=scope.owner_id is None
        )
    chosen = true() if only is None else _projects.c.id.in_(only)
    return query.where(_projects.c.workflow_id == scope.graph.id, chosen).cte("scoped")


def owned_by_scope(scope: Scope, project_id: Any) -> Any:
    """A filter on a project id column: the scope's owner's projects (true for everyone's:
    the steps of the workflow already scope rows to it)."""
    return true() if scope.owner_id is None else ownership.owned_by(scope.owner_id, project_id)


def in_range(column: Any, scope: Scope) -> Any:
    return and_(column >= when("range_start", scope.start), column < when("range_end", scope.end))


def stays(
    scope: Scope,
    *,
    entered_in_range: bool = False,
    entered_since_start: bool = False,
    open_at_start: bool = False,
    left_in_range: bool = False,
) -> Subquery:
    """project_id, step_id, entered_at, left_at (NULL: still there): the stays on the
    workflow's steps in scope. Each history row is a finished stay in the step it left;
    each project's current step is the stay it is in now. The flags narrow them in each
    branch, where the indexes on the history's times can serve them: stays that began
    in the range, that began after it starts, that were going on when it starts, that
    ended in it."""
    step_ids = [step.id for step in scope.graph.steps]
    start = when("range_start", scope.start)
    finished_where = [
        _history.c.kind == "move",  # a migration ends no stay
        _history.c.from_step_id.in_(step_ids),
        owned_by_scope(scope, _history.c.wfm_project_id),
    ]
    current_where = [
        _projects.c.current_step_id.in_(step_ids),
        owned_by_scope(scope, _projects.c.id),
    ]
    if entered_in_range:
        finished_where.append(in_range(_history.c.from_entered_at, scope))
        current_where.append(in_range(_projects.c.step_entered_at, scope))
    if entered_since_start:
        finished_where.append(_history.c.from_entered_at >= start)
        current_where.append(_projects.c.step_entered_at >= start)
    if open_at_start:
        finished_where += [_history.c.from_entered_at < start, _history.c.changed_at >= start]
        current_where.append(_projects.c.step_entered_at < start)
    if left_in_range:
        finished_where.append(in_range(_history.c.changed_at, scope))
        current_where.append(false())
    finished = select(
        _history.c.wfm_project_id.label("project_id"),
        _history.c.from_step_id.label("step_id"),
        _history.c.from_entered_at.label("entered_at"),
        _history.c.changed_at.label("left_at"),
    ).where(*finished_where)
    current = select(
        _projects.c.id,
        _projects.c.current_step_id,
        _projects.c.step_entered_at,
        cast(null(), UtcDateTime).label("left_at"),
    ).where(*current_where)
    return union_all(finished, current).subquery("stays")
