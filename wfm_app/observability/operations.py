"""The spec's ``WFMOperationLog``: each create, move (and its validation), update and
delete is timed, counted (``wfm_operations_total``, ``wfm_operation_duration_seconds``)
and written as one log line with the spec's fields and a request id. The same id is in
the GraphQL answer's ``extensions.requestId`` and in any refusal a person sees
("reference ..."), so support finds the line from what the user reports."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import orjson

from wfm_app.observability import batching, logs, metrics
from wfm_app.tenancy import current_org_id

CREATE_PROJECT = "CREATE_PROJECT"
UPDATE_STEP = "UPDATE_STEP"
VALIDATE_TRANSITION = "VALIDATE_TRANSITION"
UPDATE_ENTITY = "UPDATE_ENTITY"
DELETE_ENTITY = "DELETE_ENTITY"
# A move refused by these was refused by its validation (the transition, its
# conditions, the target's WIP limit); any other refusal came before validation began.
_VALIDATION_CODES = frozenset({"INVALID_TRANSITION", "CONDITION_FAILED", "WIP_LIMIT"})
_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

log = logs.Structured("wfm.operations")
_request_id: ContextVar[str | None] = ContextVar("wfm_request_id", default=None)


def new_request_id(given: str | None = None) -> str:
    """Bind a request id for the rest of this request: the caller's (a proxy's
    ``X-Request-ID``) when it looks like one, else a fresh one."""
    chosen = given if given and _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex[:16]
    _request_id.set(chosen)
    return chosen


def current_request_id() -> str | None:
    return _request_id.get()


@dataclass
class Operation:
    """One operation under way; the service fills in what it learns as it goes."""

    name: str
    entity_type: str
    user_id: uuid.UUID | None
    entity_id: uuid.UUID | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    validated_at: float | None = None
    span: Any = None  # its OpenTelemetry span, when traces are exported


_current: ContextVar[Operation | None] = ContextVar("wfm_operation", default=None)
_tracer: Any = None  # an OpenTelemetry tracer when traces are exported (tracing.py)


def trace_with(tracer: Any) -> None:
    global _tracer
    _tracer = tracer


def reference_of(error: BaseException) -> str | None:
    """The request id an operation's error was logged under, if it went through one."""
    found = getattr(error, "wfm_reference", None)
    return found if isinstance(found, str) else None


def validated() -> None:
    """The move under way passed its validation (called by the engine)."""
    op = _current.get()
    if op is not None and op.validated_at is None:
        op.validated_at = time.perf_counter()


@contextmanager
def operation(
    name: str,
    entity_type: str,
    user_id: uuid.UUID | None,
    entity_id: uuid.UUID | None = None,
    **metadata: Any,
) -> Iterator[Operation]:
    """Time, count and log the work inside; an error's code is its outcome, and the
    error leaves carrying the reference a person can quote (``reference_of``)."""
    op = Operation(name, entity_type, user_id, entity_id, metadata)
    token = _current.set(op)
    span = _tracer.start_as_current_span(f"wfm {name}") if _tracer is not None else None
    if span is not None:
        op.span = span.__enter__()
    try:
        yield op
    except BaseException as error:
        outcome = getattr(error, "code", None) or "INTERNAL"
        reference = _finish(op, str(outcome), error)
        with suppress(AttributeError):  # a few built-in exceptions take no attributes
            error.wfm_reference = reference  # type: ignore[attr-defined]
        raise
    else:
        _finish(op, "success", None)
    finally:
        _current.reset(token)
        if span is not None:
            span.__exit__(None, None, None)


def _finish(op: Operation, outcome: str, error: BaseException | None) -> str:
    """Count and time the operation (a move's validation as VALIDATE_TRANSITION too) and
    write its one log line (a move's says how its validation went)."""
    ended = time.perf_counter()
    reference = _request_id.get() or uuid.uuid4().hex[:16]
    if op.name == UPDATE_STEP:
        checked = None
        if op.validated_at is not None:
            checked = ("success", op.validated_at)
        elif outcome in _VALIDATION_CODES:
            checked = (outcome, ended)
        if checked is not None:
            _count(op, VALIDATE_TRANSITION, checked[0], checked[1] - op.started)
            op.metadata["validation"] = {
                "success": checked[0] == "success",
                "duration": round((checked[1] - op.started) * 1000, 3),
            }
    seconds = ended - op.started
    _count(op, op.name, outcome, seconds)
    _log(op, outcome, seconds, error, reference)
    return reference


def _count(op: Operation, name: str, outcome: str, seconds: float) -> None:
    labels = (name, op.entity_type, outcome)
    batching.tally(metrics.OPERATIONS, *labels).bump()
    batching.observations(metrics.OPERATION_SECONDS, *labels).observe(seconds)


def _log(
    op: Operation, outcome: str, seconds: float, error: BaseException | None, reference: str
) -> None:
    fields = {
        "operation": op.name,
        "entityType": op.entity_type,
        "entityId": str(op.entity_id) if op.entity_id else None,
        "userId": str(op.user_id) if op.user_id else None,
        "duration": round(seconds * 1000, 3),  # milliseconds, as the spec's log
        "success": error is None,
        "errorDetails": _details(error, outcome),
        "metadata": op.metadata,
        "requestId": reference,
        "orgId": str(current_org_id()),
    }
    if op.span is not None:
        _annotate(op.span, fields, error)
    if error is None or outcome != "INTERNAL":
        log.info("wfm operation", **fields)
    else:
        log.error("wfm operation", **fields)


def _annotate(span: Any, fields: dict[str, Any], error: BaseException | None) -> None:
    """The log line's fields as the span's attributes (``wfm.*``), its error as status."""
    from opentelemetry.trace import Status, StatusCode

    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, dict):
            value = orjson.dumps(value, default=str).decode()
        span.set_attribute(f"wfm.{key}", value)
    if error is not None:
        span.set_status(Status(StatusCode.ERROR, fields["errorDetails"]))


def _details(error: BaseException | None, outcome: str) -> str | None:
    if error is None:
        return None
    message = getattr(error, "message", None)
    if isinstance(message, str):
        return f"{outcome}: {message}"
    return f"{outcome}: {type(error).__name__}"  # unexpected: its text may hold anything
