"""Server-side sessions: an opaque random token in the cookie, its hash in the database."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from http.cookies import CookieError, SimpleCookie

from sqlmodel import col, delete, select

from wfm_app.auth.actor import Actor
from wfm_app.auth.models import AuthSession, User
from wfm_app.db import unit_of_work
from wfm_app.settings import settings
from wfm_app.sqltypes import utc_now
from wfm_app.tenancy import acting_in

COOKIE_NAME = "wfm_session"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    user_id: uuid.UUID,
    roles: frozenset[str],
    *,
    org_id: uuid.UUID,
    id_token: str | None,
    replacing: str | None = None,
) -> str:
    """A new session (and the end of the one it replaces); returns the cookie value."""
    token = secrets.token_urlsafe(32)
    with unit_of_work() as uow:
        uow.session.exec(delete(AuthSession).where(col(AuthSession.expires_at) < utc_now()))
        if replacing:
            end(replacing)
        uow.session.add(
            AuthSession(
                token_hash=_hash(token),
                user_id=user_id,
                org_id=org_id,
                roles=sorted(roles),
                id_token=id_token,
                expires_at=utc_now() + timedelta(hours=settings.session_hours),
            )
        )
    return token


def resolve(token: str | None) -> Actor | None:
    """The signed-in actor for a cookie value, or None (unknown, tampered or expired)."""
    if not token:
        return None
    with unit_of_work() as uow:
        session = uow.session.get(AuthSession, _hash(token))
    if session is None or session.expires_at <= utc_now():
        return None
    with acting_in(session.org_id), unit_of_work() as uow:
        name = uow.session.exec(select(User.display_name).where(User.id == session.user_id)).first()
    return Actor.for_user(
        session.user_id,
        set(session.roles),
        name or "",
        default_role=settings.default_role,
        org_id=session.org_id,
    )


def id_token_of(token: str | None) -> str | None:
    if not token:
        return None
    with unit_of_work() as uow:
        session = uow.session.get(AuthSession, _hash(token))
        return session.id_token if session else None


def end(token: str | None) -> None:
    if not token:
        return
    with unit_of_work() as uow:
        uow.session.exec(delete(AuthSession).where(col(AuthSession.token_hash) == _hash(token)))


def token_from_cookie_header(header: str | None) -> str | None:
    if not header:
        return None
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(header)
    except CookieError:
        return None
    morsel = cookies.get(COOKIE_NAME)
    return morsel.value if morsel else None


def actor_from_cookie_header(header: str | None) -> Actor | None:
    return resolve(token_from_cookie_header(header))
