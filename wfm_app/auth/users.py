"""Users as the identity provider describes them (issuer + subject is the identity)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy
from sqlmodel import col, select

from wfm_app.auth.claims import Profile
from wfm_app.auth.models import User
from wfm_app.db import unit_of_work
from wfm_app.sqltypes import among, table_of, utc_now

_users = table_of(User)


@dataclass(frozen=True, slots=True)
class UserRead:
    id: uuid.UUID
    issuer: str
    subject: str
    email: str | None
    display_name: str | None
    avatar_url: str | None


def _read(row: User) -> UserRead:
    return UserRead(row.id, row.issuer, row.subject, row.email, row.display_name, row.avatar_url)


def upsert(
    *,
    issuer: str,
    subject: str,
    email: str | None,
    display_name: str | None,
    avatar_url: str | None = None,
) -> UserRead:
    """Create the user on first sign-in; refresh their profile on later ones."""
    with unit_of_work() as uow:
        row = uow.session.exec(
            select(User).where(User.issuer == issuer, User.subject == subject)
        ).first()
        if row is None:
            row = User(issuer=issuer, subject=subject)
        row.email, row.display_name, row.avatar_url = email, display_name, avatar_url
        row.updated_at = utc_now()
        uow.session.add(row)
        uow.session.flush()
        return _read(row)


def upsert_profile(issuer: str, profile: Profile) -> UserRead:
    return upsert(
        issuer=issuer,
        subject=profile.subject,
        email=profile.email,
        display_name=profile.display_name,
        avatar_url=profile.avatar_url,
    )


def read_all() -> list[UserRead]:
    """Everyone, by display name (callers decide who may ask: engine/people.py)."""
    with unit_of_work() as uow:
        rows = uow.session.exec(select(User).order_by(col(User.display_name))).all()
        return [_read(row) for row in rows]


# UserRead's columns in its order, read as plain rows (``UserRead(*row)``): loading ORM
# instances cost more than the statement's round trip on the API's small lists (issue 26)
READ_COLUMNS = (
    _users.c.id,
    _users.c.issuer,
    _users.c.subject,
    _users.c.email,
    _users.c.display_name,
    _users.c.avatar_url,
)


def read_many(user_ids: list[uuid.UUID]) -> dict[uuid.UUID, UserRead]:
    if not user_ids:
        return {}
    with unit_of_work() as uow:
        query = sqlalchemy.select(*READ_COLUMNS).where(among(uow.session, _users.c.id, user_ids))
        return {row[0]: UserRead(*row) for row in uow.session.execute(query)}
