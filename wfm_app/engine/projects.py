"""WFM projects: the workflow instance behind each entity (spec: wfmProjectService):
started on their workflow's initial step and read; cards move through ``project_moves``
(the one move every path takes)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import (
    access,
    convert,
    definitions,
    ownership,
    rules,
    step_loads,
    step_settings,
)
from wfm_app.engine.access import require_permission
from wfm_app.engine.branches import moves as branch_moves
from wfm_app.engine.models import WfmProject, WorkflowTransition
from wfm_app.engine.schemas import (
    ProjectRead,
    StepRead,
    WorkflowGraph,
)
from wfm_app.errors import NotFound, ValidationFailed
from wfm_app.sqltypes import among, table_of, utc_now

_projects = table_of(WfmProject)
_transitions = table_of(WorkflowTransition)

# Built once (engine/project_moves.py says why).
_INSERT_PROJECT = insert(_projects)


def start(
    session: Session,
    actor: Actor,
    *,
    project_type_id: uuid.UUID,
    name: str,
    description: str | None = None,
    workflow_id: uuid.UUID | None = None,
    metadata: dict[str, Any] | None = None,
    step_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Insert a project on its workflow's initial step (or on the open ``step_id``: a
    card added to a column), inside the caller's transaction."""
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
    if graph.workflow.version_state == "draft":
        raise ValidationFailed(
            f'Workflow "{graph.workflow.name}" is a draft; publish it before cards start on it.',
            {"workflow_id": "Pick a published workflow."},
        )
    initial = graph.initial_step if step_id is None else _open_step(session, actor, graph, step_id)
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


def _open_step(
    session: Session, actor: Actor, graph: WorkflowGraph, step_id: uuid.UUID
) -> StepRead:
    """A step a new card may start on: one of the workflow's, open (not final, no
    outcome of its own), and with room under a blocking WIP limit."""
    step = graph.step(step_id)
    if step is None:
        message = f'That step is not part of workflow "{graph.workflow.name}".'
        raise ValidationFailed(message, {"step_id": message})
    if step.is_final_step or step_settings.of(step).outcome != "OPEN":
        message = f'A new card cannot start on "{step.display_name}": it ends the work.'
        raise ValidationFailed(message, {"step_id": message})
    if step_settings.of(step).wip_limit is not None:
        load = step_loads.lock(session, [step.id], [step.id]).get(step.id)
        rules.check_wip(actor, step, rules.MoveRequest(), load)
    return step


def _people(
    session: Session, actor: Actor, project_id: uuid.UUID
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The project's owner and assignee; not looked up for those who see everyone's."""
    if access.sees_everyones(actor):
        return actor.user_id, None
    return ownership.people_of(session, project_id)


def check_see(session: Session, actor: Actor, project_id: uuid.UUID) -> None:
    """NotFound unless the actor may see the card riding on the project."""
    owner, assignee = _people(session, actor, project_id)
    access.check_may_see(actor, owner, f"WFM project {project_id}", assignee)


def get_many(actor: Actor | None, project_ids: list[uuid.UUID]) -> dict[uuid.UUID, ProjectRead]:
    """Projects by id in one query (for batched API loading); invisible ones are left out."""
    actor = require_permission(actor, READ_PROJECTS, "read work in progress")
    if not project_ids:
        return {}
    with unit_of_work() as uow:
        rows = uow.session.execute(
            select(_projects).where(among(uow.session, _projects.c.id, project_ids))
        ).mappings()
        found = {row["id"]: convert.project_of_columns(row) for row in rows}
        visible = ownership.visible_among(uow.session, actor, list(found))
        return {project_id: found[project_id] for project_id in visible}
