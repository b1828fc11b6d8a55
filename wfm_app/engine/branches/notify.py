"""Telling people an approval waits on them: when a card enters a step with branches,
each person holding one of a branch's roles who may see the card is notified (not the
mover), in the move's transaction, with a link to the card; once someone decides, those
messages say so."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.engine import access
from wfm_app.engine.automation import notifications
from wfm_app.engine.automation.models import Notification
from wfm_app.engine.schemas import BranchRead
from wfm_app.sqltypes import table_of

_notifications = table_of(Notification)


def _waiting(branch_name: str) -> str:
    return f" waits on your approval: {branch_name}"


def waiting(
    session: Session,
    actor: Actor,
    branches: Sequence[BranchRead],
    about: notifications.About,
    owner_id: uuid.UUID | None,
    assignee_id: uuid.UUID | None,
) -> None:
    if not branches:
        return
    roles = notifications.roles_by_user(session)
    # who may see the card (not the mover), each as the access rules see them
    others = ((user, Actor.for_user(user, held)) for user, held in roles.items())
    seeing = [
        (user, viewer)
        for user, viewer in others
        if user != actor.user_id and access.may_see(viewer, owner_id, assignee_id)
    ]
    for branch in branches:
        told = [
            user
            for user, viewer in seeing
            if access.may_act_on_branch(viewer, branch.allowed_roles)
        ]
        notifications.send_about(session, told, f'"{about.name}"{_waiting(branch.name)}', about)


def decided(
    session: Session, project_id: uuid.UUID, branch_name: str, state: str, who: str
) -> None:
    """Every "waits on your approval" message about this card's branch now says who
    decided what (a decision is news to all who were asked)."""
    waiting = _waiting(branch_name)
    rows = session.execute(
        select(_notifications.c.id, _notifications.c.message).where(
            _notifications.c.wfm_project_id == project_id
        )
    ).all()
    for row in rows:
        if row.message.endswith(waiting):
            card = row.message.removesuffix(waiting)
            session.execute(
                update(_notifications)
                .where(_notifications.c.id == row.id)
                .values(message=f"{card}: {branch_name} {state} by {who}")
            )
