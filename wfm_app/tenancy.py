"""Organizations: whose a row is, and which organization the current work acts in.

Every tenant row carries ``org_id``. The organization a piece of work acts in is ambient
(a context variable), bound where a request enters (a signed-in page, an API token, a
worker's round for one organization) by ``acting_in``; new rows take it, queries are
scoped to it (db.py), and on PostgreSQL each transaction hands it to row-level security.
Work nobody bound acts in the default organization (WFM_DEFAULT_ORG), which is what a
single-organization deployment is.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from wfm_app.settings import settings
from wfm_app.sqltypes import timestamp_field

# An organization's id follows from its key: the default one is known without a query.
_NAMESPACE = uuid.UUID("6f0c2c1e-8a3b-5d7e-9c41-2b7f5a9e0d13")
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


def org_id_for(key: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, key)


DEFAULT_ORG_ID = org_id_for(settings.default_org)
_acting: ContextVar[uuid.UUID] = ContextVar("wfm_org", default=DEFAULT_ORG_ID)


def current_org_id() -> uuid.UUID:
    return _acting.get()


def bind(org_id: uuid.UUID) -> None:
    """From here on, this context (a request's task or thread) acts in ``org_id``."""
    _acting.set(org_id)


@contextmanager
def acting_in(org_id: uuid.UUID) -> Iterator[None]:
    token = _acting.set(org_id)
    try:
        yield
    finally:
        _acting.reset(token)


class Organization(SQLModel, table=True):
    __tablename__ = "organizations"

    id: uuid.UUID = Field(primary_key=True)
    key: str = Field(sa_type=Text, unique=True)
    name: str = Field(sa_type=Text)
    created_at: datetime = timestamp_field()
    # new deals start in it and forms offer it first (engine/org_settings.py)
    default_currency: str = Field(
        default="USD", sa_type=Text, sa_column_kwargs={"server_default": "USD"}
    )


class OrgOwned:
    """Marks a table model whose rows belong to one organization (``org_id``)."""


def org_field() -> Any:
    """The owning organization's id: the one the work acts in, for ORM and Core inserts."""
    return Field(
        default_factory=current_org_id,
        foreign_key="organizations.id",
        sa_column_kwargs={"default": current_org_id},
    )


ACTING_ORG_SQL = "(SELECT NULLIF(current_setting('wfm.org_id', true), '')::uuid)"


def isolation_statements(table: str) -> list[str]:
    """What puts a new table under forced row-level security on PostgreSQL (its rows
    only for the organization the transaction acts in): for migrations."""
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY org_isolation ON {table} "
        f"USING (org_id = {ACTING_ORG_SQL}) WITH CHECK (org_id = {ACTING_ORG_SQL})",
    ]
