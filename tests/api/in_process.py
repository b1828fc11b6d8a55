"""The GraphQL schema run in-process, as a given actor, answering as a client would read it."""

from __future__ import annotations

from typing import Any

from tests import harness
from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.schema import schema


def run(actor, query: str, **variables: Any) -> dict[str, Any]:
    result = harness.run_async(
        schema.execute(query, variable_values=variables or None, context_value=Context(actor=actor))
    )
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [e.formatted for e in result.errors]
    return out
