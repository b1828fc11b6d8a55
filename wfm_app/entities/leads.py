"""Leads: prospects on the "Lead Management" project type's workflow."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, Text
from sqlmodel import Field, SQLModel

from wfm_app.engine.schemas import Input, Name, OptionalText
from wfm_app.entities.base import EntityKind, EntityService, WfmPosition
from wfm_app.entities.fields import Email, Score
from wfm_app.sqltypes import timestamp_field


class Lead(SQLModel, table=True):
    __tablename__ = "leads"
    __table_args__ = (
        Index("idx_leads_wfm_project", "wfm_project_id"),
        Index("idx_leads_user", "user_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(sa_type=Text)
    company: str | None = Field(default=None, sa_type=Text)
    email: str | None = Field(default=None, sa_type=Text)
    score: int | None = Field(default=None, sa_type=Integer)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    wfm_project_id: uuid.UUID | None = Field(default=None, foreign_key="wfm_projects.id")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class LeadCreate(Input):
    name: Name
    company: OptionalText = None
    email: Email = None
    score: Score = None
    wfm_project_type_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


class LeadUpdate(Input):
    name: Name | None = None
    company: OptionalText = None
    email: Email = None
    score: Score = None
    owner_id: uuid.UUID | None = None


@dataclass(slots=True)
class LeadRead:
    id: uuid.UUID
    name: str
    company: str | None
    email: str | None
    score: int | None
    owner_id: uuid.UUID | None
    owner_name: str | None
    wfm: WfmPosition
    created_at: datetime
    updated_at: datetime


def _to_read(row: Mapping[str, Any], wfm: WfmPosition) -> LeadRead:
    return LeadRead(
        id=row["id"],
        name=row["name"],
        company=row["company"],
        email=row["email"],
        score=row["score"],
        owner_id=row["user_id"],
        owner_name=row["owner_name"],
        wfm=wfm,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _create_values(data: LeadCreate) -> dict[str, Any]:
    return {"company": data.company, "email": data.email, "score": data.score}


KIND: EntityKind[LeadRead, LeadCreate, LeadUpdate] = EntityKind(
    noun="lead",
    table=Lead.__table__,  # type: ignore[attr-defined]
    default_project_type="Lead Management",
    probability_key="lead_probability",
    to_read=_to_read,
    create_values=_create_values,
)

service: EntityService[LeadRead, LeadCreate, LeadUpdate] = EntityService(KIND)
