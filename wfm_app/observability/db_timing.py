"""Every database statement timed into ``wfm_db_query_duration_seconds`` by kind, and
every failed one counted by its error class (constraint violations among them)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from wfm_app.observability import batching, metrics

_KINDS = ("select", "insert", "update", "delete")
_by_kind = {kind: batching.observations(metrics.DB_SECONDS, kind) for kind in (*_KINDS, "other")}


def _kind_of(statement: str, context: Any) -> str:
    if context is not None:
        if context.isinsert:
            return "insert"
        if context.isupdate:
            return "update"
        if context.isdelete:
            return "delete"
    # a SELECT, or text the compiler did not classify (a CTE counts as "other")
    word = statement.lstrip()[:6].lower()
    return word if word in _KINDS else "other"


def _timed(run: Callable[[str, Any], Any], statement: str, parameters: Any, context: Any) -> bool:
    """The dialect's execute, timed (one hook instead of a before and an after)."""
    started = time.perf_counter()
    run(statement, parameters)
    _by_kind[_kind_of(statement, context)].observe(time.perf_counter() - started)
    return True


def _execute(cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
    return _timed(cursor.execute, statement, parameters, context)


def _execute_many(cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
    return _timed(cursor.executemany, statement, parameters, context)


def observe(kind: str, seconds: float) -> None:
    """A statement run outside SQLAlchemy's execution (hot_statements.py), timed the same way."""
    _by_kind[kind if kind in _KINDS else "other"].observe(seconds)


def failed(error_class: str) -> None:
    metrics.DB_ERRORS.labels(error_class).inc()


def _failed(context: Any) -> None:
    error = context.sqlalchemy_exception
    failed(type(error).__name__ if error is not None else "other")


def install(engine: Engine) -> None:
    event.listen(engine, "do_execute", _execute)
    event.listen(engine, "do_executemany", _execute_many)
    event.listen(engine, "handle_error", _failed)
