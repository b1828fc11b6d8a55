"""What we read from an identity provider's claims: profile and roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wfm_app.auth.actor import ROLE_PERMISSIONS


@dataclass(frozen=True, slots=True)
class Profile:
    subject: str
    email: str | None
    display_name: str | None
    avatar_url: str | None
    roles: frozenset[str]


def claim_at(claims: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, e.g. ``realm_access.roles`` (Keycloak)."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def roles_from(claims: Mapping[str, Any], path: str) -> frozenset[str]:
    """Known WFM roles in the claim (a list, or a space/comma separated string)."""
    raw = claim_at(claims, path)
    if isinstance(raw, str):
        raw = raw.replace(",", " ").split()
    if not isinstance(raw, list | tuple):
        return frozenset()
    return frozenset(str(role) for role in raw if str(role) in ROLE_PERMISSIONS)


def profile_from(claims: Mapping[str, Any], roles_path: str) -> Profile:
    email = claims.get("email")
    name = claims.get("name") or claims.get("preferred_username") or email or claims["sub"]
    return Profile(
        subject=str(claims["sub"]),
        email=str(email) if email else None,
        display_name=str(name),
        avatar_url=claims.get("picture"),
        roles=roles_from(claims, roles_path),
    )
