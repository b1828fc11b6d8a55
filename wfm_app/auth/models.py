"""Users (one row per OpenID Connect issuer + subject) and the permission catalogue."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from wfm_app.sqltypes import timestamp_field


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_users_issuer_subject"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    issuer: str = Field(sa_type=Text)
    subject: str = Field(sa_type=Text)
    email: str | None = Field(default=None, sa_type=Text)
    display_name: str | None = Field(default=None, sa_type=Text)
    avatar_url: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class Permission(SQLModel, table=True):
    __tablename__ = "permissions"
    __table_args__ = (
        UniqueConstraint("resource", "action", name="uq_permissions_resource_action"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    resource: str = Field(sa_type=Text)
    action: str = Field(sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
