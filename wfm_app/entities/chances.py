"""A card's chance of being won: its step's fixed probability, or, where the admin turned
it on for the workflow, the chance learned from closed cards (engine/win_chance) by step,
age in step and the custom fields marked as predictors. The same numbers in Python (each
read card) and in SQL (a board column's weighted total over every card, not only the
loaded ones)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import Numeric, Table, case, cast, func, literal, select

from wfm_app.engine.analytics.sql import hours_between
from wfm_app.engine.models import WfmProject, WorkflowStep
from wfm_app.engine.schemas import StepRead, WorkflowGraph
from wfm_app.engine.win_chance import store as win_chance
from wfm_app.engine.win_chance.learning import WinModel
from wfm_app.sqltypes import UtcDateTime, table_of, utc_now

_projects: Table = table_of(WfmProject)
_steps: Table = table_of(WorkflowStep)


class CardChances(TypedDict):
    progress: float
    win_chance: float | None


def model_of(graph: WorkflowGraph) -> WinModel | None:
    """The model learned for the workflow, if any: looked up once per list of cards, not
    per card (a cache lookup each, a fifth of reading a card)."""
    return win_chance.model_for(graph.id)


def of_card(
    key: str | None,
    graph: WorkflowGraph,
    model: WinModel | None,
    step: StepRead | None,
    entered_at: datetime,
    entity_type: str | None = None,
    values: Mapping[str, Any] | None = None,
) -> CardChances:
    """A read card's ``progress`` (the chance its weighted amount uses) and its learned
    ``win_chance`` where there is one, 0-1 (WfmPosition's fields); ``model``: the
    workflow's (``model_of``); ``values``: the card's custom field values, for the fields
    the model learned from."""
    fixed = (step.number(key) or 0.0) / 100 if step is not None else 0.0
    if step is None or key is None:
        return {"progress": fixed, "win_chance": None}
    age_hours = (utc_now() - entered_at).total_seconds() / 3600
    learned = model.chance(step.id, age_hours, entity_type, values) if model else None
    used = learned if learned is not None and graph.workflow.learned_win_chance else fixed
    return {"progress": used, "win_chance": learned}


def fixed_in_sql(key: str) -> Any:
    """The card's step's own probability (metadata ``key``, 0-100) as a fraction, in SQL
    over wfm_projects (0 where the step has none)."""
    step_probability = (
        select(_steps.c["metadata"][key].as_float().cast(Numeric))
        .where(_steps.c.id == _projects.c.current_step_id)
        .scalar_subquery()
    )
    return func.coalesce(step_probability, 0) / 100


def in_sql(
    key: str,
    graph: WorkflowGraph,
    own: Any,
    now: datetime,
    entity: tuple[Table, str] | None = None,
) -> Any | None:
    """The chance each card's amount is weighted by, as SQL over wfm_projects joined to
    the ``entity`` (table, entity type) whose custom values it reads (the card's own
    probability first); None where the workflow keeps its steps' probabilities."""
    model = win_chance.in_use(graph)
    if model is None or not model.steps:
        return None
    age_days = hours_between(_projects.c.step_entered_at, literal(now, UtcDateTime)) / 24
    score = case(
        {
            step_id: model.intercept + weight + slope * func.ln(1 + age_days)
            for step_id, (weight, slope) in model.steps.items()
        },
        value=_projects.c.current_step_id,
        else_=None,
    )
    if entity is not None:
        table, entity_type = entity
        for term in model.terms:
            if term.entity_type == entity_type:
                score = score + term.in_sql(table.c.custom_field_values)
    learned = 1 / (1 + func.exp(-score))
    chance = func.coalesce(learned, fixed_in_sql(key))
    if own is not None:
        chance = func.coalesce(own, chance)
    return cast(chance, Numeric)
