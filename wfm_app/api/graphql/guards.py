"""What stands between a request and the resolvers: sign-in, cost, threads, error codes.

- No token, no work: an unauthenticated request is answered before its document is even
  parsed, so it learns nothing (no field suggestions, no introspection).
- Execution runs in a worker thread with its own event loop: resolvers call synchronous
  services, and the server's loop (every user's page, ``/ping``) must never wait on them.
- A query's cost (fields, with list fields weighing ``LIST_WEIGHT`` times their items) is
  capped, on top of depth, token and alias caps.
- Engine errors keep their sentence and get a code; input that GraphQL itself cannot
  coerce is VALIDATION; anything else is masked and logged once.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
import threading
import time
from collections.abc import Callable, Coroutine, Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache, partial
from typing import Any, TypeVar

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
    parse,
)
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_limit
from strawberry.extensions.query_depth_limiter import create_validator as depth_limit
from strawberry.http import process_result
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from wfm_app import tenancy
from wfm_app.api.graphql import processes
from wfm_app.api.graphql.analytics_cost import refused_analytics
from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.encoding import encode
from wfm_app.api.graphql.fair import FairLimiter
from wfm_app.api.graphql.operation_names import (
    MAX_TOKENS,
    named_in,
    observe,
    only_operation_name,
    refused_operation,
)
from wfm_app.db import api_statements, unit_of_work
from wfm_app.errors import ConditionFailed, ValidationFailed, WfmError
from wfm_app.observability import operations
from wfm_app.settings import settings

log = logging.getLogger("wfm.api")
T = TypeVar("T")

MAX_COST = 20_000  # PipeCD's own deal list costs 12,240
LIST_WEIGHT = 20  # what a list field is assumed to hold when its cost is estimated
# At most this many operations execute at once, the turns taken in rotation between
# clients (api/graphql/fair.py); the rest wait without holding a thread. Resolvers are
# CPU-bound Python: more threads add no speed (one GIL) but each one more takes turns
# away from the event loop that serves every page and /ping.
_EXECUTORS = FairLimiter(settings.graphql_threads)
# Heavy operations (analytics) take turns in a pool of their own: however many arrive at
# once, the light pool stays free for everyone else's calls. A field's name must appear
# in the document to be asked for (aliases rename results, not fields), so a mention is a
# safe test; a light query that merely mentions one only queues behind analytics.
_HEAVY_EXECUTORS = FairLimiter(settings.graphql_heavy_threads)
_HEAVY_FIELDS = re.compile(r"\bwfmAnalytics\b")

# graphql-core's words for a value it could not coerce to the argument's type.
_COERCION = re.compile(
    r"cannot represent|got invalid value|Expected value of type|Expected type"
    r"|is not defined by type"
)


def is_heavy(query: str | None) -> bool:
    return bool(query and _HEAVY_FIELDS.search(query))


def _give_thread_a_loop() -> None:
    _thread.loop = asyncio.new_event_loop()


# Each worker thread keeps one event loop for the process's lifetime: asyncio.run made and
# closed one per request (a selector, a socket pair: 92 us against 11 us here).
_thread = threading.local()
_POOL = ThreadPoolExecutor(
    settings.graphql_threads + settings.graphql_heavy_threads,
    thread_name_prefix="wfm-graphql",
    initializer=_give_thread_a_loop,
)


def run_on(loop: asyncio.AbstractEventLoop, coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to the end on ``loop``, a worker's own, and leave nothing on it."""
    try:
        return loop.run_until_complete(coroutine)
    finally:
        left = asyncio.all_tasks(loop)
        for task in left:  # nothing may wait on this loop for the next request
            task.cancel()
        if left:
            loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))


async def run_off_loop(
    function: Callable[[], T], *, heavy: bool = False, client: Hashable = None
) -> T:
    """``function()`` in one of the GraphQL worker threads (the heavy pool's, for
    analytics) when ``client``'s turn comes, its database statements under the API's
    time limit."""

    def bounded() -> T:
        with api_statements():
            return function()

    async with (_HEAVY_EXECUTORS if heavy else _EXECUTORS).slot(client):
        job = asyncio.wrap_future(_POOL.submit(contextvars.copy_context().run, bounded))
        try:
            return await asyncio.shield(job)
        except asyncio.CancelledError:
            # The thread cannot be stopped: the turn ends when it does, so no more than
            # the pool's share of threads ever run at once.
            await asyncio.wait({job})
            raise


class WfmSchema(strawberry.Schema):
    async def execute(self, query: str | None, *args: Any, **kwargs: Any) -> ExecutionResult:
        context = kwargs.get("context_value")
        actor = request = None
        started = time.perf_counter()
        if isinstance(context, Context):
            headers = context.request.headers if context.request is not None else {}
            request_id = operations.new_request_id(headers.get("x-request-id"))
            if context.actor is None:
                error = GraphQLError(
                    context.unauthenticated_reason,
                    extensions={"code": "UNAUTHENTICATED", "requestId": request_id},
                )
                return ExecutionResult(
                    data=None, errors=[error], extensions={"requestId": request_id}
                )
            actor, request = context.actor, context.request
            tenancy.bind(actor.org_id)  # the token's organization, for this request
        else:
            request_id = operations.new_request_id()
        given = kwargs.get("operation_name")
        named = named_in(query) if given is None else []
        refused = refused_operation(query, given, named, request_id)
        if refused is not None:
            return refused
        heavy = is_heavy(query)
        client = actor.user_id if actor is not None else None
        name = given or only_operation_name(named)
        if actor is not None and request is not None and processes.serves(query, heavy):
            assert query is not None
            job = processes.job_for(query, kwargs, actor, request_id)
            answer = await processes.answer(job, client)
            if answer is not None:
                result = ExecutionResult(data=None, errors=None)
                request.state.wfm_answer = (result, answer.body)
                observe(name, answer.outcome, started)
                return result
        execution = self.execute_here(query, *args, **kwargs)

        def execute_and_encode() -> ExecutionResult:
            # One trip to a worker thread: the answer is encoded there too (megabytes of
            # JSON for a large one), and the view sends those bytes (api/graphql/app.py).
            result = run_on(_thread.loop, execution)
            body = encode_answer(result, request_id)
            if request is not None:
                request.state.wfm_answer = (result, body)
            observe(name, outcome_of(result), started)
            return result

        return await run_off_loop(execute_and_encode, heavy=heavy, client=client)

    async def execute_here(self, query: str | None, *args: Any, **kwargs: Any) -> ExecutionResult:
        """Execute in the calling thread's loop (a worker thread's, or a worker process's)."""
        return await super().execute(query, *args, **kwargs)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """One line per refused request; unexpected failures are logged by RequestGuards."""
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, WfmError | GraphQLError):
                code = getattr(original, "code", "GRAPHQL_VALIDATION_FAILED")
                log.info("GraphQL request refused (%s): %s", code, error.message)


def encode_answer(result: ExecutionResult, request_id: str) -> bytes:
    """The answer as the client gets it, naming its request (``extensions.requestId``)."""
    result.extensions = {**(result.extensions or {}), "requestId": request_id}
    return encode(process_result(result))


def outcome_of(result: ExecutionResult) -> str:
    """ "success", or the first error's code (bounded: it becomes a metric label)."""
    if result.errors:
        return str((result.errors[0].extensions or {}).get("code", "ERROR"))[:40]
    return "success"


class QueryCost(ValidationRule):
    """Refuse a document whose estimated cost passes MAX_COST before anything runs."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        schema = self.context.schema
        root = {
            "query": schema.query_type,
            "mutation": schema.mutation_type,
        }.get(node.operation.value)
        if root is None:
            return
        fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        cost = self._cost(node.selection_set, root, fragments, set())
        if cost > MAX_COST:
            self.report_error(
                GraphQLError(
                    f"This query is too expensive (cost {cost}, at most {MAX_COST}): ask for "
                    "fewer fields or lists, or split it.",
                    node,
                    extensions={"code": "QUERY_TOO_COMPLEX"},
                )
            )

    def _cost(
        self,
        selections: SelectionSetNode | None,
        parent: Any,
        fragments: dict[str, FragmentDefinitionNode],
        seen: set[str],
    ) -> int:
        if selections is None:
            return 0
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                field = getattr(parent, "fields", {}).get(selection.name.value)
                if field is None:
                    total += 1
                    continue
                field_type = field.type
                if isinstance(field_type, GraphQLNonNull):
                    field_type = field_type.of_type
                weight = LIST_WEIGHT if isinstance(field_type, GraphQLList) else 1
                inner = self._cost(
                    selection.selection_set, get_named_type(field_type), fragments, seen
                )
                total += weight * (1 + inner)
            elif isinstance(selection, InlineFragmentNode):
                total += self._cost(selection.selection_set, parent, fragments, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in fragments and name not in seen:
                    total += self._cost(
                        fragments[name].selection_set, parent, fragments, seen | {name}
                    )
        return total


class IntrospectionInProduction(NoSchemaIntrospectionCustomRule):
    """The schema is no map for strangers: in production only with
    WFM_GRAPHQL_INTROSPECTION=1 (``wfm graphql-schema`` prints it for developers)."""

    def enter_field(self, node: FieldNode, *args: Any) -> None:
        if settings.production and not settings.graphql_introspection:
            super().enter_field(node, *args)


# Made once: rules made per request would be new classes each time, and the validation
# cache would never find a document twice.
VALIDATION_RULES: tuple[type[ValidationRule], ...] = (
    QueryCost,
    IntrospectionInProduction,
    # The schema has no cycles; its deepest useful query nests 7 fields below the root.
    depth_limit(max_depth=7, should_ignore=None),
    alias_limit(max_alias_count=30),
)


def _with_code(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    """The error as the client sees it, with the request id support can find it by."""
    request_id = operations.current_request_id()
    if request_id is not None:
        extensions = {**extensions, "requestId": request_id}
    return GraphQLError(
        message, error.nodes, error.source, error.positions, error.path, extensions=extensions
    )


# A client sends the same few documents over and over: each text is parsed and validated
# once, then remembered (bounded: a stranger's stream of new texts cannot grow memory).
_parsed = lru_cache(maxsize=512)(partial(parse, max_tokens=MAX_TOKENS))


@lru_cache(maxsize=512)
def _validated(
    schema: GraphQLSchema, query: str, rules: tuple[type[ValidationRule], ...]
) -> list[GraphQLError]:
    """Keyed by the text: hashing a parsed tree walks every node (20-26 us for a move's)."""
    return validate_document(schema, _parsed(query), rules)


class RequestGuards(SchemaExtension):
    """What every operation passes through, in one extension: strawberry makes each
    extension afresh per request and wraps each of its hooks (three of ours as one: 11-38 us
    less; strawberry's token limit, added rules and document caches here too: 35-50 us).

    - A document of more than MAX_TOKENS tokens is refused before it is parsed whole,
      and each is validated with VALIDATION_RULES as well as GraphQL's own.

    - A query's reads share one connection and transaction: each service call would
      otherwise check a connection out and send BEGIN and COMMIT of its own, three round
      trips where one does. Mutations keep a unit of work per change.
    - Analytics that would cost more than one request may are refused before execution
      (api/graphql/analytics_cost.py): a result set before execution is what strawberry
      answers instead of executing.
    - Engine errors keep their sentence and get a code; anything else is masked and logged.
    """

    def on_execute(self) -> Iterator[None]:
        if self.execution_context.operation_type is not OperationType.QUERY:
            self._price_analytics()
            yield
            return
        with unit_of_work():
            self._price_analytics()
            yield

    def _price_analytics(self) -> None:
        context = self.execution_context
        if context.graphql_document is not None:
            context.result = refused_analytics(context)

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = context.validation_rules + VALIDATION_RULES
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is None or not errors:
            return
        result.errors = [translate(error) for error in errors]

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.graphql_document = _parsed(context.query)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.query is not None  # parsed, or the request has ended
        context.pre_execution_errors = _validated(
            context.schema._schema, context.query, context.validation_rules
        )
        yield


def translate(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):  # GraphQL's own refusal
        if error.extensions and "code" in error.extensions:
            return _with_code(error, error.message, error.extensions)
        code = "VALIDATION" if _COERCION.search(error.message) else "GRAPHQL_VALIDATION_FAILED"
        return _with_code(error, error.message, {"code": code})
    if isinstance(original, WfmError):
        extensions: dict[str, Any] = {"code": original.code}
        if isinstance(original, ValidationFailed) and original.field_errors:
            extensions["fieldErrors"] = original.field_errors
        if isinstance(original, ConditionFailed):
            extensions["unmet"] = original.unmet
        return _with_code(error, original.message, extensions)
    log.error("GraphQL resolver failed: %r", original, exc_info=original)
    return _with_code(error, "Internal server error.", {"code": "INTERNAL_SERVER_ERROR"})
