"""Moving an entity along its workflow: the values given with the move saved first, then
the engine's checks and move, then what automation did, announced to open boards."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Generic

from sqlalchemy import RowMapping
from sqlmodel import Session

from wfm_app.auth.actor import UPDATE_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import changes, definitions, projects, versions
from wfm_app.engine.access import require_permission
from wfm_app.engine.rules import MoveRequest
from wfm_app.entities.kind import EntityKind, ReadT

if TYPE_CHECKING:
    from wfm_app.entities.announce import Announcer
    from wfm_app.entities.automation import EntityHandler


class EntityMoves(Generic[ReadT]):
    """Part of ``EntityService`` (entities/base.py)."""

    kind: EntityKind[ReadT, Any, Any]
    handler: EntityHandler
    _announcer: Announcer

    if TYPE_CHECKING:

        def _owned_for_update(
            self, session: Session, actor: Actor, entity_id: uuid.UUID
        ) -> tuple[RowMapping, projects.LockedProject]: ...
        def update(self, actor: Actor | None, entity_id: uuid.UUID, data: Any) -> ReadT: ...
        def _fetch(
            self, session: Session, entity_id: uuid.UUID, announce: str | None = None, **kw: Any
        ) -> ReadT: ...

    def move(
        self,
        actor: Actor | None,
        entity_id: uuid.UUID,
        target_step_id: uuid.UUID,
        *,
        expected_step_id: uuid.UUID | None = None,
        request: MoveRequest | None = None,
    ) -> ReadT:
        """Move along one transition (spec: update<Entity>WFMProgress): the values given
        with the move are saved first, in the same transaction, then the transition's
        conditions and the target's WIP limit are checked against the result."""
        actor = require_permission(actor, UPDATE_PROJECTS, f"move {self.kind.noun}s")
        request = request or MoveRequest()
        with unit_of_work() as uow:
            _row, locked = self._owned_for_update(uow.session, actor, entity_id)
            if request.values:
                self.update(actor, entity_id, self.kind.update_input(request.values))
            graph = definitions.graph(locked.workflow_id)
            # A board of a newer version names its own columns: this card's version's
            # steps with the same status are meant.
            target_step_id = versions.step_on_version(uow.session, graph, target_step_id)
            if expected_step_id is not None:
                expected_step_id = versions.step_on_version(uow.session, graph, expected_step_id)
            edge = graph.transition(locked.current_step_id, target_step_id)  # type: ignore[arg-type]
            # Only a conditional move pays for reading the record's values again.
            values = (
                self.kind.values_of(self._fetch(uow.session, entity_id))
                if edge and edge.conditions
                else None
            )
            after = projects.apply_move(
                uow.session,
                actor,
                locked,
                target_step_id,
                expected_step_id=expected_step_id,
                request=request,
                values=values,
                load_subject=lambda: self.handler.subject(self._fetch(uow.session, entity_id)),
            )
            announced = {
                "owner_before": _row["user_id"],
                "from_step": locked.current_step_id,
                "assignee_before": changes.before(_row["assigned_to_user_id"]),
            }
            if after is None:
                return self._fetch(uow.session, entity_id, "moved", **announced)
            # Automation that ran has the card as it left it: announce that.
            moved = after.read
            self._announcer.announce(
                uow.session,
                "moved",
                moved.id,
                moved.wfm.workflow_id,
                moved.owner_id,
                moved.wfm.step.id if moved.wfm.step else None,
                assignee=moved.assignee_id,
                **announced,
            )
            return moved
