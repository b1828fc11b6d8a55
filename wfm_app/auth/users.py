"""Users as the identity provider describes them (issuer + subject is the identity)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy
from sqlalchemy.dialects import postgresql, sqlite
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
    """Create the user on first sign-in; refresh their profile on later ones. One
    statement (INSERT ... ON CONFLICT DO UPDATE): a new client's first requests reach
    several processes at once, and each signs the same new user in."""
    with unit_of_work() as uow:
        dialect = uow.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        now = utc_now()
        profile = {"email": email, "display_name": display_name, "avatar_url": avatar_url}
        proposed = insert(_users).values(
            org_id=uow.org_id,
            id=uuid.uuid4(),
            issuer=issuer,
            subject=subject,
            created_at=now,
            updated_at=now,
            **profile,
        )
        statement = proposed.on_conflict_do_update(
            index_elements=[_users.c.org_id, _users.c.issuer, _users.c.subject],
            set_={**{name: proposed.excluded[name] for name in profile}, "updated_at": now},
        ).returning(*READ_COLUMNS)
        return UserRead(*uow.session.execute(statement).one())


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
