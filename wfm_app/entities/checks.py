"""Checks an entity service makes on what it is asked to create or change."""

from __future__ import annotations

import uuid

from wfm_app.auth.actor import Actor
from wfm_app.auth.models import User
from wfm_app.db import unit_of_work
from wfm_app.engine import access, definitions, registry
from wfm_app.engine.schemas import ProjectTypeRead
from wfm_app.errors import Forbidden, NotFound, ValidationFailed


def meant_for_another(kind: registry.EntityDescription, project_type: ProjectTypeRead) -> bool:
    """Whether another entity kind is built on the project type (then it is not this
    kind's: a project type no kind claims is for any)."""
    return registry.kind_for_project_type(project_type.name) not in (None, kind)


def project_type_fits(kind: registry.EntityDescription, type_id: uuid.UUID) -> None:
    """A project type another entity kind is built on is not for this one."""
    project_type = definitions.project_types().get(type_id)
    if project_type is not None and meant_for_another(kind, project_type):
        meant_for = registry.kind_for_project_type(project_type.name)
        assert meant_for is not None
        message = (
            f'A {kind.noun} cannot use the "{project_type.name}" project type: '
            f"it is meant for {meant_for.noun}s."
        )
        raise ValidationFailed(message, {"wfm_project_type_id": message})


def owner_for_new(
    kind: registry.EntityDescription, actor: Actor, requested: uuid.UUID | None
) -> uuid.UUID | None:
    """Whose the record will be: the actor's own, or someone else's if they may."""
    if requested is None or requested == actor.user_id:
        return actor.user_id
    if not access.may_change(actor, requested):
        raise Forbidden(f"You can only create {kind.noun}s for yourself.")
    if not _exists(requested):
        raise NotFound(f"User {requested} does not exist.")
    return requested


def new_owner(
    kind: registry.EntityDescription,
    actor: Actor,
    current: uuid.UUID | None,
    requested: uuid.UUID | None,
) -> uuid.UUID | None:
    """Whose an existing card becomes. Handing a card to someone else (oneself included:
    an assignee taking it from its owner) is for those who may reassign owners; asking
    for the owner it already has changes nothing. ``None`` asks for the actor, as on
    creation."""
    requested = actor.user_id if requested is None else requested
    if requested == current:
        return current
    if requested is None:  # a robot asked for "itself"
        message = f"A {kind.noun} needs an owner."
        raise ValidationFailed(message, {"owner_id": message})
    if not access.may_reassign_owner(actor):
        raise Forbidden(f"Only managers and admins can change who owns a {kind.noun}.")
    if not _exists(requested):
        message = f"User {requested} does not exist."
        raise ValidationFailed(message, {"owner_id": message})
    return requested


def _exists(user_id: uuid.UUID) -> bool:
    with unit_of_work() as uow:
        return uow.session.get(User, user_id) is not None


def assignee(
    kind: registry.EntityDescription, actor: Actor, user_id: uuid.UUID | None
) -> uuid.UUID | None:
    """Who will work the card besides its owner (they then see and move it like the
    owner): anyone may unassign or take a card they may change; handing it to someone
    else is for those who work with everyone's (as with owners)."""
    if user_id is None or user_id == actor.user_id:
        return user_id
    if not access.may_change(actor, user_id):
        raise Forbidden(f"You can only assign {kind.noun}s to yourself.")
    if not _exists(user_id):
        message = f"User {user_id} does not exist."
        raise ValidationFailed(message, {"assignee_id": message})
    return user_id
