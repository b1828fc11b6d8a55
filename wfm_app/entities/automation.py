"""An entity service as automation sees it (``engine/automation/events.Handler``): the
card on a project, and the three changes actions make, each through the service itself
so the same checks apply as to a person."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.engine.automation.events import Subject
from wfm_app.engine.registry import EntityDescription
from wfm_app.engine.schemas import parse

if TYPE_CHECKING:
    from wfm_app.entities.base import EntityService


class EntityHandler:
    def __init__(self, service: EntityService[Any, Any, Any]) -> None:
        self.service = service

    @property
    def description(self) -> EntityDescription:
        return self.service.kind.description

    def subject_of(self, session: Session, project_id: uuid.UUID) -> Subject | None:
        read = self.service.read_by_project(session, project_id)
        if read is None:
            return None
        return Subject(
            handler=self,
            entity_id=read.id,
            project_id=project_id,
            workflow_id=read.wfm.workflow_id,
            name=read.name,
            owner_id=read.owner_id,
            values=self.service.kind.values_of(read),
        )

    def set_values(self, actor: Actor, entity_id: uuid.UUID, values: dict[str, Any]) -> None:
        self.service.update(actor, entity_id, self.service.kind.update_input(values))

    def set_owner(self, actor: Actor, entity_id: uuid.UUID, user_id: uuid.UUID) -> None:
        self.service.update(
            actor, entity_id, parse(self.service.kind.update_model, {"owner_id": user_id})
        )

    def move_to(self, actor: Actor, entity_id: uuid.UUID, step_id: uuid.UUID) -> None:
        self.service.move(actor, entity_id, step_id)
