"""Users as the identity provider describes them (issuer + subject is the identity)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from sqlmodel import col, select

from wfm_app.auth.actor import READ_ANY_PROJECT, Actor
from wfm_app.auth.claims import Profile
from wfm_app.auth.models import User
from wfm_app.db import unit_of_work
from wfm_app.engine.access import require_access, require_permission
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


def _shown_to(actor: Actor, user: UserRead) -> UserRead:
    """E-mail addresses are for people who work with everyone's records, and for oneself;
    others see the display name only."""
    if actor.can(READ_ANY_PROJECT) or user.id == actor.user_id:
        return user
    return replace(user, email=None)


def get_all(actor: Actor | None) -> list[UserRead]:
    """Everyone, for owner pickers and filters: only for those who see everyone's work."""
    actor = require_permission(actor, READ_ANY_PROJECT, "list users")
    with unit_of_work() as uow:
        rows = uow.session.exec(select(User).order_by(col(User.display_name))).all()
        return [_read(row) for row in rows]


def get_many(actor: Actor | None, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, UserRead]:
    """Users by id in one query, as the actor may see them."""
    actor = require_access(actor)
    if not user_ids:
        return {}
    with unit_of_work() as uow:
        rows = uow.session.exec(select(User).where(col(User.id).in_(user_ids))).all()
        return {row.id: _shown_to(actor, _read(row)) for row in rows}
