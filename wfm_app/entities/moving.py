"""Moving an entity along its workflow: one move command (``move_command``) for every
path, the values given with the move written in the move's own locked read, then the
engine's checks and move, then what automation did, announced to open boards."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic

from sqlalchemy import Table, select
from sqlmodel import Session

from wfm_app.auth.actor import UPDATE_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import changes, definitions, project_moves, versions
from wfm_app.engine.access import require_permission
from wfm_app.engine.automation.notifications import About
from wfm_app.engine.branches import notify as branch_notify
from wfm_app.engine.models import WfmProjectHistory
from wfm_app.engine.rules import MoveRequest
from wfm_app.entities import chances
from wfm_app.entities.kind import EntityKind, ReadT
from wfm_app.errors import Conflict, NotFound
from wfm_app.observability import operations
from wfm_app.sqltypes import table_of

_history: Table = table_of(WfmProjectHistory)

if TYPE_CHECKING:
    from wfm_app.engine.schemas import WorkflowGraph
    from wfm_app.engine.win_chance.learning import WinModel
    from wfm_app.entities.announce import Announcer
    from wfm_app.entities.automation import EntityHandler


@dataclass(frozen=True, slots=True)
class MoveResult(Generic[ReadT]):
    """A move's result: the card as it now is, a full ``warn`` column's notice, and the
    active cards of the steps it touched that have a WIP limit (a board's WIP labels)."""

    card: ReadT
    notice: str | None
    loads: dict[uuid.UUID, int]
    history_id: uuid.UUID  # the move's history row: what an undo of it names


class EntityMoves(Generic[ReadT]):
    """Part of ``EntityService`` (entities/base.py)."""

    kind: EntityKind[ReadT, Any, Any]
    handler: EntityHandler
    _announcer: Announcer

    if TYPE_CHECKING:

        def _owned_for_update(
            self, session: Session, actor: Actor, entity_id: uuid.UUID
        ) -> tuple[Mapping[str, Any], project_moves.LockedProject]: ...
        def _changes(self, actor: Actor, data: Any) -> dict[str, Any]: ...
        def _write(
            self,
            session: Session,
            actor: Actor,
            entity_id: uuid.UUID,
            project_id: uuid.UUID,
            columns: dict[str, Any],
            current_custom: dict[str, Any] | None,
            owner_before: uuid.UUID | None,
            assignee_before: uuid.UUID | None,
        ) -> ReadT: ...
        def _fetch(
            self, session: Session, entity_id: uuid.UUID, announce: str | None = None, **kw: Any
        ) -> ReadT: ...
        def _read(
            self, row: Mapping[Any, Any], graph: WorkflowGraph, model: WinModel | None
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
        """Move along one transition (spec: update<Entity>WFMProgress); the card after it."""
        return self.move_command(
            actor, entity_id, target_step_id, expected_step_id=expected_step_id, request=request
        ).card

    def undo(
        self, actor: Actor | None, entity_id: uuid.UUID, history_id: uuid.UUID
    ) -> MoveResult[ReadT]:
        """Move the card back to where the move ``history_id`` took it from, through the
        transition the workflow allows back (its rules, conditions and WIP limits apply),
        or, on a workflow whose admin lets an undo restore the exact step, straight back
        (the WIP limit still applies): only the card's latest move, so only once. The
        history records it as an undo of that move."""
        found = self.get_by_id(actor, entity_id)  # type: ignore[attr-defined]
        if found is None:
            raise NotFound(f"{self.kind.noun.capitalize()} {entity_id} does not exist.")
        with unit_of_work() as uow:
            latest = uow.session.execute(
                select(_history.c.id, _history.c.from_step_id, _history.c.to_step_id)
                .where(_history.c.wfm_project_id == found.wfm.wfm_project_id)
                .order_by(_history.c.changed_at.desc(), _history.c.id.desc())
                .limit(1)
            ).first()
        if latest is None or latest.id != history_id or latest.from_step_id is None:
            raise Conflict(f'"{found.name}" has moved since: only its last move can be undone.')
        return self.move_command(
            actor,
            entity_id,
            latest.from_step_id,
            expected_step_id=latest.to_step_id,
            request=MoveRequest(undoes=history_id),
        )

    def move_command(
        self,
        actor: Actor | None,
        entity_id: uuid.UUID,
        target_step_id: uuid.UUID,
        *,
        expected_step_id: uuid.UUID | None = None,
        request: MoveRequest | None = None,
    ) -> MoveResult[ReadT]:
        """The one move every path takes: the card is locked and its access checked, the
        graph and the transition resolved once, the values given with the move written in
        that same locked read, then the transition's conditions, branches and the target's
        WIP limit are checked against the result and the move is applied."""
        with operations.operation(
            operations.UPDATE_STEP,
            self.kind.description.entity_type,
            actor.user_id if actor else None,
            entity_id,
            toStepId=str(target_step_id),
        ):
            return self._move_command(
                actor,
                entity_id,
                target_step_id,
                expected_step_id=expected_step_id,
                request=request or MoveRequest(),
            )

    def _move_command(
        self,
        actor: Actor | None,
        entity_id: uuid.UUID,
        target_step_id: uuid.UUID,
        *,
        expected_step_id: uuid.UUID | None,
        request: MoveRequest,
    ) -> MoveResult[ReadT]:
        actor = require_permission(actor, UPDATE_PROJECTS, f"move {self.kind.noun}s")
        with unit_of_work() as uow:
            session = uow.session
            row, locked = self._owned_for_update(session, actor, entity_id)
            graph = definitions.graph(locked.workflow_id)
            # A board of a newer version names its own columns: this card's version's
            # steps with the same status are meant.
            target_step_id = versions.step_on_version(session, graph, target_step_id)
            if expected_step_id is not None:
                expected_step_id = versions.step_on_version(session, graph, expected_step_id)
            transition = project_moves.transition_for(
                graph, locked, target_step_id, expected_step_id, undoing=bool(request.undoes)
            )
            card = None
            if request.values:
                card = self._write(
                    session,
                    actor,
                    entity_id,
                    locked.id,
                    self._changes(actor, self.kind.update_input(request.values)),
                    row["custom_field_values"],
                    row["user_id"],
                    row["assigned_to_user_id"],
                )
            values = None
            if transition.conditions:
                read = card or self._read(row, graph, chances.model_of(graph))
                values = self.kind.values_of(read)
            moved = project_moves.apply_move(
                session,
                actor,
                locked,
                graph,
                transition,
                request=request,
                values=values,
                load_subject=lambda: self.handler.subject(self._fetch(session, entity_id)),
            )
            announced = {
                "owner_before": row["user_id"],
                "from_step": locked.current_step_id,
                "assignee_before": changes.before(row["assigned_to_user_id"]),
            }
            if moved.subject is None:
                after = self._fetch(session, entity_id, "moved", **announced)
            else:  # automation that ran has the card as it left it: announce that
                after = moved.subject.read
                self._announcer.announce(
                    session,
                    "moved",
                    after.id,
                    after.wfm.workflow_id,
                    after.owner_id,
                    after.wfm.step.id if after.wfm.step else None,
                    assignee=after.assignee_id,
                    **announced,
                )
            now_on: Any = after  # every kind's read has these
            branch_notify.waiting(
                session,
                actor,
                graph.branches_on(now_on.wfm.step.id if now_on.wfm.step else None),
                About(self.kind.description.entity_type, now_on.id, locked.id, now_on.name),
                now_on.owner_id,
                now_on.assignee_id,
            )
            return MoveResult(after, moved.notice, moved.loads, moved.history_id)
