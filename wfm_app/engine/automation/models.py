"""Automation's tables: rules (the spec's ``workflow_automation_rules``), what each run
did, the webhook outbox, the once-per-stay record of timers, and in-app notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from wfm_app.sqltypes import JsonDocument, UtcDateTime, timestamp_field
from wfm_app.tenancy import OrgOwned, org_field


class AutomationRule(SQLModel, OrgOwned, table=True):
    __tablename__ = "workflow_automation_rules"
    __table_args__ = (Index("idx_automation_rules_workflow", "workflow_id", "trigger_event"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    workflow_id: uuid.UUID = Field(foreign_key="workflows.id", ondelete="CASCADE")
    # NULL: the trigger counts on any step of the workflow (or has no step at all).
    workflow_step_id: uuid.UUID | None = Field(
        default=None, foreign_key="workflow_steps.id", ondelete="CASCADE"
    )
    name: str = Field(sa_type=Text)
    trigger_event: str = Field(sa_type=Text)
    # {"after_hours": 48} for time_in_step_exceeded, {"from_step_id": ...} to narrow
    # transition_taken; NULL otherwise.
    trigger_config: dict[str, Any] | None = Field(default=None, sa_type=JsonDocument)
    conditions: dict[str, Any] | None = Field(default=None, sa_type=JsonDocument)
    action_config: dict[str, Any] = Field(sa_type=JsonDocument)
    is_enabled: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})
    position: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    created_by_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class AutomationRun(SQLModel, OrgOwned, table=True):
    """One rule's execution on one card: what set it off and what came of it."""

    __tablename__ = "automation_runs"
    __table_args__ = (Index("idx_automation_runs_project", "wfm_project_id", "created_at"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    rule_id: uuid.UUID | None = Field(
        default=None, foreign_key="workflow_automation_rules.id", ondelete="SET NULL"
    )
    rule_name: str = Field(sa_type=Text)
    wfm_project_id: uuid.UUID = Field(foreign_key="wfm_projects.id", ondelete="CASCADE")
    # The move that set it off (NULL for creation and timers).
    history_id: uuid.UUID | None = Field(
        default=None, foreign_key="wfm_project_history.id", ondelete="SET NULL"
    )
    trigger_event: str = Field(sa_type=Text)
    result: str = Field(sa_type=Text)  # done | skipped | stopped | failed
    detail: str = Field(sa_type=Text)
    created_at: datetime = timestamp_field()


class AutomationTimerFire(SQLModel, OrgOwned, table=True):
    """A time_in_step_exceeded rule fired for one stay (identified by when it began):
    the primary key makes it once per stay, whichever worker gets there first."""

    __tablename__ = "automation_timer_fires"

    org_id: uuid.UUID = org_field()
    rule_id: uuid.UUID = Field(
        foreign_key="workflow_automation_rules.id", ondelete="CASCADE", primary_key=True
    )
    wfm_project_id: uuid.UUID = Field(
        foreign_key="wfm_projects.id", ondelete="CASCADE", primary_key=True
    )
    step_entered_at: datetime = Field(sa_type=UtcDateTime, primary_key=True)
    fired_at: datetime = timestamp_field()


class WebhookDelivery(SQLModel, OrgOwned, table=True):
    """The outbox: written in the transaction that caused the event, sent by the worker."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("idx_webhook_deliveries_due", "org_id", "status", "next_attempt_at"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    rule_id: uuid.UUID | None = Field(
        default=None, foreign_key="workflow_automation_rules.id", ondelete="SET NULL"
    )
    rule_name: str = Field(sa_type=Text)
    url: str = Field(sa_type=Text)
    secret: str | None = Field(default=None, sa_type=Text)
    # POST, or PATCH for ServiceNow's Table API; the header is a Jira / ServiceNow login
    method: str = Field(default="POST", sa_type=Text, sa_column_kwargs={"server_default": "POST"})
    auth_header: str | None = Field(default=None, sa_type=Text)
    event_type: str = Field(sa_type=Text)
    payload: dict[str, Any] = Field(sa_type=JsonDocument)
    status: str = Field(default="pending", sa_type=Text)  # pending | delivered | failed
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    max_attempts: int
    next_attempt_at: datetime = timestamp_field()
    # A worker holds a delivery until then; past it, another worker may take it over.
    locked_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    last_status_code: int | None = None
    last_error_class: str | None = Field(default=None, sa_type=Text)
    last_duration_ms: int | None = None
    delivered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = timestamp_field()


class Notification(SQLModel, OrgOwned, table=True):
    __tablename__ = "notifications"
    __table_args__ = (Index("idx_notifications_user", "user_id", "read_at", "created_at"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    message: str = Field(sa_type=Text)
    entity_type: str | None = Field(default=None, sa_type=Text)
    entity_id: uuid.UUID | None = None
    wfm_project_id: uuid.UUID | None = Field(
        default=None, foreign_key="wfm_projects.id", ondelete="CASCADE"
    )
    created_at: datetime = timestamp_field()
    read_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
