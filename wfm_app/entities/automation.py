"""An entity service as automation sees it (``engine/automation/events.Handler``): the
card on a project, and the three changes actions make, each through the service itself
so the same checks apply as to a person (each answers the card as it now is)."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.engine.automation.events import Subject
from wfm_app.engine.inputs import parse
from wfm_app.engine.registry import EntityDescription
from wfm_app.entities.kind import EntityKind


class _Service(Protocol):
    """The part of ``EntityService`` (entities/base.py) a handler uses."""

    kind: EntityKind[Any, Any, Any]

    def read_by_project(self, session: Session, project_id: uuid.UUID) -> Any: ...

    def get_by_id(self, actor: Actor | None, entity_id: uuid.UUID) -> Any: ...

    def update_held(self, actor: Actor, held: Any, data: Any) -> Any: ...

    def move(self, actor: Actor | None, entity_id: uuid.UUID, target_step_id: uuid.UUID) -> Any: ...


class EntityHandler:
    def __init__(self, service: _Service) -> None:
        self.service = service

    @property
    def description(self) -> EntityDescription:
        return self.service.kind.description

    def subject_of(self, session: Session, project_id: uuid.UUID) -> Subject | None:
        read = self.service.read_by_project(session, project_id)
        return None if read is None else self.subject(read)

    def card(self, entity_id: uuid.UUID) -> Any:
        return self.service.get_by_id(Actor.system(), entity_id)

    def subject(self, read: Any) -> Subject:
        """The card as automation sees it, from a read value in hand (no query)."""
        return Subject(
            handler=self,
            entity_id=read.id,
            project_id=read.wfm.wfm_project_id,
            workflow_id=read.wfm.workflow_id,
            name=read.name,
            owner_id=read.owner_id,
            assignee_id=read.assignee_id,
            values=self.service.kind.values_of(read),
            read=read,
        )

    # Automation runs inside the transaction that locked the card's project (a move, a
    # timer), so its field changes need not lock and re-read the card again.
    def set_values(self, actor: Actor, card: Subject, values: dict[str, Any]) -> Subject:
        data = self.service.kind.update_input(values)
        return self.subject(self.service.update_held(actor, card.read, data))

    def set_owner(self, actor: Actor, card: Subject, user_id: uuid.UUID) -> Subject:
        data = parse(self.service.kind.update_model, {"owner_id": user_id})
        return self.subject(self.service.update_held(actor, card.read, data))

    def move_to(self, actor: Actor, card: Subject, step_id: uuid.UUID) -> Subject:
        return self.subject(self.service.move(actor, card.entity_id, step_id))
