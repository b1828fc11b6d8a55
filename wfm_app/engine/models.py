"""The engine's tables, column for column as in the spec, plus move history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from wfm_app.sqltypes import JsonDocument, UtcDateTime, timestamp_field
from wfm_app.tenancy import OrgOwned, org_field


def _user_ref() -> Any:
    return Field(default=None, foreign_key="users.id", nullable=True)


def _archived() -> Any:
    return Field(default=False, sa_column_kwargs={"server_default": text("false")})


class Status(SQLModel, OrgOwned, table=True):
    __tablename__ = "statuses"
    # names are unique within an organization: two may both have one called "Prospecting"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_statuses_org_name"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    color: str | None = Field(default=None, sa_type=Text)
    is_archived: bool = _archived()
    created_by_user_id: uuid.UUID | None = _user_ref()
    updated_by_user_id: uuid.UUID | None = _user_ref()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class Workflow(SQLModel, OrgOwned, table=True):
    __tablename__ = "workflows"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_workflows_org_name"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    is_archived: bool = _archived()
    # Versions: a workflow's versions share a family (the first version's id; NULL on the
    # first version itself). "live" serves new cards; a "draft" is edited without
    # touching it; "superseded" versions keep serving the cards still on them.
    family_id: uuid.UUID | None = Field(default=None, foreign_key="workflows.id")
    version: int = Field(default=1, sa_column_kwargs={"server_default": text("1")})
    version_state: str = Field(
        default="live", sa_type=Text, sa_column_kwargs={"server_default": "live"}
    )
    # An undo puts a card back on the step it came from even with no transition back.
    undo_restores_step: bool = Field(
        default=False, sa_column_kwargs={"server_default": text("false")}
    )
    # Weighted totals use the win chance learned from closed cards (engine/win_chance).
    learned_win_chance: bool = Field(
        default=False, sa_column_kwargs={"server_default": text("false")}
    )
    # The business calendar its SLA and time-in-step limits count working time on.
    calendar_id: uuid.UUID | None = Field(default=None, foreign_key="wfm_calendars.id")
    created_by_user_id: uuid.UUID | None = _user_ref()
    updated_by_user_id: uuid.UUID | None = _user_ref()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class WorkflowStep(SQLModel, OrgOwned, table=True):
    __tablename__ = "workflow_steps"
    __table_args__ = (
        UniqueConstraint("workflow_id", "status_id", name="uq_workflow_status"),
        UniqueConstraint("workflow_id", "step_order", name="uq_workflow_order"),
        Index("idx_workflow_steps_workflow", "workflow_id"),
        Index("idx_workflow_steps_order", "workflow_id", "step_order"),
        # Unique, not just indexed: the database itself refuses a second initial step.
        Index(
            "idx_workflow_steps_initial",
            "workflow_id",
            "is_initial_step",
            unique=True,
            postgresql_where=text("is_initial_step = true"),
            sqlite_where=text("is_initial_step = 1"),
        ),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    workflow_id: uuid.UUID = Field(foreign_key="workflows.id", ondelete="CASCADE")
    status_id: uuid.UUID = Field(foreign_key="statuses.id", ondelete="RESTRICT")
    step_order: int
    is_initial_step: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    is_final_step: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    # "metadata" is reserved on declarative classes, so the attribute has another name.
    step_metadata: dict[str, Any] | None = Field(
        default=None, sa_column=Column("metadata", JsonDocument, nullable=True)
    )
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class WorkflowTransition(SQLModel, OrgOwned, table=True):
    __tablename__ = "workflow_transitions"
    __table_args__ = (
        UniqueConstraint(
            "workflow_id", "from_step_id", "to_step_id", name="uq_workflow_transition"
        ),
        Index("idx_workflow_transitions_from", "workflow_id", "from_step_id"),
        Index("idx_workflow_transitions_to", "workflow_id", "to_step_id"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    workflow_id: uuid.UUID = Field(foreign_key="workflows.id", ondelete="CASCADE")
    from_step_id: uuid.UUID = Field(foreign_key="workflow_steps.id", ondelete="CASCADE")
    to_step_id: uuid.UUID = Field(foreign_key="workflow_steps.id", ondelete="CASCADE")
    name: str | None = Field(default=None, sa_type=Text)
    # The spec's planned conditional transitions (engine/rules.py): required fields,
    # allowed roles, a required comment. NULL: the move needs nothing more.
    conditions: dict[str, Any] | None = Field(default=None, sa_type=JsonDocument)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class ProjectType(SQLModel, OrgOwned, table=True):
    __tablename__ = "project_types"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_project_types_org_name"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    default_workflow_id: uuid.UUID | None = Field(default=None, foreign_key="workflows.id")
    icon_name: str | None = Field(default=None, sa_type=Text)
    is_archived: bool = _archived()
    created_by_user_id: uuid.UUID | None = _user_ref()
    updated_by_user_id: uuid.UUID | None = _user_ref()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class WfmProject(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_projects"
    __table_args__ = (
        Index("idx_wfm_projects_type", "project_type_id"),
        Index("idx_wfm_projects_workflow", "workflow_id"),
        Index("idx_wfm_projects_current_step", "current_step_id"),
        # A column's cards newest first (boards page by walking it backwards), and rotting
        # and SLA: the cards of a step that have sat there since before a time.
        Index("idx_wfm_projects_step_entered", "current_step_id", "step_entered_at", "id"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    project_type_id: uuid.UUID = Field(foreign_key="project_types.id", ondelete="RESTRICT")
    workflow_id: uuid.UUID = Field(foreign_key="workflows.id", ondelete="RESTRICT")
    current_step_id: uuid.UUID | None = Field(default=None, foreign_key="workflow_steps.id")
    name: str = Field(sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    is_active: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})
    # When the project reached its current step: "days in step" without reading history.
    step_entered_at: datetime = timestamp_field()
    completed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    completed_by_user_id: uuid.UUID | None = _user_ref()
    project_metadata: dict[str, Any] | None = Field(
        default=None, sa_column=Column("metadata", JsonDocument, nullable=True)
    )
    created_by_user_id: uuid.UUID | None = _user_ref()
    updated_by_user_id: uuid.UUID | None = _user_ref()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class StepLoad(SQLModel, OrgOwned, table=True):
    """Active cards on a step that has (or had) a WIP limit, kept exact by database
    triggers on wfm_projects (engine/step_loads.py)."""

    __tablename__ = "wfm_step_loads"

    org_id: uuid.UUID = org_field()
    step_id: uuid.UUID = Field(
        foreign_key="workflow_steps.id", ondelete="CASCADE", primary_key=True
    )
    active_cards: int = Field(default=0)


class WfmProjectHistory(SQLModel, OrgOwned, table=True):
    """One row per move: who moved which project from which step to which, and when."""

    __tablename__ = "wfm_project_history"
    __table_args__ = (
        Index("idx_wfm_project_history_project", "wfm_project_id", "changed_at"),
        # Analytics read an organization's stays by when they began and its moves by when
        # they happened: led by org_id, a range scan reads no other organization's rows.
        Index("idx_wfm_project_history_entered", "org_id", "from_entered_at"),
        Index("idx_wfm_project_history_changed", "org_id", "changed_at"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    wfm_project_id: uuid.UUID = Field(foreign_key="wfm_projects.id", ondelete="CASCADE")
    from_step_id: uuid.UUID | None = Field(
        default=None, foreign_key="workflow_steps.id", ondelete="SET NULL"
    )
    to_step_id: uuid.UUID | None = Field(
        default=None, foreign_key="workflow_steps.id", ondelete="SET NULL"
    )
    transition_id: uuid.UUID | None = Field(
        default=None, foreign_key="workflow_transitions.id", ondelete="SET NULL"
    )
    changed_by_user_id: uuid.UUID | None = _user_ref()
    changed_at: datetime = timestamp_field()
    # When the project entered ``from_step_id``: each row is then one whole stay in a step
    # (from_entered_at .. changed_at), which analytics read without pairing up rows.
    from_entered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Why, and with what: the mover's comment, the values set with the move, and whether
    # a manager overrode a full column's limit.
    comment: str | None = Field(default=None, sa_type=Text)
    move_values: dict[str, Any] | None = Field(default=None, sa_type=JsonDocument)
    wip_override: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    # "move" (through a transition) or "migration" (an admin moved cards to another
    # workflow version; no stay ends: the card keeps its time on the step's status)
    kind: str = Field(default="move", sa_type=Text, sa_column_kwargs={"server_default": "move"})
    # An undo is a move back; this names the move it undoes (entities/moving.py, undo).
    undoes_history_id: uuid.UUID | None = Field(
        default=None, foreign_key="wfm_project_history.id", ondelete="SET NULL"
    )
