"""Readiness: the database answers and its schema is at the migrations' head, and Redis
answers when the app is configured to use it. Each check is bounded in time and says
in a few words what failed (never a connection string)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from wfm_app import db
from wfm_app.settings import REPO_ROOT, settings

TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@cache
def _heads() -> frozenset[str]:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def database() -> list[Check]:
    try:
        with db.get_engine().connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(
                    f"SET LOCAL statement_timeout = {int(TIMEOUT_SECONDS * 1000)}"
                )
            found = {
                row[0]
                for row in connection.execute(text("SELECT version_num FROM alembic_version"))
            }
    except Exception as error:  # any failure is the answer, not a crash
        return [Check("database", False, type(error).__name__)]
    at_head = found == set(_heads())
    return [
        Check("database", True, "reachable"),
        Check("migrations", at_head, "at head" if at_head else "not at head: run wfm migrate"),
    ]


def redis() -> list[Check]:
    if not settings.redis_url:
        return []
    import redis as redis_client

    try:
        client = redis_client.Redis.from_url(
            settings.redis_url,
            socket_timeout=TIMEOUT_SECONDS,
            socket_connect_timeout=TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:
        return [Check("redis", False, type(error).__name__)]
    return [Check("redis", True, "reachable")]


def readiness() -> list[Check]:
    """Blocking: call it off the event loop."""
    return database() + redis()
