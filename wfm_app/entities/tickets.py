"""Support tickets: customer requests on the "Support Ticket" project type's workflow."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from wfm_app.engine.inputs import Name, OptionalText
from wfm_app.engine.registry import EntityDescription, FieldSpec
from wfm_app.entities.base import EntityService
from wfm_app.entities.fields import Email
from wfm_app.entities.kind import (
    EntityInput,
    EntityKind,
    WfmPosition,
    assignee_field,
    custom_values_field,
)
from wfm_app.sqltypes import UtcDateTime, table_of, timestamp_field
from wfm_app.tenancy import OrgOwned, org_field

PRIORITIES = ("low", "normal", "high", "urgent")
Priority = Literal["low", "normal", "high", "urgent"]

DESCRIPTION = EntityDescription(
    entity_type="TICKET",
    noun="ticket",
    plural_label="Tickets",
    board_path="/tickets",  # its own route, older than /boards/<key>
    fields=(
        FieldSpec("name", "Name", required=True),
        FieldSpec(
            "priority", "Priority", "choice", required=True, choices=PRIORITIES, default="normal"
        ),
        FieldSpec("customer_email", "Customer email", "email"),
        FieldSpec("due_date", "Due date", "date"),
        FieldSpec("description", "Description", "long_text"),
    ),
    project_types=("Support Ticket",),
    card_fields=("priority", "due_date"),
)


class SupportTicket(SQLModel, OrgOwned, table=True):
    __tablename__ = "support_tickets"
    __table_args__ = (
        Index("idx_support_tickets_created", "org_id", "created_at", "id"),
        Index("idx_support_tickets_wfm_project", "wfm_project_id"),
        Index("idx_support_tickets_user", "user_id"),
        # Custom field filters (containment, @>) stay index lookups at any size.
        Index("idx_support_tickets_custom", "custom_field_values", postgresql_using="gin"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(sa_type=Text)
    priority: str = Field(
        default="normal", sa_type=Text, sa_column_kwargs={"server_default": text("'normal'")}
    )
    customer_email: str | None = Field(default=None, sa_type=Text)
    due_date: date | None = None
    description: str | None = Field(default=None, sa_type=Text)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    assigned_to_user_id: uuid.UUID | None = assignee_field()
    assigned_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    wfm_project_id: uuid.UUID | None = Field(default=None, foreign_key="wfm_projects.id")
    custom_field_values: dict[str, Any] = custom_values_field()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class TicketCreate(EntityInput):
    name: Name
    priority: Priority = "normal"
    customer_email: Email = None
    due_date: date | None = None
    description: OptionalText = None
    wfm_project_type_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


class TicketUpdate(EntityInput):
    name: Name | None = None
    priority: Priority | None = None
    customer_email: Email = None
    due_date: date | None = None
    description: OptionalText = None
    owner_id: uuid.UUID | None = None


@dataclass(slots=True)
class TicketRead:
    id: uuid.UUID
    name: str
    priority: str
    customer_email: str | None
    due_date: date | None
    description: str | None
    owner_id: uuid.UUID | None
    owner_name: str | None
    assignee_id: uuid.UUID | None
    assignee_name: str | None
    assigned_at: datetime | None
    wfm: WfmPosition
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime


def _to_read(row: Mapping[str, Any], wfm: WfmPosition) -> TicketRead:
    return TicketRead(
        id=row["id"],
        name=row["name"],
        priority=row["priority"],
        customer_email=row["customer_email"],
        due_date=row["due_date"],
        description=row["description"],
        owner_id=row["user_id"],
        owner_name=row["owner_name"],
        assignee_id=row["assigned_to_user_id"],
        assignee_name=row["assignee_name"],
        assigned_at=row["assigned_at"],
        wfm=wfm,
        custom_fields=row["custom_field_values"] or {},
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


KIND: EntityKind[TicketRead, TicketCreate, TicketUpdate] = EntityKind(
    description=DESCRIPTION,
    create_model=TicketCreate,
    update_model=TicketUpdate,
    table=table_of(SupportTicket),
    to_read=_to_read,
    create_values=lambda data: {
        "priority": data.priority,
        "customer_email": data.customer_email,
        "due_date": data.due_date,
        "description": data.description,
    },
)

service: EntityService[TicketRead, TicketCreate, TicketUpdate] = EntityService(KIND)
