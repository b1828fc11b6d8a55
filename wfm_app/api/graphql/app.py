"""POST /graphql: the bearer token becomes the actor, then the schema runs.

Nearly every request is one operation in a JSON object: that is read and answered here in
a few steps (``_plain_operation``). Strawberry's view answers the rest (batches, streams,
uploads, malformed bodies) with its own words, and it cost a small request's event loop
a third of its turn: the content type parsed by the email package, a protocol check
per header, a response object that is thrown away.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import orjson
from cross_web import HTTPException
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.encoding import encode
from wfm_app.api.graphql.schema import schema
from wfm_app.auth.tokens import TokenRejected, actor_for_token
from wfm_app.errors import WfmError

log = logging.getLogger("wfm.api")
RETRY_SECONDS = 5  # what a 503 tells the client to wait before trying again
_POST_OPERATIONS = OperationType.from_http("POST")
_KEYS = frozenset({"query", "variables", "operationName", "extensions"})
_STREAMS = (b"multipart/", b"text/event-stream")  # what asks strawberry for a stream


class _Encoded(dict[str, Any]):
    """An answer already turned into JSON (in the worker thread that executed it)."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body


class WfmGraphQL(GraphQL[Context, None]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _plain_json(scope):
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        body = await request.body()
        operation = _plain_operation(body)
        if operation is None:  # strawberry reads it again, and answers as it does
            await super().__call__(scope, _replay(body, receive), send)
            return
        try:
            response = await self._answer(request, operation)
        except HTTPException as error:
            response = _refusal(error)
        await response(scope, receive, send)

    async def _answer(self, request: Request, operation: dict[str, Any]) -> Response:
        """What strawberry's view answers a single JSON operation, without its detours."""
        context = await self.get_context(request, response=None)
        try:
            result = await self.schema.execute(
                operation["query"],
                variable_values=operation.get("variables"),
                context_value=context,
                operation_name=operation.get("operationName"),
                allowed_operation_types=_POST_OPERATIONS,
                operation_extensions=operation.get("extensions"),
            )
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except InvalidOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason("POST")) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request") from error
        body = self.encode_json(await self.process_result(request, result))
        return Response(body, media_type="application/json")

    async def run(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        try:
            return await super().run(request, *args, **kwargs)
        except HTTPException as error:
            if error.status_code != 503:
                raise
            return _refusal(error)

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


def _refusal(error: HTTPException) -> Response:
    """Strawberry answers an HTTPException in plain text; a 503 also says when to try
    again (``Retry-After``), so a client backs off instead of hammering."""
    headers = {"Retry-After": str(RETRY_SECONDS)} if error.status_code == 503 else None
    return PlainTextResponse(error.reason, status_code=error.status_code, headers=headers)


def _plain_json(scope: Scope) -> bool:
    """A POST of JSON that asks for no stream."""
    if scope["method"] != "POST":
        return False
    content_type = accept = b""
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value
        elif name == b"accept":
            accept = value.lower()
    kind = content_type.partition(b";")[0].strip().lower()
    return kind == b"application/json" and not any(stream in accept for stream in _STREAMS)


def _plain_operation(body: bytes) -> dict[str, Any] | None:
    """The body's one operation: an object of a text query and what strawberry would take
    with it; None for anything else, which strawberry's view then answers."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not _KEYS.issuperset(data):
        return None
    if (
        isinstance(data.get("query"), str)
        and isinstance(data.get("variables"), dict | None)
        and isinstance(data.get("operationName"), str | None)
        and isinstance(data.get("extensions"), dict | None)
    ):
        return data
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """The request's body once more, for strawberry's view to read after ours did; then
    the connection's own messages (a disconnect)."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


graphql_app = WfmGraphQL(schema, graphql_ide=None, allow_queries_via_get=False)
