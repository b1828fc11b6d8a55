"""Permission checks shared by the engine's services (our row-level security)."""

from __future__ import annotations

from wfm_app.auth.actor import MANAGE_DEFINITIONS, Actor
from wfm_app.engine.errors import Forbidden, Unauthenticated


def require_signed_in(actor: Actor | None) -> Actor:
    if actor is None:
        raise Unauthenticated("Please sign in first.")
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
