"""POST /graphql: the bearer token becomes the actor, then the schema runs."""

from __future__ import annotations

import json
import logging
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from strawberry.asgi import GraphQL
from strawberry.types import ExecutionResult

from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.guards import run_off_loop
from wfm_app.api.graphql.schema import schema
from wfm_app.auth.tokens import TokenRejected, actor_for_token

log = logging.getLogger("wfm.api")


class _Encoded(dict[str, Any]):
    """An answer already turned into JSON (off the event loop)."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body


def _encode(data: object) -> bytes:
    # orjson: a 1.5 MB answer in about 4 ms (the standard library's pure-Python encoder
    # took 70 ms). Non-ASCII text is written as UTF-8, as JSON.stringify writes it.
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:  # a JSON value orjson refuses (an integer past 64 bits)
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


class WfmGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Request, response: Any) -> Context:  # type: ignore[override]
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return Context(actor=None, request=request, response=response)
        try:
            actor = await actor_for_token(token.strip())
        except TokenRejected as error:
            log.warning("API token rejected: %s", error.message)
            return Context(actor=None, unauthenticated_reason=error.message, request=request)
        return Context(actor=actor, request=request, response=response)

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        """Encode the answer in a worker thread: a large answer is megabytes of JSON."""
        data = await super().process_result(request, result)
        heavy = getattr(request.state, "wfm_heavy", False)
        client = getattr(request.state, "wfm_client", None)
        return _Encoded(await run_off_loop(_encode, data, heavy=heavy, client=client))

    def encode_json(self, data: object) -> str | bytes:
        return data.body if isinstance(data, _Encoded) else _encode(data)

    def parse_json(self, data: str | bytes) -> Any:
        """JSON nested past Python's recursion limit is bad input, not a server error."""
        try:
            return super().parse_json(data)
        except RecursionError:
            raise HTTPException(400, "The request body's JSON nests too deeply.") from None


graphql_app = WfmGraphQL(schema, graphql_ide=None, allow_queries_via_get=False)
