"""WFM projects: the workflow instance behind each entity (spec: wfmProjectService).

A move is checked and applied inside the caller's transaction: the project row is
locked (SELECT ... FOR UPDATE on PostgreSQL), the transition is checked against the
step it is really on, and the UPDATE compares-and-sets that step, so two people
moving the same card can never both win and no move skips validation.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, insert, select, update
from sqlmodel import Session, col

from wfm_app.auth.actor import (
    READ_ANY_PROJECT,
    READ_PROJECTS,
    UPDATE_PROJECTS,
    Actor,
)
from wfm_app.auth.models import User
from wfm_app.db import unit_of_work
from wfm_app.engine import access, convert, definitions, ownership, rules
from wfm_app.engine.access import require_permission
from wfm_app.engine.automation import runner
from wfm_app.engine.automation.events import Subject
from wfm_app.engine.branches import moves as branch_moves
from wfm_app.engine.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from wfm_app.engine.models import WfmProject, WfmProjectHistory, WorkflowTransition
from wfm_app.engine.schemas import (
    HistoryEntry,
    ProjectRead,
    WorkflowGraph,
)
from wfm_app.sqltypes import utc_now

_projects = WfmProject.__table__  # type: ignore[attr-defined]
_history = WfmProjectHistory.__table__  # type: ignore[attr-defined]
_transitions = WorkflowTransition.__table__  # type: ignore[attr-defined]

# Hot-path statements are built once and bound per call: building and cache-keying a
# statement costs more Python time than the round trip it makes.
_INSERT_PROJECT = insert(_projects)
_INSERT_HISTORY = insert(_history)
_LOCK_PROJECT = (
    select(
        _projects.c.id,
        _projects.c.workflow_id,
        _projects.c.current_step_id,
        _projects.c.is_active,
        _projects.c.step_entered_at,
    )
    .where(_projects.c.id == bindparam("project_id"))
    .with_for_update()
)
# Compare-and-set on the current step, and the transition must still exist in the
# database: a stale definitions cache can refuse a move, never let a bad one through.
_MOVE_PROJECT = (
    update(_projects)
    .where(
        _projects.c.id == bindparam("project_id"),
        _projects.c.current_step_id == bindparam("from_step"),
        exists().where(
            _transitions.c.id == bindparam("transition_id"),
            _transitions.c.from_step_id == bindparam("from_step"),
            _transitions.c.to_step_id == bindparam("to_step"),
        ),
    )
    .values(
        current_step_id=bindparam("to_step"),
        step_entered_at=bindparam("now"),
        completed_at=bindparam("completed_at"),
        completed_by_user_id=bindparam("completed_by"),
        updated_at=bindparam("now"),
        updated_by_user_id=bindparam("user_id"),
    )
)


@dataclass(frozen=True, slots=True)
class LockedProject:
    """The part of a project row a move needs, read under a row lock."""

    id: uuid.UUID
    workflow_id: uuid.UUID
    current_step_id: uuid.UUID | None
    is_active: bool
    step_entered_at: datetime


def start(
    session: Session,
    actor: Actor,
    *,
    project_type_id: uuid.UUID,
    name: str,
    description: str | None = None,
    workflow_id: uuid.UUID | None = None,
    metadata: dict[str, Any] | None = None,
) -> uuid.UUID:
    """Insert a project on its workflow's initial step, inside the caller's transaction."""
    project_type = definitions.project_types().get(project_type_id)
    if project_type is None:
        raise NotFound(f"Project type {project_type_id} does not exist.")
    if project_type.is_archived:
        raise ValidationFailed(
            f'Project type "{project_type.name}" is archived; new work cannot use it.',
            {"project_type_id": "This project type is archived."},
        )
    workflow_id = workflow_id or project_type.default_workflow_id
    if workflow_id is None:
        raise ValidationFailed(f'Project type "{project_type.name}" has no default workflow.')
    graph = definitions.graph(workflow_id)
    if graph.workflow.is_archived:
        raise ValidationFailed(
            f'Workflow "{graph.workflow.name}" is archived; new work cannot use it.'
        )
    initial = graph.initial_step
    if initial is None:
        raise ValidationFailed(f'Workflow "{graph.workflow.name}" has no initial step yet.')
    project_id = uuid.uuid4()
    now = utc_now()
    session.connection().execute(
        _INSERT_PROJECT,
        {
            "id": project_id,
            "project_type_id": project_type.id,
            "workflow_id": workflow_id,
            "current_step_id": initial.id,
            "name": name,
            "description": description,
            "is_active": True,
            "step_entered_at": now,
            "metadata": metadata,
            "created_by_user_id": actor.user_id,
            "updated_by_user_id": actor.user_id,
            "created_at": now,
            "updated_at": now,
        },
    )
    branch_moves.entered(session, graph, project_id, initial.id)
    return project_id


def _refuse(graph: WorkflowGraph, project: LockedProject, target_step_id: uuid.UUID) -> None:
    target = graph.step(target_step_id)
    if target is None:
        raise ValidationFailed(
            f'Step {target_step_id} is not part of workflow "{graph.workflow.name}".',
            {"target_step_id": "Pick a step of this project's workflow."},
        )
    current = graph.step(project.current_step_id) if project.current_step_id else None
    if current is None:
        raise InvalidTransition("This project is on no step, so it cannot move.")
    if current.id == target.id:
        raise InvalidTransition(f'It is already at "{current.display_name}".')
    allowed = [graph.step(t.to_step_id) for t in graph.allowed_from(current.id)]
    names = ", ".join(f'"{step.display_name}"' for step in allowed if step)
    options = f"it may move to {names}." if names else "it cannot move anywhere from there."
    raise InvalidTransition(
        f'No transition from "{current.display_name}" to "{target.display_name}"; {options}'
    )


def apply_move(
    session: Session,
    actor: Actor,
    project: LockedProject,
    target_step_id: uuid.UUID,
    *,
    expected_step_id: uuid.UUID | None = None,
    request: rules.MoveRequest | None = None,
    values: dict[str, Any] | None = None,
    load_subject: runner.SubjectLoader | None = None,
) -> Subject | None:
    """Validate and apply one move (transition, its conditions, the target's WIP limit),
    writing its history row, then run the automation rules it sets off, all in the
    caller's transaction. Access is the caller's job; ``values`` for the conditions are
    the entity's after the values given with the move. Returns the card as automation
    left it, if any rule ran (``load_subject``: how to read the card, see runner.moved)."""
    if not project.is_active:
        raise Conflict("This project is archived; it cannot move.")
    if expected_step_id is not None and project.current_step_id != expected_step_id:
        raise Conflict("Someone else moved it meanwhile; reload to see where it is now.")
    graph = definitions.graph(project.workflow_id)
    transition = (
        graph.transition(project.current_step_id, target_step_id)
        if project.current_step_id
        else None
    )
    if transition is None:
        _refuse(graph, project, target_step_id)
    assert transition is not None
    from_step, to_step = graph.step(transition.from_step_id), graph.step(transition.to_step_id)
    assert from_step is not None and to_step is not None
    request = request or rules.MoveRequest()
    if transition.conditions:
        labels = rules.field_labels(project.workflow_id)
        rules.check_conditions(actor, transition, values or {}, request, labels)
    branch_moves.check_gate(session, graph, project.id, from_step.id, to_step)
    rules.check_wip(session, actor, to_step, request)
    now = utc_now()
    finished = to_step.is_final_step
    connection = session.connection()
    moved = connection.execute(
        _MOVE_PROJECT,
        {
            "project_id": project.id,
            "from_step": from_step.id,
            "to_step": to_step.id,
            "transition_id": transition.id,
            "now": now,
            "completed_at": now if finished else None,
            "completed_by": actor.user_id if finished else None,
            "user_id": actor.user_id,
        },
    )
    if moved.rowcount != 1:
        # Our cached graph is older than the database (another process changed it).
        definitions.invalidate()
        raise Conflict("The workflow or the project changed meanwhile; reload and try again.")
    branch_moves.left(session, graph, project.id, from_step.id)
    branch_moves.entered(session, graph, project.id, to_step.id)
    history_id = uuid.uuid4()
    connection.execute(
        _INSERT_HISTORY,
        {
            "id": history_id,
            "wfm_project_id": project.id,
            "from_step_id": from_step.id,
            "to_step_id": to_step.id,
            "transition_id": transition.id,
            "changed_by_user_id": actor.user_id,
            "changed_at": now,
            "from_entered_at": project.step_entered_at,
            "comment": (request.comment or "").strip() or None,
            "move_values": request.values or None,
            "wip_override": request.override,
        },
    )
    return runner.moved(
        session,
        actor,
        project.id,
        project.workflow_id,
        from_step.id,
        to_step.id,
        history_id,
        load_subject,
    )


def lock(session: Session, project_id: uuid.UUID) -> LockedProject:
    row = session.connection().execute(_LOCK_PROJECT, {"project_id": project_id}).first()
    if row is None:
        raise NotFound(f"WFM project {project_id} does not exist.")
    return LockedProject(*row)


def _people(
    session: Session, actor: Actor, project_id: uuid.UUID
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The project's owner and assignee; not looked up for those who see everyone's."""
    if actor.can(READ_ANY_PROJECT):
        return actor.user_id, None
    return ownership.people_of(session, project_id)


def check_see(session: Session, actor: Actor, project_id: uuid.UUID) -> None:
    """NotFound unless the actor may see the card riding on the project."""
    owner, assignee = _people(session, actor, project_id)
    access.check_may_see(actor, owner, f"WFM project {project_id}", assignee)


def _check_change(session: Session, actor: Actor, project_id: uuid.UUID) -> None:
    owner, assignee = ownership.people_of(session, project_id)
    access.check_may_change(actor, owner, f"WFM project {project_id}", "project", assignee)


def get_by_id(actor: Actor | None, project_id: uuid.UUID) -> ProjectRead | None:
    actor = require_permission(actor, READ_PROJECTS, "read work in progress")
    with unit_of_work() as uow:
        row = uow.session.get(WfmProject, project_id)
        if row is None or not access.may_see(actor, *_people(uow.session, actor, project_id)):
            return None
        return convert.project_read(row)


def update_step(
    actor: Actor | None,
    project_id: uuid.UUID,
    target_step_id: uuid.UUID,
    *,
    expected_step_id: uuid.UUID | None = None,
) -> ProjectRead:
    """Move a project along one transition (spec: updateWFMProjectStep)."""
    actor = require_permission(actor, UPDATE_PROJECTS, "move work")
    with unit_of_work() as uow:
        locked = lock(uow.session, project_id)
        _check_change(uow.session, actor, project_id)
        apply_move(uow.session, actor, locked, target_step_id, expected_step_id=expected_step_id)
        row = uow.session.get_one(WfmProject, project_id, populate_existing=True)
        return convert.project_read(row)


def history(
    session: Session, project_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[HistoryEntry]]:
    """Moves of each project, oldest first, with who made each: one query for them all."""
    found: dict[uuid.UUID, list[HistoryEntry]] = {project_id: [] for project_id in project_ids}
    if not found:
        return found
    rows = session.execute(
        select(WfmProjectHistory, User.display_name)  # type: ignore[call-overload]
        .outerjoin(User, col(User.id) == WfmProjectHistory.changed_by_user_id)
        .where(col(WfmProjectHistory.wfm_project_id).in_(list(found)))
        .order_by(col(WfmProjectHistory.changed_at), col(WfmProjectHistory.id))
    ).all()
    for entry, name in rows:
        found[entry.wfm_project_id].append(
            HistoryEntry(
                id=entry.id,
                wfm_project_id=entry.wfm_project_id,
                from_step_id=entry.from_step_id,
                to_step_id=entry.to_step_id,
                transition_id=entry.transition_id,
                changed_by_user_id=entry.changed_by_user_id,
                changed_by_name=name,
                changed_at=entry.changed_at,
                comment=entry.comment,
                values=entry.move_values,
                override=entry.wip_override,
                kind=entry.kind,
            )
        )
    return found


def get_history(actor: Actor | None, project_id: uuid.UUID) -> list[HistoryEntry]:
    actor = require_permission(actor, READ_PROJECTS, "read work in progress")
    with unit_of_work() as uow:
        if uow.session.get(WfmProject, project_id) is None:
            raise NotFound(f"WFM project {project_id} does not exist.")
        check_see(uow.session, actor, project_id)
        return history(uow.session, [project_id])[project_id]


def set_active(actor: Actor | None, project_id: uuid.UUID, *, is_active: bool) -> ProjectRead:
    """Archive (``is_active=False``) or restore a project; archived projects do not move."""
    actor = require_permission(actor, UPDATE_PROJECTS, "archive work")
    with unit_of_work() as uow:
        lock(uow.session, project_id)
        _check_change(uow.session, actor, project_id)
        uow.session.execute(
            update(_projects)
            .where(_projects.c.id == project_id)
            .values(is_active=is_active, updated_at=utc_now(), updated_by_user_id=actor.user_id)
        )
        return convert.project_read(
            uow.session.get_one(WfmProject, project_id, populate_existing=True)
        )


def get_many(actor: Actor | None, project_ids: list[uuid.UUID]) -> dict[uuid.UUID, ProjectRead]:
    """Projects by id in one query (for batched API loading); invisible ones are left out."""
    actor = require_permission(actor, READ_PROJECTS, "read work in progress")
    if not project_ids:
        return {}
    with unit_of_work() as uow:
        rows = uow.session.scalars(
            select(WfmProject).where(col(WfmProject.id).in_(project_ids))
        ).all()
        found = {row.id: convert.project_read(row) for row in rows}
        if not actor.can(READ_ANY_PROJECT):
            owned = ownership.owned_among(uow.session, actor.user_id, list(found))
            found = {key: value for key, value in found.items() if key in owned}
        return found
