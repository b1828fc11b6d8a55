"""Reading what happened to an entity: its moves (and, asked for, its edits: what each
changed), and what automation did."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.auth.users import UserRead
from wfm_app.db import unit_of_work
from wfm_app.engine import access, people, timeline
from wfm_app.engine.access import require_permission
from wfm_app.engine.automation import runs
from wfm_app.engine.schemas import HistoryEntry
from wfm_app.entities.kind import EntityKind
from wfm_app.errors import NotFound
from wfm_app.hot_statements import Prepared
from wfm_app.sqltypes import among_parameter


class EntityHistory:
    """Part of ``EntityService`` (entities/base.py)."""

    _prepared: Prepared  # EntityService's
    kind: EntityKind[Any, Any, Any]

    def _visible(self, query: Any, actor: Actor) -> Any:
        raise NotImplementedError

    def _visible_to(self, query: Any, everyones: bool) -> Any:
        raise NotImplementedError

    def history(
        self, actor: Actor | None, entity_id: uuid.UUID, *, edits: bool = False
    ) -> list[HistoryEntry]:
        entries = self.history_many(actor, [entity_id], edits=edits)
        if entity_id not in entries:
            raise NotFound(f"{self.kind.noun.capitalize()} {entity_id} does not exist.")
        return entries[entity_id]

    def history_many(
        self, actor: Actor | None, entity_ids: Sequence[uuid.UUID], *, edits: bool = False
    ) -> dict[uuid.UUID, list[HistoryEntry]]:
        """History of each visible entity, oldest first, in one query whatever their
        number (with ``edits``, entries of kind "update" too); entities the actor may not
        see are left out, as if they did not exist."""
        return self.history_and_authors(actor, entity_ids, edits=edits)[0]

    def history_and_authors(
        self, actor: Actor | None, entity_ids: Sequence[uuid.UUID], *, edits: bool = False
    ) -> tuple[dict[uuid.UUID, list[HistoryEntry]], dict[uuid.UUID, UserRead]]:
        """``history_many``, and the people who made the entries as the actor may see them
        (the API shows them with each entry: read in the same query, not another)."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        everyones = access.sees_everyones(actor)
        params = {"ids": list(entity_ids), **access.viewer_params(actor)}
        with unit_of_work() as uow:
            dialect = uow.session.get_bind().dialect.name
            statement = self._prepared.get(
                ("timeline", dialect, everyones, edits),
                lambda: self._timeline(dialect, everyones, edits),
            )
            found = timeline.read(statement.all(uow.session, params)[1])
        return found.entries, people.as_shown(actor, found.authors)

    def _timeline(self, dialect: str, everyones: bool, edits: bool) -> Any:
        table = self.kind.table
        cards = self.kind.scoped(
            select(table.c.id.label("card_id"), table.c.wfm_project_id).where(
                among_parameter(dialect, table.c.id, "ids")
            )
        )
        return timeline.statement(self._visible_to(cards, everyones), dialect, edits=edits)

    def automation_runs(self, actor: Actor | None, entity_id: uuid.UUID) -> list[runs.RunRead]:
        """What automation rules did to the entity, oldest first."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        table = self.kind.table
        query = self.kind.scoped(select(table.c.wfm_project_id).where(table.c.id == entity_id))
        with unit_of_work() as uow:
            project_id = uow.session.execute(self._visible(query, actor)).scalar()
            if project_id is None:
                raise NotFound(f"{self.kind.noun.capitalize()} {entity_id} does not exist.")
            return runs.of_projects(uow.session, [project_id])[project_id]
