"""Leads: prospects on the "Lead Management" project type's workflow."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, Integer, Numeric, Text, text
from sqlmodel import Field, SQLModel

from wfm_app.engine import step_settings
from wfm_app.engine.inputs import Name, OptionalText
from wfm_app.engine.registry import EntityDescription, FieldSpec, MetadataKey
from wfm_app.engine.schemas import StepRead
from wfm_app.entities.base import EntityService
from wfm_app.entities.fields import Amount, Email, Score, ShortText
from wfm_app.entities.kind import (
    EntityInput,
    EntityKind,
    WfmPosition,
    assignee_field,
    custom_values_field,
)
from wfm_app.sqltypes import JsonDocument, UtcDateTime, table_of, timestamp_field
from wfm_app.tenancy import OrgOwned, org_field

DESCRIPTION = EntityDescription(
    entity_type="LEAD",
    noun="lead",
    plural_label="Leads",
    board_path="/leads",  # its own route, older than /boards/<key>
    fields=(
        FieldSpec("name", "Name", required=True),
        FieldSpec("company", "Company"),
        FieldSpec("email", "Email", "email"),
        FieldSpec("score", "Score", "number", help="A whole number from 0 to 100."),
        FieldSpec("contact_name", "Contact name"),
        FieldSpec("contact_phone", "Contact phone"),
        FieldSpec("estimated_value", "Estimated value", "amount"),
        FieldSpec("estimated_close_date", "Estimated close date", "date"),
        FieldSpec("source", "Source", help="Where the lead came from: website, referral, ..."),
        FieldSpec("description", "Description", "long_text"),
    ),
    project_types=("Lead Management",),
    card_fields=("company", "score"),
    metadata_keys=(
        MetadataKey("lead_probability", "Qualification chance", 0, 100, unit="%"),
        MetadataKey("lead_score_threshold", "Score threshold", 0, 100, integer=True),
    ),
    probability_key="lead_probability",
)


class Lead(SQLModel, OrgOwned, table=True):
    __tablename__ = "leads"
    __table_args__ = (
        Index("idx_leads_created", "org_id", "created_at", "id"),
        Index("idx_leads_wfm_project", "wfm_project_id"),
        Index("idx_leads_user", "user_id"),
        # Custom field filters (containment, @>) stay index lookups at any size.
        Index("idx_leads_custom", "custom_field_values", postgresql_using="gin"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(sa_type=Text)
    company: str | None = Field(default=None, sa_type=Text)
    email: str | None = Field(default=None, sa_type=Text)
    score: int | None = Field(default=None, sa_type=Integer)
    contact_name: str | None = Field(default=None, sa_type=Text)
    contact_phone: str | None = Field(default=None, sa_type=Text)
    estimated_value: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    estimated_close_date: date | None = None
    source: str | None = Field(default=None, sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    assigned_to_user_id: uuid.UUID | None = assignee_field()
    assigned_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    wfm_project_id: uuid.UUID | None = Field(default=None, foreign_key="wfm_projects.id")
    custom_field_values: dict[str, Any] = custom_values_field()
    # Conversion into a deal (entities/conversion.py): once, in one transaction.
    converted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    converted_to_deal_id: uuid.UUID | None = Field(
        default=None, foreign_key="deals.id", ondelete="SET NULL"
    )
    converted_by_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    # What the score is made of; the score is typed by people, so this stays {} (README).
    lead_score_factors: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JsonDocument,
        sa_column_kwargs={"server_default": text("'{}'")},
    )
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class LeadCreate(EntityInput):
    name: Name
    company: OptionalText = None
    email: Email = None
    score: Score = None
    contact_name: ShortText = None
    contact_phone: ShortText = None
    estimated_value: Amount = None
    estimated_close_date: date | None = None
    source: ShortText = None
    description: OptionalText = None
    wfm_project_type_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


class LeadUpdate(EntityInput):
    name: Name | None = None
    company: OptionalText = None
    email: Email = None
    score: Score = None
    contact_name: ShortText = None
    contact_phone: ShortText = None
    estimated_value: Amount = None
    estimated_close_date: date | None = None
    source: ShortText = None
    description: OptionalText = None
    owner_id: uuid.UUID | None = None


@dataclass(slots=True)
class LeadRead:
    id: uuid.UUID
    name: str
    company: str | None
    email: str | None
    score: int | None
    contact_name: str | None
    contact_phone: str | None
    estimated_value: Decimal | None
    estimated_close_date: date | None
    source: str | None
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
    converted_at: datetime | None
    converted_to_deal_id: uuid.UUID | None
    converted_by_user_id: uuid.UUID | None
    lead_score_factors: dict[str, Any]
    # its last change, move or conversion: the later of the lead's and its project's
    last_activity_at: datetime


def _to_read(row: Mapping[str, Any], wfm: WfmPosition) -> LeadRead:
    return LeadRead(
        id=row["id"],
        name=row["name"],
        company=row["company"],
        email=row["email"],
        score=row["score"],
        contact_name=row["contact_name"],
        contact_phone=row["contact_phone"],
        estimated_value=row["estimated_value"],
        estimated_close_date=row["estimated_close_date"],
        source=row["source"],
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
        converted_at=row["converted_at"],
        converted_to_deal_id=row["converted_to_deal_id"],
        converted_by_user_id=row["converted_by_user_id"],
        lead_score_factors=row["lead_score_factors"] or {},
        last_activity_at=max(
            filter(None, (row["updated_at"], row["project_updated_at"])),
            default=row["created_at"],
        ),
    )


def _create_values(data: LeadCreate) -> dict[str, Any]:
    return data.model_dump(
        include={
            "company",
            "email",
            "score",
            "contact_name",
            "contact_phone",
            "estimated_value",
            "estimated_close_date",
            "source",
            "description",
        }
    )


KIND: EntityKind[LeadRead, LeadCreate, LeadUpdate] = EntityKind(
    description=DESCRIPTION,
    create_model=LeadCreate,
    update_model=LeadUpdate,
    table=table_of(Lead),
    to_read=_to_read,
    create_values=_create_values,
    amount_of=lambda lead: lead.estimated_value,
)

service: EntityService[LeadRead, LeadCreate, LeadUpdate] = EntityService(KIND)


def is_qualified(step: StepRead | None) -> bool:
    """A step's ``is_qualified`` metadata when set, else whether its outcome is WON."""
    if step is None:
        return False
    flag = step.metadata.get("is_qualified")
    return flag if isinstance(flag, bool) else step_settings.of(step).outcome == "WON"


def qualification_level(step: StepRead | None, progress: float) -> float:
    """A step's ``lead_qualification_level`` (0 to 1) when set, else its qualification
    chance (``lead_probability``, as a fraction)."""
    level = step.metadata.get("lead_qualification_level") if step else None
    if isinstance(level, int | float) and not isinstance(level, bool) and 0 <= level <= 1:
        return float(level)
    return progress
