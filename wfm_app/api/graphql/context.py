"""Per-request context: the acting user and the DataLoaders that batch nested fields."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from wfm_app.auth import users
from wfm_app.auth.actor import Actor
from wfm_app.auth.users import UserRead
from wfm_app.engine import projects
from wfm_app.engine.errors import Unauthenticated
from wfm_app.engine.schemas import ProjectRead


@dataclass
class Context:
    actor: Actor | None
    unauthenticated_reason: str = (
        "Please sign in first: send an OIDC access token as a Bearer token."
    )
    request: Any = None
    response: Any = None
    users: DataLoader[uuid.UUID, UserRead | None] = field(init=False)
    projects: DataLoader[uuid.UUID, ProjectRead | None] = field(init=False)

    def __post_init__(self) -> None:
        async def load_users(ids: list[uuid.UUID]) -> list[UserRead | None]:
            found = users.get_many(list(set(ids)))
            return [found.get(i) for i in ids]

        async def load_projects(ids: list[uuid.UUID]) -> list[ProjectRead | None]:
            found = projects.get_many(self.require_actor(), list(set(ids)))
            return [found.get(i) for i in ids]

        self.users = DataLoader(load_fn=load_users)
        self.projects = DataLoader(load_fn=load_projects)

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise Unauthenticated(self.unauthenticated_reason)
        return self.actor
