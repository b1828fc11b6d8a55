"""Comments on cards (``wfm_comments``, one row per comment, on the card's WFM project)
and the @mentions in them: a mention names a person by "@Display Name" (or the part of
their e-mail before the @); only people who may see the card are mentioned, and each is
notified in the comment's transaction."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlmodel
from sqlalchemy import Index, Table, insert, select
from sqlmodel import Field, Session, SQLModel, Text, col

from wfm_app.auth.actor import Actor
from wfm_app.auth.models import User
from wfm_app.engine import access
from wfm_app.engine.automation import notifications
from wfm_app.engine.inputs import clean_text
from wfm_app.errors import ValidationFailed
from wfm_app.sqltypes import table_of, timestamp_field, utc_now
from wfm_app.tenancy import OrgOwned, org_field

MAX_BODY = 5000
MAX_LISTED = 500  # the latest comments a card shows


class Comment(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_comments"
    __table_args__ = (Index("idx_comments_project", "wfm_project_id", "created_at"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    wfm_project_id: uuid.UUID = Field(foreign_key="wfm_projects.id", ondelete="CASCADE")
    author_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    body: str = Field(sa_type=Text)
    created_at: datetime = timestamp_field()


@dataclass(frozen=True, slots=True)
class CommentRead:
    id: uuid.UUID
    author_id: uuid.UUID | None
    author_name: str
    body: str
    created_at: datetime
    mentioned: tuple[str, ...]  # display names of the people it notified or names


_comments: Table = table_of(Comment)
_users: Table = table_of(User)


def checked_body(body: str) -> str:
    """The comment's text: 1 to 5,000 characters, line breaks kept."""
    try:
        text = clean_text(body.replace("\r\n", "\n"), what="A comment", limit=MAX_BODY)
    except ValueError as error:
        raise ValidationFailed(str(error), {"body": str(error)}) from None
    if not text:
        raise ValidationFailed("Write something first.", {"body": "Write something first."})
    return text


def _handles(user: User) -> list[str]:
    handles = [user.display_name] if user.display_name else []
    if user.email:
        handles.append(user.email.split("@", 1)[0])
    return handles


def mentioned(
    session: Session, body: str, owner_id: uuid.UUID | None, assignee_id: uuid.UUID | None
) -> list[User]:
    """The people "@name" names in ``body`` who may see the card (others are ignored:
    a mention never tells anyone about work they cannot open)."""
    if "@" not in body:
        return []
    lowered = body.lower()
    roles = notifications.roles_by_user(session)
    found = []
    for user in session.exec(sqlmodel.select(User).where(col(User.id).in_(list(roles)))):
        named = any(
            re.search(r"@" + re.escape(handle.lower()) + r"(?![\w.-])", lowered)
            for handle in _handles(user)
        )
        viewer = Actor.for_user(user.id, roles.get(user.id, frozenset()))
        if named and access.may_see(viewer, owner_id, assignee_id):
            found.append(user)
    return found


def add(
    session: Session,
    actor: Actor,
    project_id: uuid.UUID,
    body: str,
    people: list[User],
    about: notifications.About,
) -> CommentRead:
    """Store the comment and notify the people it mentions (not its author)."""
    now = utc_now()
    comment_id = uuid.uuid4()
    session.execute(
        insert(_comments).values(
            id=comment_id,
            wfm_project_id=project_id,
            author_id=actor.user_id,
            body=body,
            created_at=now,
        )
    )
    told = [p.id for p in people if p.id != actor.user_id]
    who = actor.display_name or "Someone"
    notifications.send_about(session, told, f"{who} mentioned you on {about.name}", about)
    names = tuple(p.display_name or "" for p in people)
    return CommentRead(comment_id, actor.user_id, who, body, now, names)


def of_project(session: Session, project_id: uuid.UUID) -> list[CommentRead]:
    """A card's comments, oldest first (its latest MAX_LISTED)."""
    rows = session.execute(
        select(_comments, _users.c.display_name)
        .outerjoin(_users, _users.c.id == _comments.c.author_id)
        .where(_comments.c.wfm_project_id == project_id)
        .order_by(_comments.c.created_at.desc(), _comments.c.id)
        .limit(MAX_LISTED)
    ).all()
    return [
        CommentRead(r.id, r.author_id, r.display_name or "A former user", r.body, r.created_at, ())
        for r in reversed(rows)
    ]
