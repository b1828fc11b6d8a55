"""Users as the identity provider describes them (issuer + subject is the identity)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import col, select

from wfm_app.auth.claims import Profile
from wfm_app.auth.models import User
from wfm_app.db import unit_of_work
from wfm_app.sqltypes import utc_now


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


def read_many(user_ids: list[uuid.UUID]) -> dict[uuid.UUID, UserRead]:
    if not user_ids:
        return {}
    with unit_of_work() as uow:
        rows = uow.session.exec(select(User).where(col(User.id).in_(user_ids))).all()
        return {row.id: _read(row) for row in rows}
