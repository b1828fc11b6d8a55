"""Telling people an approval waits on them: when a card enters a step with branches,
each person holding one of a branch's roles who may see the card is notified (not the
mover), in the move's transaction, with a link to the card."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.engine import access
from wfm_app.engine.automation import notifications
from wfm_app.engine.schemas import BranchRead


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
    for branch in branches:
        told = [
            user_id
            for user_id, held in roles.items()
            if user_id != actor.user_id
            and access.may_act_on_branch(Actor.for_user(user_id, held), branch.allowed_roles)
            and access.may_see(Actor.for_user(user_id, held), owner_id, assignee_id)
        ]
        message = f'"{about.name}" waits on your approval: {branch.name}'
        notifications.send_about(session, told, message, about)
