"""Permission checks shared by the engine's services (our row-level security)."""

from __future__ import annotations

from wfm_app.auth.actor import MANAGE_DEFINITIONS, Actor
from wfm_app.engine.errors import Forbidden, Unauthenticated


def require_signed_in(actor: Actor | None) -> Actor:
    if actor is None:
        raise Unauthenticated("Please sign in first.")
    return actor


def require_permission(actor: Actor | None, permission: str, doing: str) -> Actor:
    actor = require_signed_in(actor)
    if not actor.can(permission):
        raise Forbidden(f"You don't have permission to {doing}.")
    return actor


def require_definitions_manager(actor: Actor | None) -> Actor:
    return require_permission(actor, MANAGE_DEFINITIONS, "change workflow definitions")
