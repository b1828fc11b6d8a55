"""Counting the SQL statements a piece of work sends: those SQLAlchemy executes (on any
engine: the API has its own) and those run straight on psycopg (hot_statements.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from wfm_app.hot_statements import HotStatement


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """The statements sent inside the block, in order (BEGIN and SET included)."""
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    hot_run = HotStatement._run

    def counted(self: HotStatement, connection: Any, params: dict[str, Any], **how: Any) -> Any:
        cursor, compiled = hot_run(self, connection, params, **how)
        seen.append(compiled.sql)
        return cursor, compiled

    event.listen(Engine, "before_cursor_execute", listener)
    HotStatement._run = counted  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        HotStatement._run = hot_run  # type: ignore[method-assign]
        event.remove(Engine, "before_cursor_execute", listener)
