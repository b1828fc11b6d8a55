"""The acting user every service function takes; it stands in for row-level security."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from wfm_app.tenancy import current_org_id

MANAGE_DEFINITIONS = "wfm_definitions:manage"
READ_PROJECTS = "wfm_projects:read"
UPDATE_PROJECTS = "wfm_projects:update"
# Scope: without these a user reads and moves only the entities they own.
READ_ANY_PROJECT = "wfm_projects:read_any"
UPDATE_ANY_PROJECT = "wfm_projects:update_any"

ADMIN = "wfm_admin"
MANAGER = "wfm_manager"
MEMBER = "wfm_member"
ROLE_LABELS = {ADMIN: "Admin", MANAGER: "Manager", MEMBER: "Member"}  # as people read them


def roles_in_words(roles: Iterable[str]) -> str:
    """ "Admin or Manager": who may act, never a role id."""
    return " or ".join(ROLE_LABELS.get(role, role) for role in roles)


PERMISSION_DESCRIPTIONS: dict[str, str] = {
    MANAGE_DEFINITIONS: "Manage WFM definitions (statuses, workflows, project types)",
    READ_PROJECTS: "Read WFM project data",
    UPDATE_PROJECTS: "Update WFM project progression",
    READ_ANY_PROJECT: "Read WFM project data of entities owned by anyone",
    UPDATE_ANY_PROJECT: "Update WFM project progression of entities owned by anyone",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    ADMIN: frozenset(PERMISSION_DESCRIPTIONS),
    MANAGER: frozenset({READ_PROJECTS, UPDATE_PROJECTS, READ_ANY_PROJECT, UPDATE_ANY_PROJECT}),
    MEMBER: frozenset({READ_PROJECTS, UPDATE_PROJECTS}),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in user (or the system, for seeding) and what their roles allow."""

    user_id: uuid.UUID | None
    roles: frozenset[str]
    display_name: str = ""
    # Roles apply inside one organization: the one the user signed in to.
    org_id: uuid.UUID = field(default_factory=current_org_id)
    # Every service call checks permissions: work them out once, not per check.
    permissions: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        granted: frozenset[str] = frozenset()
        for role in self.roles:
            granted |= ROLE_PERMISSIONS.get(role, frozenset())
        object.__setattr__(self, "permissions", granted)

    @classmethod
    def for_user(
        cls,
        user_id: uuid.UUID,
        roles: frozenset[str] | set[str],
        name: str = "",
        *,
        default_role: str | None = None,
        org_id: uuid.UUID | None = None,
    ) -> Actor:
        """Only known roles count. Someone with none has no permission at all, unless the
        operator grants everyone ``default_role`` (WFM_DEFAULT_ROLE)."""
        known = frozenset(role for role in roles if role in ROLE_PERMISSIONS)
        if not known and default_role in ROLE_PERMISSIONS:
            known = frozenset({default_role})
        return cls(user_id, known, name, org_id or current_org_id())

    @property
    def has_access(self) -> bool:
        return bool(self.permissions)

    @classmethod
    def system(cls) -> Actor:
        return cls(user_id=None, roles=frozenset({ADMIN}), display_name="system")

    @classmethod
    def automation(cls) -> Actor:
        """Who automation rules act as: admins define the rules, so the rules act with an
        admin's permissions; the engine's checks (transitions, conditions, WIP) still hold."""
        return cls(user_id=None, roles=frozenset({ADMIN}), display_name="Automation")

    def can(self, permission: str) -> bool:
        return permission in self.permissions
