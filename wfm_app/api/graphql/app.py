"""POST /graphql: the bearer token becomes the actor, then the schema runs."""

from __future__ import annotations

import logging
from typing import Any

import httpx
from cross_web import HTTPException
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from strawberry.asgi import GraphQL
from strawberry.types import ExecutionResult

from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.encoding import encode
from wfm_app.api.graphql.schema import schema
from wfm_app.auth.tokens import TokenRejected, actor_for_token
from wfm_app.errors import WfmError

log = logging.getLogger("wfm.api")
RETRY_SECONDS = 5  # what a 503 tells the client to wait before trying again


class _Encoded(dict[str, Any]):
    """An answer already turned into JSON (in the worker thread that executed it)."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body


class WfmGraphQL(GraphQL[Context, None]):
    async def run(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        """Strawberry answers an HTTPException in plain text; a 503 also says when to try
        again (``Retry-After``), so a client backs off instead of hammering."""
        try:
            return await super().run(request, *args, **kwargs)
        except HTTPException as error:
            if error.status_code != 503:
                raise
            headers = {"Retry-After": str(RETRY_SECONDS)}
            return PlainTextResponse(error.reason, status_code=503, headers=headers)

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
        except (httpx.HTTPError, SQLAlchemyError, WfmError) as error:
            # the identity provider or the database did not answer the token's first check
            # (or it clashed, or timed out): the client may try again, which a 500 does not say
            log.warning("API token could not be checked: %s", error)
            raise HTTPException(
                503,
                "The access token could not be checked just now (the identity provider or "
                "the database did not answer); try again shortly.",
            ) from error
        return Context(actor=actor, request=request, response=response)

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        answered = getattr(request.state, "wfm_answer", None)
        if answered is not None and answered[0] is result:
            return _Encoded(answered[1])
        return await super().process_result(request, result)  # refused before executing

    def encode_json(self, data: object) -> str | bytes:
        return data.body if isinstance(data, _Encoded) else encode(data)

    def parse_json(self, data: str | bytes) -> Any:
        """JSON nested past Python's recursion limit is bad input, not a server error."""
        try:
            return super().parse_json(data)
        except RecursionError:
            raise HTTPException(400, "The request body's JSON nests too deeply.") from None


graphql_app = WfmGraphQL(schema, graphql_ide=None, allow_queries_via_get=False)
