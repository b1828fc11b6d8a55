"""Every database statement timed into ``wfm_db_query_duration_seconds`` by kind, and
every failed one counted by its error class (constraint violations among them)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from wfm_app.observability import batching, metrics

_KINDS = {"select", "insert", "update", "delete", "with"}
_by_kind = {
    kind: batching.observations(metrics.DB_SECONDS, kind) for kind in (*_KINDS - {"with"}, "other")
}


def _kind(statement: str) -> str:
    word = statement.lstrip()[:6].lower()
    if word == "with":  # a CTE: what it ends in is not worth parsing for
        return "other"
    return word if word in _KINDS else "other"


def _before(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, context: Any, _many: bool
) -> tuple[str, Any]:
    if context is not None:
        context.wfm_started = time.perf_counter()
    return statement, parameters  # retval=True: no wrapper around this listener


def _after(
    _conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
) -> None:
    started = getattr(context, "wfm_started", None)
    if started is None:
        return
    if context.isinsert:
        kind = "insert"
    elif context.isupdate:
        kind = "update"
    elif context.isdelete:
        kind = "delete"
    else:  # a SELECT, or text the compiler did not classify
        kind = _kind(statement)
    _by_kind[kind].observe(time.perf_counter() - started)


def _failed(context: Any) -> None:
    error = context.sqlalchemy_exception
    metrics.DB_ERRORS.labels(type(error).__name__ if error is not None else "other").inc()


def install(engine: Engine) -> None:
    event.listen(engine, "before_cursor_execute", _before, retval=True)
    event.listen(engine, "after_cursor_execute", _after)
    event.listen(engine, "handle_error", _failed)
