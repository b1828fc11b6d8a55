"""Every "may this actor ..." decision, in one module (our row-level security).

One policy, one message per case: what an actor may not see does not exist for them
(NotFound, the same as a missing row); Forbidden only for what they see but may not
change, or for a permission their role lacks.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Uuid, bindparam, or_

from wfm_app.auth.actor import (
    MANAGE_DEFINITIONS,
    READ_ANY_PROJECT,
    UPDATE_ANY_PROJECT,
    Actor,
)
from wfm_app.errors import Forbidden, NotFound, Unauthenticated
from wfm_app.tenancy import DEFAULT_ORG_ID, current_org_id


def require_signed_in(actor: Actor | None) -> Actor:
    if actor is None:
        raise Unauthenticated("Please sign in first.")
    if actor.org_id != current_org_id():
        # Each way in binds its user's organization (tenancy.bind): one that did not would
        # act on another organization's rows. Refuse rather than guess.
        raise Forbidden("That belongs to another organization.")
    return actor


NO_ROLE = "You have no access to WFM yet: ask an administrator to give you a role."


def require_access(actor: Actor | None) -> Actor:
    """Signed in with a WFM role: all that reading definitions takes. No role, no access."""
    actor = require_signed_in(actor)
    if not actor.has_access:
        raise Forbidden(NO_ROLE)
    return actor


def require_permission(actor: Actor | None, permission: str, doing: str) -> Actor:
    actor = require_access(actor)
    if not actor.can(permission):
        raise Forbidden(f"You don't have permission to {doing}.")
    return actor


def require_definitions_manager(actor: Actor | None) -> Actor:
    return require_permission(actor, MANAGE_DEFINITIONS, "change workflow definitions")


def sees_everyones(actor: Actor) -> bool:
    """Reads anyone's cards (managers and admins); others read their own work only."""
    return actor.can(READ_ANY_PROJECT)


def works_on_everyones(actor: Actor) -> bool:
    """Changes anyone's cards (managers and admins)."""
    return actor.can(UPDATE_ANY_PROJECT)


def _theirs(actor: Actor, owner_id: uuid.UUID | None, assignee_id: uuid.UUID | None) -> bool:
    """The card's owner, or the one it is assigned to (who works it like the owner)."""
    return actor.user_id is not None and actor.user_id in (owner_id, assignee_id)


def theirs_clause(owner_column: Any, assignee_column: Any, user_id: uuid.UUID | None) -> Any:
    """The same rule in SQL: rows the user owns or is assigned."""
    return or_(owner_column == user_id, assignee_column == user_id)


def may_see(actor: Actor, owner_id: uuid.UUID | None, assignee_id: uuid.UUID | None = None) -> bool:
    """Anyone's work with read_any, else only one's own or what is assigned to one."""
    return sees_everyones(actor) or _theirs(actor, owner_id, assignee_id)


def may_change(
    actor: Actor, owner_id: uuid.UUID | None, assignee_id: uuid.UUID | None = None
) -> bool:
    return works_on_everyones(actor) or _theirs(actor, owner_id, assignee_id)


def may_override_wip(actor: Actor) -> bool:
    """Who may move into a full ``block`` column (with a reason): managers and admins."""
    return works_on_everyones(actor)


def may_see_contact_details(actor: Actor, user_id: uuid.UUID) -> bool:
    """A person's e-mail: for those who work with everyone, and for themselves."""
    return sees_everyones(actor) or user_id == actor.user_id


def may_reassign_owner(actor: Actor) -> bool:
    """Giving a card a new owner: those who work with everyone's. An assignee works a card
    like its owner but may not take it (the owner would lose sight of their own card)."""
    return works_on_everyones(actor)


def may_delete(actor: Actor, owner_id: uuid.UUID | None) -> bool:
    """Deleting a card: its owner or those who work with everyone's, not its assignee."""
    return works_on_everyones(actor) or (actor.user_id is not None and actor.user_id == owner_id)


def check_may_see(
    actor: Actor, owner_id: uuid.UUID | None, what: str, assignee_id: uuid.UUID | None = None
) -> None:
    """``what``: how a missing record is named, e.g. "Deal 1234"."""
    if not may_see(actor, owner_id, assignee_id):
        raise NotFound(f"{what} does not exist.")


def check_may_change(
    actor: Actor,
    owner_id: uuid.UUID | None,
    what: str,
    noun: str,
    assignee_id: uuid.UUID | None = None,
) -> None:
    check_may_see(actor, owner_id, what, assignee_id)
    if not may_change(actor, owner_id, assignee_id):
        raise Forbidden(f"You can only change {noun}s you own or are assigned.")


def check_may_delete(
    actor: Actor,
    owner_id: uuid.UUID | None,
    what: str,
    noun: str,
    assignee_id: uuid.UUID | None = None,
) -> None:
    check_may_change(actor, owner_id, what, noun, assignee_id)
    if not may_delete(actor, owner_id):
        raise Forbidden(f"Only its owner, managers and admins can delete a {noun}.")


def visible_only(query: Any, actor: Actor, owner_column: Any, assignee_column: Any = None) -> Any:
    """The query narrowed to what the actor may see."""
    everyones = sees_everyones(actor)
    return visible_to(query, everyones, owner_column, assignee_column, viewer=actor.user_id)


# The actor's id in a statement built by ``visible_to`` once and run for many actors.
VIEWER = bindparam("viewer", type_=Uuid)


def visible_to(
    query: Any,
    everyones: bool,
    owner_column: Any,
    assignee_column: Any = None,
    viewer: Any = VIEWER,
) -> Any:
    """``visible_only`` for a statement built once for all actors alike in
    ``sees_everyones`` and run for each with ``viewer_params(actor)`` (the API's lists:
    building and hashing a statement per request cost more than running it)."""
    if everyones:
        return query
    if assignee_column is None:
        return query.where(owner_column == viewer)
    return query.where(theirs_clause(owner_column, assignee_column, viewer))


def viewer_params(actor: Actor) -> dict[str, Any]:
    return {VIEWER.key: actor.user_id}


def may_act_on_branch(actor: Actor, allowed_roles: tuple[str, ...]) -> bool:
    """Approving a parallel branch takes one of its roles (admins are no exception: a
    Finance approval is Finance's, whoever else may see the card)."""
    return bool(actor.roles.intersection(allowed_roles))


def check_may_act_on_branch(actor: Actor, allowed_roles: tuple[str, ...], name: str) -> None:
    if not may_act_on_branch(actor, allowed_roles):
        raise Forbidden(f'Only {" or ".join(allowed_roles)} may act on "{name}".')


def operates_deployment(actor: Actor) -> bool:
    """Figures of the whole deployment (every organization's moves, refusals, workers)
    are for the admins of the operator's own organization (WFM_DEFAULT_ORG); an admin of
    any other organization sees that organization's figures only."""
    return actor.can(MANAGE_DEFINITIONS) and actor.org_id == DEFAULT_ORG_ID
