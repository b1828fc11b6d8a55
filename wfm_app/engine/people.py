"""Other people as an actor may see them (spec: the users behind owners and audit fields).

Listing everyone is for those who work with everyone's records; e-mail addresses are
for them and for oneself, everybody else sees display names only.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlmodel import Session, col, select

from wfm_app.auth import pictures, users
from wfm_app.auth.actor import READ_ANY_PROJECT, Actor
from wfm_app.auth.models import User
from wfm_app.auth.users import UserRead
from wfm_app.engine import definitions
from wfm_app.engine.access import may_see_contact_details, require_access, require_permission


def _shown_to(actor: Actor, user: UserRead) -> UserRead:
    if may_see_contact_details(actor, user.id):
        return user
    return replace(user, email=None)


def get_all(actor: Actor | None) -> list[UserRead]:
    """Everyone, for owner pickers and filters: only for those who see everyone's work."""
    require_permission(actor, READ_ANY_PROJECT, "list users")
    return users.read_all()


def get_many(actor: Actor | None, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, UserRead]:
    """Users by id in one query, as the actor may see them."""
    return as_shown(actor, users.read_many(user_ids))


def as_shown(actor: Actor | None, found: dict[uuid.UUID, UserRead]) -> dict[uuid.UUID, UserRead]:
    """Users read elsewhere (with a card's history), as the actor may see them."""
    actor = require_access(actor)
    return {key: _shown_to(actor, user) for key, user in found.items()}


def _load_pictures(session: Session) -> dict[uuid.UUID | None, str]:
    rows = session.exec(
        select(User.id, User.avatar_url).where(col(User.avatar_url).is_not(None))
    ).all()
    return {user_id: url for user_id, url in rows if url is not None and pictures.shown(url)}


def pictures_by_person() -> dict[uuid.UUID | None, str]:
    """Everyone's picture in the organization the work acts in, by user id, for card
    faces (cached like the definitions: a board asks on every load)."""
    return definitions.cached("people", "pictures", _load_pictures)
