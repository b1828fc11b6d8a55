"""A board of one workflow, paged per column in the database: each column's first cards
(newest in the step first), and every column's count and totals, in two queries whatever
the table size. Part of ``EntityService`` (entities/base.py)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Generic

from sqlalchemy import Table, case, func, select, union_all
from sqlmodel import Session

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import access, definitions, versions
from wfm_app.engine.access import require_permission
from wfm_app.engine.models import WfmProject
from wfm_app.engine.schemas import ProjectTypeRead, StepRead, WorkflowGraph, WorkflowRead
from wfm_app.entities import chances, checks
from wfm_app.entities.filtering import CardFilter
from wfm_app.entities.kind import Board, BoardColumn, EntityKind, ReadT, weighted
from wfm_app.errors import NotFound, ValidationFailed
from wfm_app.sqltypes import table_of, utc_now

PAGE_SIZE = 20
MAX_PAGE = 500
_projects: Table = table_of(WfmProject)


def _newest_key(card: Any) -> tuple[Any, Any]:
    return card.wfm.step_entered_at, card.wfm.wfm_project_id


def board_filter(
    workflow_id: uuid.UUID | None,
    owner_id: uuid.UUID | None,
    assignee_id: uuid.UUID | None,
    search: str | None,
    overdue_only: bool,
    waiting_on_me: bool,
) -> CardFilter:
    """A board's filter bar as the one filter every list reads through."""
    return CardFilter(
        search=search,
        workflow_id=workflow_id,
        owner_ids=(owner_id,) if owner_id else (),
        assignee_ids=(assignee_id,) if assignee_id else (),
        overdue_only=overdue_only,
        waiting_on_me=waiting_on_me,
    )


class EntityBoard(Generic[ReadT]):
    kind: EntityKind[ReadT, Any, Any]

    # Provided by EntityService (entities/base.py).
    def _select(self) -> Any:
        raise NotImplementedError

    def _visible(self, query: Any, actor: Actor) -> Any:
        raise NotImplementedError

    def _read_rows(self, session: Session, rows: Any, *, with_branches: bool = True) -> list[ReadT]:
        raise NotImplementedError

    def _conditions(self, actor: Actor, filters: CardFilter) -> list[Any]:
        raise NotImplementedError

    def default_project_type_id(self) -> uuid.UUID:
        """The project type a new record gets when its creator names none."""
        return definitions.project_type_by_name(self.kind.default_project_type).id

    def _amount_column(self) -> Any:
        """The column a board totals (the kind's first amount field), if any."""
        spec = next((f for f in self.kind.description.fields if f.type == "amount"), None)
        return self.kind.table.c[spec.key] if spec else None

    def column_totals(
        self, step: StepRead, total: Decimal, learned: Decimal | None = None
    ) -> tuple[Decimal, Decimal]:
        """A column's total and its total weighted by the step's probability (or, where
        the workflow uses learned chances, the sum its cards' weighted amounts gave)."""
        if learned is not None:
            return total, learned.quantize(Decimal("0.01"))
        progress = (step.number(self.kind.probability_key) or 0.0) / 100
        return total, weighted(total, progress)

    def offered(self, actor: Actor | None) -> tuple[list[ProjectTypeRead], list[WorkflowRead]]:
        """What this kind's board offers: the project types a new card may start as
        (this kind's, and those no kind claims; its default first) and the live workflows
        they start on that have steps."""
        require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        default = self.default_project_type_id()
        types = sorted(
            (
                t
                for t in definitions.project_types().values()
                if not t.is_archived and not checks.meant_for_another(self.kind.description, t)
            ),
            key=lambda t: (t.id != default, t.name.lower()),
        )
        flows: dict[uuid.UUID, WorkflowRead] = {}
        for project_type in types:
            if project_type.default_workflow_id is None:
                continue
            graph = definitions.graph(project_type.default_workflow_id)
            live = graph.workflow.version_state == versions.LIVE
            if live and not graph.workflow.is_archived and graph.steps:
                flows[graph.id] = graph.workflow
        return types, list(flows.values())

    def starts_on(self, actor: Actor | None, workflow_id: uuid.UUID) -> uuid.UUID:
        """The project type a card added to this workflow's board starts as: the first
        offered one whose cards start on it."""
        types, _flows = self.offered(actor)
        found = next((t.id for t in types if t.default_workflow_id == workflow_id), None)
        if found is None:
            message = f"No {self.kind.noun} project type starts on this workflow."
            raise ValidationFailed(message, {"wfm_project_type_id": message})
        return found

    def learned_totals(
        self, actor: Actor | None, workflow_id: uuid.UUID, **filters: Any
    ) -> dict[uuid.UUID, Decimal] | None:
        """Each column's total weighted by its cards' learned chances, with the board's
        ``filters`` (None where the workflow keeps its steps' probabilities)."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        graph = definitions.graph(workflow_id)
        chance = self._chance_in_sql(graph)
        if chance is None:
            return None
        where = self._conditions(actor, board_filter(workflow_id, **filters))
        spans = versions.columns(workflow_id)
        found: dict[uuid.UUID, Decimal] = {}
        with unit_of_work() as uow:
            query = self.counted_by(actor, where, _projects.c.current_step_id, chance)
            for step_id, _n, _total, weighed in uow.session.execute(query):
                column = spans.column_of.get(step_id, step_id)
                found[column] = found.get(column, Decimal(0)) + Decimal(weighed)
        return found

    def _chance_in_sql(self, graph: WorkflowGraph) -> Any | None:
        """Each card's learned chance in SQL, where the workflow's totals use one."""
        key, own = self.kind.probability_key, self.kind.own_probability
        if key is None or self._amount_column() is None:
            return None
        entity = (self.kind.table, self.kind.description.entity_type)
        own_column = self.kind.table.c[own] if own else None
        return chances.in_sql(key, graph, own_column, utc_now(), entity)

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

    def _newest_first(self) -> tuple[Any, Any]:
        # Ties broken by the project id: the order of idx_wfm_projects_step_entered,
        # which a column's page then walks backwards and stops after its limit.
        return _projects.c.step_entered_at.desc(), _projects.c.id.desc()

    def _in_column(self, step_id: uuid.UUID, columns: versions.Columns) -> Any:
        """The cards of one column: on its step, or on an older version's step with the
        same status."""
        older = columns.older_steps.get(step_id, ())
        if older:
            return _projects.c.current_step_id.in_((step_id, *older))
        return _projects.c.current_step_id == step_id

    def _column_key(self, columns: versions.Columns) -> Any:
        """The column a card shows in: its step, or the live step its older one maps to."""
        if not columns.column_of:
            return _projects.c.current_step_id
        return case(
            columns.column_of, value=_projects.c.current_step_id, else_=_projects.c.current_step_id
        )

    def _page_query(
        self,
        base: Any,
        step_id: uuid.UUID,
        offset: int,
        limit: int,
        columns: versions.Columns,
    ) -> Any:
        """One column's page, newest in the step first."""
        return (
            base.where(self._in_column(step_id, columns))
            .order_by(*self._newest_first())
            .offset(offset)
            .limit(limit)
        )

    def _pages(
        self,
        base: Any,
        steps: Any,
        limits: Mapping[uuid.UUID, int],
        one_owner: bool,
        columns: versions.Columns,
    ) -> Any:
        """Every column's first page in one statement. Whose cards decides the plan, so
        neither reads the whole table: one owner's cards are ranked per step in one pass
        over that owner's (idx_deals_user, then the projects' primary key); everyone's
        are read per column from the step index, newest first, stopping at the limit."""
        if one_owner:
            rank = (
                func.row_number()
                .over(partition_by=self._column_key(columns), order_by=self._newest_first())
                .label("column_rank")
            )
            ranked = base.add_columns(rank, self._column_key(columns).label("column_key"))
            ranked = ranked.subquery()
            cap: Any = (
                case(
                    {step_id: limit for step_id, limit in limits.items()},
                    value=ranked.c.column_key,
                    else_=PAGE_SIZE,
                )
                if limits
                else PAGE_SIZE
            )
            kept = [c for c in ranked.c if c.name not in ("column_rank", "column_key")]
            return select(*kept).where(ranked.c.column_rank <= cap)
        pages = [
            select(page.subquery())
            for page in (
                self._page_query(
                    base, step.id, 0, min(MAX_PAGE, limits.get(step.id, PAGE_SIZE)), columns
                )
                for step in steps
            )
        ]
        return union_all(*pages)

    def board(
        self,
        actor: Actor | None,
        *,
        workflow_id: uuid.UUID | None = None,
        owner_id: uuid.UUID | None = None,
        assignee_id: uuid.UUID | None = None,
        search: str | None = None,
        overdue_only: bool = False,
        waiting_on_me: bool = False,
        limits: Mapping[uuid.UUID, int] | None = None,
    ) -> Board[ReadT]:
        """The visible cards of one workflow by step: each column's first ``limits[step]``
        (default PAGE_SIZE) in one query, every column's count and totals in another."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        workflow_id = workflow_id or self.default_workflow_id(actor)
        graph = definitions.graph(workflow_id)
        filters = board_filter(
            workflow_id, owner_id, assignee_id, search, overdue_only, waiting_on_me
        )
        where = self._conditions(actor, filters)
        base = self._visible(self._select(), actor).where(*where)
        limits = {step: min(MAX_PAGE, max(1, n)) for step, n in (limits or {}).items()}
        one_owner = filters.one_person or not access.sees_everyones(actor)
        spans = versions.columns(workflow_id)
        pages = self._pages(base, graph.steps, limits, one_owner, spans) if graph.steps else None
        chance = self._chance_in_sql(graph)
        totals = self.counted_by(actor, where, _projects.c.current_step_id, chance)
        with unit_of_work() as uow:
            rows = uow.session.execute(pages).all() if pages is not None else []
            sums = uow.session.execute(totals).all()
            cards = self._read_rows(uow.session, rows)
        by_step: dict[uuid.UUID, list[ReadT]] = {step.id: [] for step in graph.steps}
        for card in cards:
            step = card.wfm.step  # type: ignore[attr-defined]
            column = spans.column_of.get(step.id, step.id) if step is not None else None
            if column in by_step:
                by_step[column].append(card)
        if spans.column_of:  # newest first within a column mixing versions
            for cards in by_step.values():
                cards.sort(key=_newest_key, reverse=True)
        counted: dict[uuid.UUID, tuple[int, Decimal, Decimal]] = {}
        for step_id, n, total, *learned in sums:
            column = spans.column_of.get(step_id, step_id)
            seen, summed, weighed = counted.get(column, (0, Decimal(0), Decimal(0)))
            weight = Decimal(learned[0]) if learned else Decimal(0)
            counted[column] = (seen + int(n), summed + Decimal(total), weighed + weight)
        columns = []
        for step in graph.steps:
            count, total, weighed = counted.get(step.id, (0, Decimal(0), Decimal(0)))
            figures = self.column_totals(step, total, weighed if chance is not None else None)
            columns.append(BoardColumn(step, by_step[step.id], count, *figures))
        return Board(graph.workflow, columns)

    def counted_by(self, actor: Actor, where: list[Any], key: Any, chance: Any = None) -> Any:
        """(key, count, total amount[, total weighted by ``chance``]) of the visible cards
        ``where`` keeps, per ``key``: a board's columns (by step) or its swimlanes
        (entities/lanes.py)."""
        amount = self._amount_column()
        weighed = [] if chance is None else [func.coalesce(func.sum(amount * chance), 0)]
        return (
            self._visible(
                select(
                    key,
                    func.count(),
                    func.coalesce(func.sum(amount), 0) if amount is not None else func.count() * 0,
                    *weighed,
                )
                .select_from(self.kind.table)
                .join(_projects, _projects.c.id == self.kind.table.c.wfm_project_id),
                actor,
            )
            .where(*where)
            .group_by(key)
        )

    def column_page(
        self,
        actor: Actor | None,
        workflow_id: uuid.UUID,
        step_id: uuid.UUID,
        *,
        offset: int,
        limit: int = PAGE_SIZE,
        owner_id: uuid.UUID | None = None,
        assignee_id: uuid.UUID | None = None,
        search: str | None = None,
        overdue_only: bool = False,
        waiting_on_me: bool = False,
    ) -> list[ReadT]:
        """More of one column ("Show more"), with the board's filters."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        if not 0 <= offset <= 1_000_000 or not 1 <= limit <= MAX_PAGE:
            message = f"offset from 0 and limit from 1 to {MAX_PAGE}."
            raise ValidationFailed(message, {"limit": message})
        if definitions.graph(workflow_id).step(step_id) is None:
            raise NotFound(f"Step {step_id} is not part of workflow {workflow_id}.")
        filters = board_filter(
            workflow_id, owner_id, assignee_id, search, overdue_only, waiting_on_me
        )
        query = self._page_query(
            self._visible(self._select(), actor).where(*self._conditions(actor, filters)),
            step_id,
            offset,
            limit,
            versions.columns(workflow_id),
        )
        with unit_of_work() as uow:
            return self._read_rows(uow.session, uow.session.execute(query).all())
