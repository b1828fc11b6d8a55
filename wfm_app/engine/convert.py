"""ORM rows -> read values. Rows never leave the engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wfm_app.engine.models import (
    ProjectType,
    Status,
    WfmProject,
    Workflow,
    WorkflowStep,
    WorkflowTransition,
)
from wfm_app.engine.schemas import (
    ProjectRead,
    ProjectTypeRead,
    StatusRead,
    StepRead,
    TransitionRead,
    WorkflowRead,
)


def status_read(row: Status) -> StatusRead:
    return StatusRead(
        id=row.id,
        name=row.name,
        description=row.description,
        color=row.color,
        is_archived=row.is_archived,
        created_by_user_id=row.created_by_user_id,
        updated_by_user_id=row.updated_by_user_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def workflow_read(row: Workflow) -> WorkflowRead:
    return WorkflowRead(
        id=row.id,
        name=row.name,
        description=row.description,
        is_archived=row.is_archived,
        created_by_user_id=row.created_by_user_id,
        updated_by_user_id=row.updated_by_user_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        version_state=row.version_state,
        undo_restores_step=row.undo_restores_step,
        calendar_id=row.calendar_id,
        learned_win_chance=row.learned_win_chance,
    )


def step_read(row: WorkflowStep, status: Status) -> StepRead:
    return StepRead(
        id=row.id,
        workflow_id=row.workflow_id,
        status=status_read(status),
        step_order=row.step_order,
        is_initial_step=row.is_initial_step,
        is_final_step=row.is_final_step,
        metadata=dict(row.step_metadata or {}),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def transition_read(row: WorkflowTransition) -> TransitionRead:
    return TransitionRead(
        id=row.id,
        workflow_id=row.workflow_id,
        from_step_id=row.from_step_id,
        to_step_id=row.to_step_id,
        name=row.name,
        created_at=row.created_at,
        updated_at=row.updated_at,
        conditions=row.conditions or None,
    )


def project_type_read(row: ProjectType) -> ProjectTypeRead:
    return ProjectTypeRead(
        id=row.id,
        name=row.name,
        description=row.description,
        default_workflow_id=row.default_workflow_id,
        icon_name=row.icon_name,
        is_archived=row.is_archived,
        created_by_user_id=row.created_by_user_id,
        updated_by_user_id=row.updated_by_user_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def project_of_columns(row: Mapping[Any, Any]) -> ProjectRead:
    """A project from a Core row of its table (its columns are ProjectRead's fields, and
    the organization's id, which the caller acts in)."""
    values = dict(row)
    values.pop("org_id", None)
    values["metadata"] = dict(values["metadata"] or {})
    return ProjectRead(**values)


def project_read(row: WfmProject) -> ProjectRead:
    return ProjectRead(
        id=row.id,
        project_type_id=row.project_type_id,
        workflow_id=row.workflow_id,
        current_step_id=row.current_step_id,
        name=row.name,
        description=row.description,
        is_active=row.is_active,
        step_entered_at=row.step_entered_at,
        completed_at=row.completed_at,
        completed_by_user_id=row.completed_by_user_id,
        metadata=dict(row.project_metadata or {}),
        created_by_user_id=row.created_by_user_id,
        updated_by_user_id=row.updated_by_user_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
