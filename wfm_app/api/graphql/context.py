"""Per-request context: the acting user and the DataLoaders that batch nested fields."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from wfm_app.auth.actor import Actor
from wfm_app.auth.users import UserRead
from wfm_app.engine import custom_fields, people, projects
from wfm_app.engine.branches import reading as branch_reading
from wfm_app.engine.branches.reading import BranchInstanceRead
from wfm_app.engine.custom_fields import CustomFieldRead
from wfm_app.engine.schemas import HistoryEntry, ProjectRead
from wfm_app.entities.base import EntityService
from wfm_app.errors import Unauthenticated

HistoryKey = tuple[EntityService[Any, Any, Any], uuid.UUID]


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
    history: DataLoader[HistoryKey, list[HistoryEntry]] = field(init=False)
    branch_instances: DataLoader[uuid.UUID, list[BranchInstanceRead]] = field(init=False)
    _custom_fields: dict[str, list[CustomFieldRead]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        async def load_users(ids: list[uuid.UUID]) -> list[UserRead | None]:
            found = people.get_many(self.require_actor(), list(set(ids)))
            return [found.get(i) for i in ids]

        async def load_projects(ids: list[uuid.UUID]) -> list[ProjectRead | None]:
            found = projects.get_many(self.require_actor(), list(set(ids)))
            return [found.get(i) for i in ids]

        async def load_history(keys: list[HistoryKey]) -> list[list[HistoryEntry]]:
            found: dict[HistoryKey, list[HistoryEntry]] = {}
            for service in {service for service, _ in keys}:
                ids = [entity_id for owner, entity_id in keys if owner is service]
                for entity_id, entries in service.history_many(self.require_actor(), ids).items():
                    found[(service, entity_id)] = entries
            return [found.get(key, []) for key in keys]

        async def load_branch_instances(ids: list[uuid.UUID]) -> list[list[BranchInstanceRead]]:
            found = branch_reading.get_many(self.require_actor(), list(set(ids)))
            return [found.get(i, []) for i in ids]

        self.users = DataLoader(load_fn=load_users)
        self.branch_instances = DataLoader(load_fn=load_branch_instances)
        self.projects = DataLoader(load_fn=load_projects)
        self.history = DataLoader(load_fn=load_history)

    def custom_fields_of(self, entity_type: str) -> list[CustomFieldRead]:
        """Active custom field definitions, read once per request and entity type."""
        if entity_type not in self._custom_fields:
            found = custom_fields.get_all(self.require_actor(), entity_type)
            self._custom_fields[entity_type] = found
        return self._custom_fields[entity_type]

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise Unauthenticated(self.unauthenticated_reason)
        return self.actor
