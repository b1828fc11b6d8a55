"""A card's conversation: its comments, read and written by whoever may see the card.
Part of ``EntityService`` (entities/base.py); the table and mentions are the engine's
(engine/comments.py)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import comments
from wfm_app.engine.access import require_permission
from wfm_app.engine.automation.notifications import About
from wfm_app.engine.comments import CommentRead
from wfm_app.entities.kind import EntityKind
from wfm_app.errors import NotFound


class EntityComments:
    kind: EntityKind[Any, Any, Any]

    def _visible(self, query: Any, actor: Actor) -> Any:
        raise NotImplementedError

    def _card(self, session: Session, actor: Actor, entity_id: uuid.UUID) -> Any:
        """The card's project, owner, assignee and name, if the actor may see it."""
        table = self.kind.table
        query = self.kind.scoped(
            select(
                table.c.wfm_project_id,
                table.c.user_id,
                table.c.assigned_to_user_id,
                table.c.name,
            ).where(table.c.id == entity_id)
        )
        row = session.execute(self._visible(query, actor)).first()
        if row is None:
            raise NotFound(f"{self.kind.noun.capitalize()} {entity_id} does not exist.")
        return row

    def comments(self, actor: Actor | None, entity_id: uuid.UUID) -> list[CommentRead]:
        """The card's comments, oldest first."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        with unit_of_work() as uow:
            card = self._card(uow.session, actor, entity_id)
            return comments.of_project(uow.session, card.wfm_project_id)

    def add_comment(self, actor: Actor | None, entity_id: uuid.UUID, body: str) -> CommentRead:
        """Comment on a card one may see; the people it @mentions who may see it too are
        notified."""
        actor = require_permission(actor, READ_PROJECTS, f"comment on {self.kind.noun}s")
        text = comments.checked_body(body)
        with unit_of_work() as uow:
            card = self._card(uow.session, actor, entity_id)
            people = comments.mentioned(uow.session, text, card.user_id, card.assigned_to_user_id)
            about = About(
                self.kind.description.entity_type, entity_id, card.wfm_project_id, card.name
            )
            return comments.add(uow.session, actor, card.wfm_project_id, text, people, about)
