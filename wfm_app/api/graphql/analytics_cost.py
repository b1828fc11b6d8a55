"""What a request's analytics cost: the work, not the fields.

One ``wfmAnalytics`` reads every stay on every step of the range, so its work grows with
the days asked for times the workflow's steps; ``QueryCost`` (guards.py) counts fields and
would price three years like a day. Before anything runs, each ``wfmAnalytics`` (each
alias) is charged ``days x steps`` against ``ANALYTICS_BUDGET``; a single one is always
allowed (the page asks for as much), several must share the budget. Members may ask for
one per request: their own work, once.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    get_operation_ast,
)
from graphql.execution.values import get_argument_values, get_variable_values
from strawberry.types import ExecutionContext

from wfm_app.engine import access, definitions
from wfm_app.engine.analytics.scope import DEFAULT_DAYS, MAX_DAYS
from wfm_app.errors import WfmError

FIELD = "wfmAnalytics"
FORECAST = "wfmForecast"  # 10,000 trials each: one per request
# A three-year range over a ten-step workflow: what one request may ask for in all.
ANALYTICS_BUDGET = MAX_DAYS * 10


def _root_fields(
    selections: Any, fragments: dict[str, FragmentDefinitionNode], seen: frozenset[str]
) -> Iterator[FieldNode]:
    """The operation's top-level fields, through fragments on the root type."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                yield from _root_fields(fragments[name].selection_set, fragments, seen | {name})


def _day_steps(arguments: dict[str, Any]) -> int:
    """Days in the range times steps of the workflow, as the resolver will read them."""
    end = arguments.get("to") or datetime.now(UTC)
    start = arguments.get("from") or end - timedelta(days=DEFAULT_DAYS)
    seconds = end.replace(tzinfo=end.tzinfo or UTC) - start.replace(tzinfo=start.tzinfo or UTC)
    days = min(MAX_DAYS + 1, max(1, math.ceil(seconds.total_seconds() / 86400)))
    try:
        steps = len(definitions.graph(uuid.UUID(str(arguments.get("workflowId")))).steps)
    except (ValueError, WfmError):  # the resolver will say what is wrong with it
        steps = 1
    return days * max(1, steps)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _named(
    selections: Any, fragments: dict[str, FragmentDefinitionNode], name: str
) -> list[FieldNode]:
    """The fields called ``name`` at the top of ``selections`` (None: none)."""
    if selections is None:
        return []
    return [f for f in _root_fields(selections, fragments, frozenset()) if f.name.value == name]


def analytics_work(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> list[int]:
    """The day-steps of each ``wfmAnalytics`` the operation asks for (empty: none)."""
    operation = get_operation_ast(document, operation_name)
    query_type = schema.query_type
    if not isinstance(operation, OperationDefinitionNode) or query_type is None:
        return []
    if operation.operation.value != "query" or FIELD not in query_type.fields:
        return []
    fragments = _fragments(document)
    fields = _named(operation.selection_set, fragments, FIELD)
    if not fields:
        return []
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if isinstance(coerced, list):  # bad variables: execution will say so
        return [1 for _ in fields]
    work = []
    for field in fields:
        try:
            arguments = get_argument_values(query_type.fields[FIELD], field, coerced)
        except GraphQLError:
            arguments = {}
        # bottlenecks read the range and the period of the same length before it
        both = bool(_named(field.selection_set, fragments, "bottlenecks"))
        work.append(_day_steps(arguments) * (2 if both else 1))
    return work


def forecasts_asked(document: DocumentNode, operation_name: str | None) -> int:
    """How many ``wfmForecast`` the operation asks for (aliases and fragments counted)."""
    operation = get_operation_ast(document, operation_name)
    if not isinstance(operation, OperationDefinitionNode):
        return 0
    return len(_named(operation.selection_set, _fragments(document), FORECAST))


def refusal(work: list[int], may_read_anyones: bool) -> str | None:
    """Why these analytics are too much for one request (None: they are not)."""
    if len(work) > 1 and not may_read_anyones:
        return f"Ask for one {FIELD} per request: members see their own work, once."
    total = sum(min(each, ANALYTICS_BUDGET) for each in work)
    if len(work) > 1 and total > ANALYTICS_BUDGET:
        return (
            f"These analytics ask for too much work at once ({total:,} day-steps, at most "
            f"{ANALYTICS_BUDGET:,}: days in each range times the workflow's steps): ask for "
            "fewer or shorter ranges, or split the request."
        )
    return None


def refused_analytics(context: ExecutionContext) -> ExecutionResult | None:
    """The refusal of analytics that would cost more than one request may, before
    execution (api/graphql/guards.py's RequestGuards answers it instead of executing), or
    None."""
    assert context.graphql_document is not None
    if forecasts_asked(context.graphql_document, context.operation_name) > 1:
        message = f"Ask for one {FORECAST} per request: each runs 10,000 trials."
        error = GraphQLError(message, extensions={"code": "QUERY_TOO_COMPLEX"})
        return ExecutionResult(data=None, errors=[error])
    work = analytics_work(
        context.schema._schema,
        context.graphql_document,
        context.operation_name,
        context.variables,
    )
    if not work:
        return None
    actor = getattr(context.context, "actor", None)
    reason = refusal(work, actor is not None and access.sees_everyones(actor))
    if reason is None:
        return None
    error = GraphQLError(reason, extensions={"code": "QUERY_TOO_COMPLEX"})
    return ExecutionResult(data=None, errors=[error])
