"""In-app notifications: written by the ``notify`` action in the transaction of what
caused them, read and marked read by their recipient only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.auth.models import AuthSession
from wfm_app.db import unit_of_work
from wfm_app.engine import access
from wfm_app.engine.automation.events import Subject
from wfm_app.engine.automation.models import Notification
from wfm_app.errors import NotFound, ValidationFailed
from wfm_app.sqltypes import table_of, utc_now
from wfm_app.tenancy import current_org_id

_notifications: Table = table_of(Notification)
_sessions: Table = table_of(AuthSession)
MAX_LIST = 100


@dataclass(frozen=True, slots=True)
class NotificationRead:
    id: uuid.UUID
    message: str
    entity_type: str | None
    entity_id: uuid.UUID | None
    created_at: datetime
    read_at: datetime | None

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def roles_by_user(session: Session) -> dict[uuid.UUID, frozenset[str]]:
    """Each user's roles as of their latest sign-in (roles come from the identity
    provider at sign-in; nobody stores them otherwise), in this organization: sessions
    are read before anyone's organization is known, so they are not scoped by themselves."""
    rows = session.execute(
        select(_sessions.c.user_id, _sessions.c.roles)
        .where(_sessions.c.org_id == current_org_id())
        .order_by(_sessions.c.created_at)
    ).all()
    return {user_id: frozenset(roles or ()) for user_id, roles in rows}


def recipients(session: Session, config: dict[str, Any], subject: Subject) -> list[uuid.UUID]:
    """Who a ``notify`` action reaches: only people who may see the card, so a
    notification never tells anyone about work they cannot open."""
    to = config.get("to", "owner")
    if to == "owner":
        return [subject.owner_id] if subject.owner_id else []
    roles = roles_by_user(session)
    if to == "user":
        candidates = [uuid.UUID(config["user_id"])]
    else:
        candidates = [user for user, held in roles.items() if config.get("role") in held]
    return [
        user
        for user in candidates
        if access.may_see(
            Actor.for_user(user, roles.get(user, frozenset())),
            subject.owner_id,
            subject.assignee_id,
        )
    ]


@dataclass(frozen=True, slots=True)
class About:
    """The card a notification is about (its link opens it)."""

    entity_type: str
    entity_id: uuid.UUID
    project_id: uuid.UUID
    name: str


def send(session: Session, users: list[uuid.UUID], message: str, subject: Subject) -> None:
    about = About(
        subject.handler.description.entity_type, subject.entity_id, subject.project_id, ""
    )
    send_about(session, users, message, about)


def send_about(session: Session, users: list[uuid.UUID], message: str, about: About) -> None:
    if not users:
        return
    now = utc_now()
    session.connection().execute(
        insert(_notifications),
        [
            {
                "id": uuid.uuid4(),
                "user_id": user,
                "message": message,
                "entity_type": about.entity_type,
                "entity_id": about.entity_id,
                "wfm_project_id": about.project_id,
                "created_at": now,
            }
            for user in dict.fromkeys(users)
        ],
    )


def _read(row: Any) -> NotificationRead:
    return NotificationRead(
        id=row.id,
        message=row.message,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        created_at=row.created_at,
        read_at=row.read_at,
    )


def mine(
    actor: Actor | None, *, unread_only: bool = False, limit: int = 20
) -> list[NotificationRead]:
    """The viewer's notifications, newest first."""
    actor = access.require_signed_in(actor)
    if not 1 <= limit <= MAX_LIST:
        message = f"limit must be from 1 to {MAX_LIST}."
        raise ValidationFailed(message, {"limit": message})
    query = select(_notifications).where(_notifications.c.user_id == actor.user_id)
    if unread_only:
        query = query.where(_notifications.c.read_at.is_(None))
    query = query.order_by(_notifications.c.created_at.desc(), _notifications.c.id).limit(limit)
    with unit_of_work() as uow:
        return [_read(row) for row in uow.session.execute(query)]


def unread_count(actor: Actor | None) -> int:
    actor = access.require_signed_in(actor)
    with unit_of_work() as uow:
        return int(
            uow.session.execute(
                select(func.count())
                .select_from(_notifications)
                .where(
                    _notifications.c.user_id == actor.user_id,
                    _notifications.c.read_at.is_(None),
                )
            ).scalar_one()
        )


def mark_read(actor: Actor | None, notification_id: uuid.UUID) -> NotificationRead:
    """Someone else's notification does not exist for the viewer."""
    actor = access.require_signed_in(actor)
    mine_only = (_notifications.c.id == notification_id) & (
        _notifications.c.user_id == actor.user_id
    )
    with unit_of_work() as uow:
        uow.session.execute(
            update(_notifications)
            .where(mine_only, _notifications.c.read_at.is_(None))
            .values(read_at=utc_now())
        )
        row = uow.session.execute(select(_notifications).where(mine_only)).first()
        if row is None:
            raise NotFound(f"Notification {notification_id} does not exist.")
        return _read(row)


def mark_all_read(actor: Actor | None) -> int:
    actor = access.require_signed_in(actor)
    with unit_of_work() as uow:
        result = uow.session.execute(
            update(_notifications)
            .where(_notifications.c.user_id == actor.user_id, _notifications.c.read_at.is_(None))
            .values(read_at=utc_now())
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
