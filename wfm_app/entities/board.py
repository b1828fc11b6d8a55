"""A board of one workflow: its cards grouped by step with column totals, and the
defaults a board starts from. Part of ``EntityService`` (entities/base.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Generic

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.engine import definitions
from wfm_app.engine.access import require_permission
from wfm_app.engine.errors import NotFound
from wfm_app.engine.schemas import StepRead
from wfm_app.entities.kind import Board, BoardColumn, EntityKind, ReadT, weighted


class EntityBoard(Generic[ReadT]):
    kind: EntityKind[ReadT, Any, Any]

    def get_all(
        self,
        actor: Actor | None,
        *,
        workflow_id: uuid.UUID | None = None,
        owner_id: uuid.UUID | None = None,
        search: str | None = None,
        overdue_only: bool = False,
    ) -> list[ReadT]:
        raise NotImplementedError

    def default_project_type_id(self) -> uuid.UUID:
        """The project type a new record gets when its creator names none."""
        return definitions.project_type_by_name(self.kind.default_project_type).id

    def column_totals(self, step: StepRead, amounts: Iterable[Decimal]) -> tuple[Decimal, Decimal]:
        """A column's total and its total weighted by the step's probability."""
        total = sum(amounts, Decimal(0))
        progress = (step.number(self.kind.probability_key) or 0.0) / 100
        return total, weighted(total, progress)

    def default_workflow_id(self, actor: Actor | None) -> uuid.UUID:
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        workflow_id = definitions.project_types()[
            self.default_project_type_id()
        ].default_workflow_id
        if workflow_id is None:
            raise NotFound(
                f'Project type "{self.kind.default_project_type}" has no default workflow.'
            )
        return workflow_id

    def board(
        self,
        actor: Actor | None,
        *,
        workflow_id: uuid.UUID | None = None,
        owner_id: uuid.UUID | None = None,
        search: str | None = None,
        overdue_only: bool = False,
    ) -> Board[ReadT]:
        """Every visible entity of one workflow, grouped by step, in one query."""
        workflow_id = workflow_id or self.default_workflow_id(actor)
        cards = self.get_all(
            actor,
            workflow_id=workflow_id,
            owner_id=owner_id,
            search=search,
            overdue_only=overdue_only,
        )
        graph = definitions.graph(workflow_id)
        by_step: dict[uuid.UUID, list[ReadT]] = {step.id: [] for step in graph.steps}
        for card in cards:
            step = card.wfm.step  # type: ignore[attr-defined]
            if step is not None and step.id in by_step:
                by_step[step.id].append(card)
        columns = []
        for step in graph.steps:
            step_cards = by_step[step.id]
            amounts = (self.kind.amount_of(card) or Decimal(0) for card in step_cards)
            columns.append(BoardColumn(step, step_cards, *self.column_totals(step, amounts)))
        return Board(graph.workflow, columns)
