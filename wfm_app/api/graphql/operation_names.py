"""Operation names: which of a document's operations runs (the one the request names;
naming none is refused when there are several), and the bounded metric label each gets."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from wfm_app.observability import metrics

OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_OPERATION_NAMES = 300  # then any new name counts as "other": a bounded label set
_names_seen: set[str] = set()


def refused_operation_name(name: object, request_id: str) -> ExecutionResult | None:
    """operationName, when given, is a GraphQL name of at most 64 characters: anything
    else is refused as VALIDATION here, not echoed back whole in a bare 400 by strawberry."""
    if name is None or (isinstance(name, str) and OPERATION_NAME.fullmatch(name)):
        return None
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


NAMED_OPERATION = re.compile(r"\b(?:query|mutation|subscription)\s+([A-Za-z_]\w*)")


def only_operation_name(query: str | None) -> str | None:
    """The document's operation name when it holds one named operation (a client that
    sends one need not say which to run)."""
    found = NAMED_OPERATION.findall(query or "")
    return found[0] if len(found) == 1 else None


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


class OneOperationOrItsName(SchemaExtension):
    """A document with several operations runs the one the request names: the GraphQL
    spec refuses the request when it names none, where strawberry ran the first."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        # strawberry keeps the name the request gave only here (``operation_name`` falls
        # back to the first operation's)
        named = context._provided_operation_name
        if context.result is None and document is not None and named is None:
            count = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
            if count > 1:
                problem = f"This document holds {count} operations: name the one to run."
                error = GraphQLError(
                    f"Please correct the request. operationName: {problem}",
                    extensions={"code": "VALIDATION", "fieldErrors": {"operationName": problem}},
                )
                context.result = ExecutionResult(data=None, errors=[error])
        yield
