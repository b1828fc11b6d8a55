"""Per-request context: the acting user and the loaders that batch nested fields."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from wfm_app.api.graphql.prefetch import Prefetching
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
    users: Prefetching[uuid.UUID, UserRead | None] = field(init=False)
    projects: Prefetching[uuid.UUID, ProjectRead | None] = field(init=False)
    history: Prefetching[HistoryKey, list[HistoryEntry]] = field(init=False)
    branch_instances: Prefetching[uuid.UUID, list[BranchInstanceRead]] = field(init=False)
    # each person's GraphQL User, made once per request wherever they appear (types._user)
    shown_users: dict[uuid.UUID, Any] = field(default_factory=dict)
    _custom_fields: dict[str, list[CustomFieldRead]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The loaders' functions hold the actor, never this context (see Prefetching)
        acting = partial(_acting, self.actor, self.unauthenticated_reason)
        self.users = users = Prefetching(partial(_users, acting), None)
        self.projects = Prefetching(partial(_projects, acting), None)
        self.history = Prefetching(partial(_history, acting, users), [])
        self.branch_instances = Prefetching(partial(_branch_instances, acting), [])

    def announce_entities(self, service: EntityService[Any, Any, Any], rows: list[Any]) -> None:
        """A list's rows: their people, projects and histories are read together if asked."""
        self.users.announce(_people_of(rows))
        self.projects.announce(row.wfm.wfm_project_id for row in rows)
        self.history.announce((service, row.id) for row in rows)

    def custom_fields_of(self, entity_type: str) -> list[CustomFieldRead]:
        """Active custom field definitions, read once per request and entity type."""
        if entity_type not in self._custom_fields:
            found = custom_fields.get_all(self.require_actor(), entity_type)
            self._custom_fields[entity_type] = found
        return self._custom_fields[entity_type]

    def require_actor(self) -> Actor:
        return _acting(self.actor, self.unauthenticated_reason)


def _acting(actor: Actor | None, unauthenticated_reason: str) -> Actor:
    if actor is None:
        raise Unauthenticated(unauthenticated_reason)
    return actor


Acting = Callable[[], Actor]


def _users(acting: Acting, ids: list[uuid.UUID]) -> dict[uuid.UUID, UserRead]:
    return people.get_many(acting(), ids)


def _projects(acting: Acting, ids: list[uuid.UUID]) -> dict[uuid.UUID, ProjectRead]:
    return projects.get_many(acting(), ids)


def _history(
    acting: Acting, users: Prefetching[uuid.UUID, UserRead | None], keys: list[HistoryKey]
) -> dict[HistoryKey, list[HistoryEntry]]:
    found: dict[HistoryKey, list[HistoryEntry]] = {}
    for service in {service for service, _ in keys}:
        ids = [entity_id for owner, entity_id in keys if owner is service]
        entries_of, authors = service.history_and_authors(acting(), ids, edits=True)
        for entity_id, entries in entries_of.items():
            found[(service, entity_id)] = entries
        users.prime(authors)
    users.announce(
        entry.changed_by_user_id
        for entries in found.values()
        for entry in entries
        if entry.changed_by_user_id is not None
    )
    return found


def _branch_instances(acting: Acting, ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    return branch_reading.get_many(acting(), ids)


def _people_of(rows: list[Any]) -> Iterable[uuid.UUID]:
    for row in rows:
        for person in (row.owner_id, row.assignee_id, row.wfm.created_by_user_id):
            if person is not None:
                yield person
