"""What automation works on: an event (what happened to which project), the card it is
about (``Subject``), and the entity services that give access to cards (``Handler``s;
``entities/base.py`` registers each service), so the engine never names an entity."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.engine import registry


@dataclass(frozen=True, slots=True)
class Subject:
    """The card an event is about, as rules see it."""

    handler: Handler
    entity_id: uuid.UUID
    project_id: uuid.UUID
    workflow_id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    values: dict[str, Any]  # as conditions name them (custom fields as custom.<key>)
    read: Any  # the entity service's own read value of the card


class Handler(Protocol):
    """What an entity service offers automation (``EntityService`` implements it)."""

    @property
    def description(self) -> registry.EntityDescription: ...

    def subject_of(self, session: Session, project_id: uuid.UUID) -> Subject | None: ...

    def card(self, entity_id: uuid.UUID) -> Any:
        """The card's read value whoever owns it (None: gone); callers decide who sees it."""
        ...

    # Each change answers the card as it is afterwards.
    def set_values(self, actor: Actor, card: Subject, values: dict[str, Any]) -> Subject: ...

    def set_owner(self, actor: Actor, card: Subject, user_id: uuid.UUID) -> Subject: ...

    def move_to(self, actor: Actor, card: Subject, step_id: uuid.UUID) -> Subject: ...


class HandlerSource(Protocol):
    """Handlers made on demand (the kinds admins define: entities/items.py)."""

    def handler_for(self, entity_type: str) -> Handler | None: ...

    def subject_of(self, session: Session, project_id: uuid.UUID) -> Subject | None: ...


_handlers: list[Handler] = []  # the built-in kinds'
_sources: list[HandlerSource] = []


def register_source(source: HandlerSource) -> None:
    if source not in _sources:
        _sources.append(source)


def register_handler(handler: Handler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def subject_of(session: Session, project_id: uuid.UUID) -> Subject | None:
    """The card riding on a project, whichever entity kind it is."""
    finders: list[Handler | HandlerSource] = [*_handlers, *_sources]
    for finder in finders:
        subject = finder.subject_of(session, project_id)
        if subject is not None:
            return subject
    return None


@dataclass(frozen=True, slots=True)
class Event:
    trigger: str
    project_id: uuid.UUID
    workflow_id: uuid.UUID
    actor: Actor  # who set it off (automation itself, for timers)
    from_step_id: uuid.UUID | None = None
    to_step_id: uuid.UUID | None = None
    history_id: uuid.UUID | None = None
    branch_id: uuid.UUID | None = None  # the branch decided (branch_* triggers)


def handler_for(entity_type: str) -> Handler | None:
    """The handler of an entity type ("DEAL"), if it is registered."""
    found = next((h for h in _handlers if h.description.entity_type == entity_type), None)
    for source in _sources:
        found = found or source.handler_for(entity_type)
    return found
