"""Read-mostly definitions (workflow graphs, project types), cached per process.

Writers call ``mark_changed``: the cache is emptied once their transaction commits,
and until then that transaction reads around the cache, so a rolled-back change is
never cached. A generation counter stops a load that raced a write from being kept.
Entries also expire (``WFM_DEFINITIONS_CACHE_SECONDS``) because other processes may
write; the database, not this cache, has the last word on every move.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from wfm_app.db import UnitOfWork, current_unit_of_work, unit_of_work
from wfm_app.engine import convert, registry
from wfm_app.engine.branches import stored as stored_branches
from wfm_app.engine.models import ProjectType, Status, Workflow, WorkflowStep, WorkflowTransition
from wfm_app.engine.schemas import ProjectTypeRead, StepRead, WorkflowGraph
from wfm_app.errors import NotFound
from wfm_app.observability import batching, metrics
from wfm_app.settings import settings
from wfm_app.tenancy import current_org_id

T = TypeVar("T")

_lock = threading.Lock()
_generation = 0
# Each organization's definitions apart: a workflow's id asked for in another organization
# is not found (the database says so) rather than served from here.
_graphs: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, WorkflowGraph]] = {}
_project_types: dict[uuid.UUID, tuple[float, dict[uuid.UUID, ProjectTypeRead]]] = {}
_others: dict[tuple[uuid.UUID, str, str], tuple[float, Any]] = {}  # other modules' definitions


def generation() -> int:
    """Counts this process's invalidations: a worker process that answers for it drops its
    own cache when the count it is handed differs (api/graphql/worker.py)."""
    return _generation


def invalidate() -> None:
    global _generation
    with _lock:
        _generation += 1
        _graphs.clear()
        _others.clear()
        _project_types.clear()


DEFINITIONS_CHANNEL = "wfm_definitions"


def mark_changed(uow: UnitOfWork) -> None:
    """Call from any service that writes a definition table. Other app processes hear of
    it too on PostgreSQL (a NOTIFY delivered on commit; ui/live.py listens) and drop
    their caches at once instead of serving stale graphs until they expire."""
    if not uow.definitions_changed:
        uow.definitions_changed = True
        uow.after_commit(invalidate)
        if uow.session.get_bind().dialect.name == "postgresql":
            uow.session.execute(sa_select(func.pg_notify(DEFINITIONS_CHANNEL, "")))


_HITS = batching.tally(metrics.DEFINITIONS_CACHE, "hit")
_MISSES = batching.tally(metrics.DEFINITIONS_CACHE, "miss")


def _cached(
    lookup: Callable[[], tuple[float, T] | None],
    load: Callable[[Session], T],
    store: Callable[[float, T], None],
) -> T:
    uow = current_unit_of_work()
    if uow is not None and uow.definitions_changed:
        return load(uow.session)
    hit = lookup()
    if hit is not None and hit[0] > time.monotonic():
        _HITS.bump()
        return hit[1]
    _MISSES.bump()
    generation = _generation
    with unit_of_work() as reader:
        value = load(reader.session)
    with _lock:
        if generation == _generation:
            store(time.monotonic() + settings.definitions_cache_seconds, value)
    return value


def cached(kind: str, key: str, load: Callable[[Session], T]) -> T:
    """Another read-mostly definition (custom fields, ...), cached and invalidated like
    the rest: its writers call ``mark_changed`` too."""

    where = (current_org_id(), kind, key)

    def store(expires: float, value: T) -> None:
        _others[where] = (expires, value)

    return _cached(lambda: _others.get(where), load, store)


def kinds_on(workflow_id: uuid.UUID) -> list[registry.EntityDescription]:
    """The entity kinds riding on a workflow (through the project types defaulting to it)."""
    names = [t.name for t in project_types().values() if t.default_workflow_id == workflow_id]
    return registry.kinds_using(names)


def load_graph(session: Session, workflow_id: uuid.UUID) -> WorkflowGraph:
    workflow = session.get(Workflow, workflow_id)
    if workflow is None:
        raise NotFound(f"Workflow {workflow_id} does not exist.")
    step_rows = session.exec(
        select(WorkflowStep, Status)
        .join(Status, col(Status.id) == col(WorkflowStep.status_id))
        .where(WorkflowStep.workflow_id == workflow_id)
        .order_by(col(WorkflowStep.step_order))
    ).all()
    transition_rows = session.exec(
        select(WorkflowTransition).where(WorkflowTransition.workflow_id == workflow_id)
    ).all()
    return WorkflowGraph(
        workflow=convert.workflow_read(workflow),
        steps=tuple(convert.step_read(step, status) for step, status in step_rows),
        transitions=tuple(convert.transition_read(row) for row in transition_rows),
        branches=stored_branches.load_all(session, workflow_id),
    )


def graph(workflow_id: uuid.UUID) -> WorkflowGraph:
    """The workflow with its steps and transitions; raises NotFound."""

    where = (current_org_id(), workflow_id)

    def store(expires: float, value: WorkflowGraph) -> None:
        _graphs[where] = (expires, value)

    return _cached(
        lambda: _graphs.get(where),
        lambda session: load_graph(session, workflow_id),
        store,
    )


def steps_by_name(graph: WorkflowGraph) -> dict[str, StepRead]:
    """A workflow's steps by the names another system may use for them: the step's own
    name or its status's, in lower case (an import's step column, an event's status)."""
    steps = {}
    for step in graph.steps:
        steps[step.status.name.lower()] = step
        steps[step.display_name.lower()] = step
    return steps


def _load_project_types(session: Session) -> dict[uuid.UUID, ProjectTypeRead]:
    rows = session.exec(select(ProjectType)).all()
    return {row.id: convert.project_type_read(row) for row in rows}


def project_types() -> dict[uuid.UUID, ProjectTypeRead]:
    """Every project type, archived ones included, by id."""

    org = current_org_id()

    def store(expires: float, value: dict[uuid.UUID, ProjectTypeRead]) -> None:
        _project_types[org] = (expires, value)

    return _cached(lambda: _project_types.get(org), _load_project_types, store)


def project_type_by_name(name: str) -> ProjectTypeRead:
    for project_type in project_types().values():
        if project_type.name == name:
            return project_type
    raise NotFound(f'There is no project type named "{name}".')
