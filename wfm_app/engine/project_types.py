"""Project types: categories of work, each with a default workflow (spec: wfmProjectTypeService)."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import convert, definitions
from wfm_app.engine.access import require_access, require_definitions_manager
from wfm_app.engine.common import ensure_unique_name, get_or_404, given_changes, touch
from wfm_app.engine.models import ProjectType, Workflow
from wfm_app.engine.schemas import ProjectTypeCreate, ProjectTypeRead, ProjectTypeUpdate
from wfm_app.errors import NotFound, ValidationFailed


def get_all(actor: Actor | None, *, is_archived: bool = False) -> list[ProjectTypeRead]:
    require_access(actor)
    found = [t for t in definitions.project_types().values() if t.is_archived == is_archived]
    return sorted(found, key=lambda project_type: project_type.name.lower())


def get_by_id(actor: Actor | None, project_type_id: uuid.UUID) -> ProjectTypeRead | None:
    require_access(actor)
    return definitions.project_types().get(project_type_id)


def get_by_name(actor: Actor | None, name: str) -> ProjectTypeRead | None:
    require_access(actor)
    try:
        return definitions.project_type_by_name(name)
    except NotFound:
        return None


def _check_default_workflow(session: Session, workflow_id: uuid.UUID | None) -> None:
    if workflow_id is None:
        return
    workflow = get_or_404(session, Workflow, workflow_id, "Workflow")
    if workflow.is_archived:
        raise ValidationFailed(
            f'Workflow "{workflow.name}" is archived and cannot be a default workflow.',
            {"default_workflow_id": "Pick a workflow that is not archived."},
        )


def create(actor: Actor | None, data: ProjectTypeCreate) -> ProjectTypeRead:
    actor = require_definitions_manager(actor)
    with unit_of_work() as uow:
        ensure_unique_name(uow.session, ProjectType, data.name, "project type")
        _check_default_workflow(uow.session, data.default_workflow_id)
        row = ProjectType(
            **data.model_dump(), created_by_user_id=actor.user_id, updated_by_user_id=actor.user_id
        )
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return convert.project_type_read(row)


def update(
    actor: Actor | None, project_type_id: uuid.UUID, data: ProjectTypeUpdate
) -> ProjectTypeRead:
    actor = require_definitions_manager(actor)
    changes = given_changes(data, clearable={"description", "icon_name", "default_workflow_id"})
    with unit_of_work() as uow:
        row = get_or_404(uow.session, ProjectType, project_type_id, "Project type")
        if "name" in changes:
            ensure_unique_name(
                uow.session, ProjectType, changes["name"], "project type", except_id=row.id
            )
        if changes.get("default_workflow_id") not in (None, row.default_workflow_id):
            _check_default_workflow(uow.session, changes["default_workflow_id"])
        for key, value in changes.items():
            setattr(row, key, value)
        touch(row, actor)
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return convert.project_type_read(row)
