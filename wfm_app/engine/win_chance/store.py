"""Each workflow's learned win chance, stored (``wfm_win_models``, one row per workflow)
so pages and the API read a few numbers instead of learning on the request path. The
worker relearns models older than ``STALE_AFTER``; an admin may relearn one at once."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, select
from sqlmodel import Field, Session, SQLModel

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import access, custom_values, definitions, ownership, step_settings
from wfm_app.engine.models import WfmProject, WfmProjectHistory, Workflow
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.engine.win_chance.learning import (
    MAX_CLOSED,
    Examples,
    WinModel,
    fit,
    learnable_steps,
)
from wfm_app.engine.win_chance.predictors import Predictor
from wfm_app.sqltypes import JsonDocument, UtcDateTime, table_of, utc_now
from wfm_app.tenancy import OrgOwned, org_field

STALE_AFTER = timedelta(hours=1)


class WinModelRow(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_win_models"

    org_id: uuid.UUID = org_field()
    workflow_id: uuid.UUID = Field(foreign_key="workflows.id", ondelete="CASCADE", primary_key=True)
    model: dict[str, Any] | None = Field(default=None, sa_type=JsonDocument)  # None: not learned
    note: str = ""  # why nothing was learned
    closed_cards: int = 0
    won_cards: int = 0
    fitted_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


_rows: Table = table_of(WinModelRow)
_projects: Table = table_of(WfmProject)
_history: Table = table_of(WfmProjectHistory)


def _outcome_steps(graph: WorkflowGraph, outcome: str) -> list[uuid.UUID]:
    return [s.id for s in graph.steps if step_settings.of(s).outcome == outcome]


def _fixed_chances(graph: WorkflowGraph) -> dict[uuid.UUID, float]:
    """The steps' own probabilities (0-1), the baseline the learned chance is scored
    against."""
    keys = [k.probability_key for k in definitions.kinds_on(graph.id) if k.probability_key]
    return {s.id: (s.number(keys[0]) or 0.0) / 100 if keys else 0.5 for s in graph.steps}


def marked_predictors(graph: WorkflowGraph) -> list[Predictor]:
    """The active custom fields an admin marked as predictors, of the kinds on the
    workflow."""
    return [
        Predictor(field.entity_type, field.key, field.label, field.field_type)
        for kind in definitions.kinds_on(graph.id)
        for field in custom_values.cached_definitions(kind.entity_type)
        if field.active and field.predicts_win
    ]


def _card_values(
    session: Session,
    examples: Examples,
    closed: Any,
    project_ids: list[uuid.UUID],
    keys: list[str],
) -> dict[uuid.UUID, int]:
    """Each closed card's values of the marked fields (only those keys are read: a
    document may hold 200 fields), added to ``examples``: project id -> its index."""
    documents = ownership.custom_values()
    found: dict[uuid.UUID, tuple[str | None, dict[str, Any]]] = {}
    if documents is not None:
        documents = documents.subquery("documents")
        stored = documents.c.custom_field_values
        query = select(
            documents.c.project_id, documents.c.entity_type, *(stored[key] for key in keys)
        ).where(documents.c.project_id.in_(select(closed.c.id)))
        for project_id, entity_type, *values in session.execute(query):
            given = {k: v for k, v in zip(keys, values, strict=True) if v is not None}
            found[project_id] = (entity_type, given)
    return {p: examples.add_card(*found.get(p, (None, {}))) for p in project_ids}


def _examples(session: Session, graph: WorkflowGraph, keys: list[str]) -> tuple[Examples, int, int]:
    won, lost = _outcome_steps(graph, "WON"), _outcome_steps(graph, "LOST")
    closed = (
        select(_projects.c.id, _projects.c.current_step_id)
        .where(_projects.c.current_step_id.in_(won + lost))
        .order_by(_projects.c.step_entered_at.desc())
        .limit(MAX_CLOSED)
        .subquery("closed")
    )
    outcomes = {row.id: row.current_step_id in won for row in session.execute(select(closed))}
    examples = Examples()
    cards = _card_values(session, examples, closed, list(outcomes), keys) if keys else {}
    stays = (
        select(
            _history.c.wfm_project_id,
            _history.c.from_step_id,
            _history.c.from_entered_at,
            _history.c.changed_at,
            closed.c.current_step_id,
        )
        .join(closed, closed.c.id == _history.c.wfm_project_id)
        .where(_history.c.kind == "move", _history.c.from_step_id.in_(learnable_steps(graph)))
    )
    for project_id, step_id, entered, left, ended in session.execute(stays):
        hours = (left - entered).total_seconds() / 3600
        examples.add_stay(step_id, hours, ended in won, cards.get(project_id, -1))
    return examples, len(outcomes), sum(outcomes.values())


def learn(actor: Actor | None, workflow_id: uuid.UUID) -> tuple[WinModel | None, str]:
    """Learn the workflow's model from its latest closed cards and store it."""
    access.require_definitions_manager(actor)
    graph = definitions.graph(workflow_id)
    marked = marked_predictors(graph)
    with unit_of_work() as uow:
        keys = list(dict.fromkeys(p.key for p in marked))
        examples, closed, won = _examples(uow.session, graph, keys)
    model, note = fit(examples, closed, won, _fixed_chances(graph), utc_now(), marked)
    with unit_of_work() as uow:
        uow.session.execute(delete(_rows).where(_rows.c.workflow_id == workflow_id))
        uow.session.add(
            WinModelRow(
                workflow_id=workflow_id,
                model=model.as_document() if model else None,
                note=note,
                closed_cards=closed,
                won_cards=won,
            )
        )
        definitions.mark_changed(uow)
    return model, note


def _load(workflow_id: uuid.UUID) -> Any:
    def load(session: Session) -> tuple[WinModel | None, str] | None:
        row = session.execute(select(_rows).where(_rows.c.workflow_id == workflow_id)).first()
        if row is None:
            return None
        if row.model is None:
            return None, row.note
        model = WinModel.from_document(row.model, row.closed_cards, row.won_cards, row.fitted_at)
        return model, ""

    return load


def learned(workflow_id: uuid.UUID) -> tuple[WinModel | None, str] | None:
    """The stored model (or why there is none), None if never learned; cached with the
    definitions (a relearn invalidates it)."""
    return definitions.cached("win_model", str(workflow_id), _load(workflow_id))


def model_for(workflow_id: uuid.UUID) -> WinModel | None:
    found = learned(workflow_id)
    return found[0] if found else None


def in_use(graph: WorkflowGraph) -> WinModel | None:
    """The model the workflow's weighted totals use: only where the admin turned it on."""
    return model_for(graph.id) if graph.workflow.learned_win_chance else None


def refresh_stale(now: datetime | None = None) -> int:
    """Relearn the models of live workflows with won and lost steps that are missing or
    older than STALE_AFTER (the worker's round); how many were learned."""
    now = now or utc_now()
    automation = Actor.automation()
    with unit_of_work() as uow:
        fitted = dict(uow.session.execute(select(_rows.c.workflow_id, _rows.c.fitted_at)).all())
        workflows = table_of(Workflow)
        live = uow.session.execute(
            select(workflows.c.id).where(
                workflows.c.version_state == "live", workflows.c.is_archived.is_(False)
            )
        ).scalars()
        candidates = list(live)
    done = 0
    for workflow_id in candidates:
        graph = definitions.graph(workflow_id)
        if not (_outcome_steps(graph, "WON") and _outcome_steps(graph, "LOST")):
            continue
        if workflow_id in fitted and now - fitted[workflow_id] < STALE_AFTER:
            continue
        learn(automation, workflow_id)
        done += 1
    return done
