"""What we read from an identity provider's claims: profile and roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wfm_app.auth import pictures
from wfm_app.auth.actor import ROLE_PERMISSIONS


@dataclass(frozen=True, slots=True)
class Profile:
    subject: str
    email: str | None
    display_name: str | None
    avatar_url: str | None
    roles: frozenset[str]
    # the organization's key (OIDC_ORG_CLAIM), or None: the default organization
    org_key: str | None = None


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


def org_from(claims: Mapping[str, Any], path: str) -> str | None:
    """The organization's key the claim names (a string, or a one-element list)."""
    raw = claim_at(claims, path)
    if isinstance(raw, list | tuple) and len(raw) == 1:
        raw = raw[0]
    return str(raw).strip().lower() or None if isinstance(raw, str | int) else None


def profile_from(claims: Mapping[str, Any], roles_path: str, org_path: str = "org") -> Profile:
    email = claims.get("email")
    name = claims.get("name") or claims.get("preferred_username") or email or claims["sub"]
    return Profile(
        subject=str(claims["sub"]),
        email=str(email) if email else None,
        display_name=str(name),
        avatar_url=pictures.shown(claims.get("picture")),
        roles=roles_from(claims, roles_path),
        org_key=org_from(claims, org_path),
    )
