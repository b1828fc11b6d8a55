"""Users (one row per OpenID Connect issuer + subject) and the permission catalogue."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from wfm_app.sqltypes import UtcDateTime, timestamp_field
from wfm_app.tenancy import OrgOwned, org_field


class User(SQLModel, OrgOwned, table=True):
    __tablename__ = "users"
    # one identity per organization: the same person signing in to two is two users
    __table_args__ = (
        UniqueConstraint("org_id", "issuer", "subject", name="uq_users_org_issuer_subject"),
    )

    org_id: uuid.UUID = org_field()
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


class AuthSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its hash is stored."""

    __tablename__ = "auth_sessions"
    __table_args__ = (Index("idx_auth_sessions_user", "user_id"),)

    token_hash: str = Field(sa_type=Text, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    # Read before anyone's organization is known (the cookie is all there is): not a
    # tenant table, it says which organization the session acts in.
    org_id: uuid.UUID = Field(foreign_key="organizations.id")
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    id_token: str | None = Field(default=None, sa_type=Text)  # id_token_hint at sign-out
    created_at: datetime = timestamp_field()
    expires_at: datetime = Field(sa_type=UtcDateTime)


class LoginFlow(SQLModel, table=True):
    """A sign-in in progress: what the callback must match (state, nonce, PKCE verifier)."""

    __tablename__ = "auth_login_flows"

    state: str = Field(sa_type=Text, primary_key=True)
    nonce: str = Field(sa_type=Text)
    code_verifier: str = Field(sa_type=Text)
    next_path: str = Field(sa_type=Text)
    created_at: datetime = timestamp_field()
    expires_at: datetime = Field(sa_type=UtcDateTime)
