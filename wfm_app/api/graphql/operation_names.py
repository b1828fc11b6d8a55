"""Operation names: which of a document's operations runs (the one the request names;
naming none is refused when there are several), and the bounded metric label each gets."""

from __future__ import annotations

import re
import time
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse
from strawberry.types import ExecutionResult

from wfm_app.observability import metrics

MAX_TOKENS = 4000  # a document's size in GraphQL tokens (RequestGuards, guards.py)
OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_OPERATION_NAMES = 300  # then any new name counts as "other": a bounded label set
_names_seen: set[str] = set()
NAMED_OPERATION = re.compile(r"\b(?:query|mutation|subscription)\s+([A-Za-z_]\w*)")


def named_in(query: str | None) -> list[str]:
    """The names the document's text gives its operations: one search, not a parse."""
    return NAMED_OPERATION.findall(query or "")


def refused_operation(
    query: str | None, name: object, named: list[str], request_id: str
) -> ExecutionResult | None:
    """A VALIDATION error about operationName, or None when the request may go on.

    When given, it is a GraphQL name of at most 64 characters (strawberry echoed any
    length back in a bare 400). When not, the document holds one operation: the GraphQL
    spec refuses the request otherwise, where strawberry ran the first one. ``named``:
    ``named_in(query)``, searched once for this and for the request's metric label."""
    if name is None:
        count = _operations_in(query, named)
        if count < 2:
            return None
        problem = f"This document holds {count} operations: name the one to run."
    elif isinstance(name, str) and OPERATION_NAME.fullmatch(name):
        return None
    else:
        problem = "An operation's name: letters, digits and _, at most 64 characters."
    error = GraphQLError(
        f"Please correct the request. operationName: {problem}",
        extensions={
            "code": "VALIDATION",
            "fieldErrors": {"operationName": problem},
            "requestId": request_id,
        },
    )
    return ExecutionResult(data=None, errors=[error], extensions={"requestId": request_id})


def _operations_in(query: str | None, named: list[str]) -> int:
    """How many operations ``query`` defines, where it may define several. Only a
    document naming two or more can (validation refuses an anonymous one beside any
    other), so the rest, nearly every request, costs one search of its text."""
    if len(named) < 2:
        return 1
    try:
        document = parse(query or "", max_tokens=MAX_TOKENS)
    except GraphQLError:
        return 1  # strawberry's own parse reports it
    return sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)


def only_operation_name(named: list[str]) -> str | None:
    """The document's operation name when it holds one named operation (a client that
    sends one need not say which to run); ``named``: ``named_in(query)``."""
    return named[0] if len(named) == 1 else None


def observe(name: Any, outcome: str, started: float) -> None:
    """``wfm_graphql_operation_duration_seconds`` by the client's operation name."""
    if not (isinstance(name, str) and OPERATION_NAME.fullmatch(name)):
        name = "other"
    elif name not in _names_seen:
        if len(_names_seen) >= MAX_OPERATION_NAMES:
            name = "other"
        else:
            _names_seen.add(name)
    metrics.GRAPHQL_SECONDS.labels(name, outcome).observe(time.perf_counter() - started)
