"""The PostgreSQL role the app connects as: one row-level security holds to.

A superuser, or a role with BYPASSRLS, skips every policy, so the app refuses to start
as one. ``wfm db create-app-role NAME`` (run as the tables' owner, the role that runs the
migrations) creates a login role with only what the app needs: it reads and writes rows,
it does not own, alter or drop anything, and it only reads which migration ran.
"""

from __future__ import annotations

import re

from psycopg import errors, sql
from sqlalchemy.exc import DBAPIError

from wfm_app.db import get_engine
from wfm_app.tenant_scope import privileged

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
REFUSAL = (
    "The app connects to PostgreSQL as {role!r}, a superuser or a role with BYPASSRLS: "
    "row-level security would not hold to it. Create a role for the app with "
    "`wfm db create-app-role NAME` (as the tables' owner) and put it in DATABASE_URL."
)


def refuse_privileged_role() -> None:
    """At start-up (a lifespan step): stop here rather than serve without the policies."""
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        role = privileged(connection)
    if role is not None:
        raise SystemExit(REFUSAL.format(role=role))


def create_app_role(name: str, password: str | None = None) -> str:
    """Create (or bring back in line) the app's login role in this database; what was done.
    Roles belong to the whole server: another database's run may be making it right now."""
    for attempt in range(3):
        try:
            return _create_app_role(name, password)
        except (errors.DuplicateObject, errors.InternalError_, DBAPIError):
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _create_app_role(name: str, password: str | None) -> str:
    if not ROLE_NAME.fullmatch(name):
        raise ValueError("A role name is 1 to 63 of a-z, 0-9 and _, not starting with a digit.")
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        raise ValueError("Roles are PostgreSQL's: the embedded SQLite database has none.")
    role = sql.Identifier(name)
    with engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
        existed = cursor.fetchone() is not None
        if not existed:
            cursor.execute(
                sql.SQL(
                    "CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
                ).format(role)
            )
        cursor.execute(sql.SQL("ALTER ROLE {} NOSUPERUSER NOBYPASSRLS").format(role))
        if password:
            cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(password)))
        for grant in (
            "GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}",
            "GRANT USAGE ON SCHEMA public TO {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            "REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            # tables later migrations add (made by this same owner) are the app's too
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        ):
            cursor.execute(
                sql.SQL(grant).format(
                    role=role, database=sql.Identifier(connection.engine.url.database or "")
                )
            )
    return "granted" if existed else "created"
