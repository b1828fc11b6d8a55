"""Cards known by another system's id (a Jira issue key, a ServiceNow incident number, a
CSV file's id column): a re-import updates the card instead of copying it, and an inbound
event finds the card it is about."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Index, Table, Text, UniqueConstraint, select
from sqlmodel import Field, Session, SQLModel

from wfm_app.sqltypes import table_of, timestamp_field
from wfm_app.tenancy import OrgOwned, org_field

MAX_SOURCE_LENGTH = 40
MAX_EXTERNAL_ID_LENGTH = 200
# ServiceNow's Table API addresses a record by its sys_id, not by the incident number the
# card is known by: an inbound event's sys_id is kept beside the number, under this source.
SERVICENOW_SYS_ID = "servicenow:sys_id"


class ExternalRef(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_external_refs"
    __table_args__ = (
        UniqueConstraint("org_id", "source", "external_id", name="uq_external_refs_source_id"),
        Index("idx_external_refs_project", "wfm_project_id"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    # "jira", "servicenow", "csv" or an inbound endpoint's id: whose ids these are
    source: str = Field(sa_type=Text)
    external_id: str = Field(sa_type=Text)
    wfm_project_id: uuid.UUID = Field(foreign_key="wfm_projects.id", ondelete="CASCADE")
    created_at: datetime = timestamp_field()


_refs: Table = table_of(ExternalRef)


def projects_of(
    session: Session, source: str, external_ids: Collection[str]
) -> dict[str, uuid.UUID]:
    """The WFM projects already known by these ids of ``source`` (one query)."""
    if not external_ids:
        return {}
    rows = session.execute(
        select(_refs.c.external_id, _refs.c.wfm_project_id).where(
            _refs.c.source == source, _refs.c.external_id.in_(list(external_ids))
        )
    )
    return {external_id: project_id for external_id, project_id in rows}


def entities_of(
    session: Session, table: Table, source: str, external_ids: Collection[str]
) -> dict[str, uuid.UUID]:
    """The cards of a kind (its entity ``table``) already known by these ids of ``source``:
    external id -> the entity's id (two queries, whatever the number of ids)."""
    projects = projects_of(session, source, external_ids)
    if not projects:
        return {}
    rows = session.execute(
        select(table.c.wfm_project_id, table.c.id).where(
            table.c.wfm_project_id.in_(list(projects.values()))
        )
    )
    entity_of = {project_id: entity_id for project_id, entity_id in rows}
    return {ext: entity_of[pid] for ext, pid in projects.items() if pid in entity_of}


def remember(session: Session, source: str, pairs: Collection[tuple[str, uuid.UUID]]) -> None:
    """Record that each project is ``external_id`` in ``source`` (in the caller's
    transaction; the unique constraint refuses a second card for the same id)."""
    if pairs:
        session.execute(
            _refs.insert(),
            [
                {"id": uuid.uuid4(), "source": source, "external_id": ext, "wfm_project_id": pid}
                for ext, pid in pairs
            ],
        )


def ids_of(session: Session, project_id: uuid.UUID) -> dict[str, str]:
    """A card's ids in other systems: source -> external id (the newest per source)."""
    rows = session.execute(
        select(_refs.c.source, _refs.c.external_id)
        .where(_refs.c.wfm_project_id == project_id)
        .order_by(_refs.c.created_at)
    )
    return {source: external_id for source, external_id in rows}


def remember_once(session: Session, source: str, external_id: str, project_id: uuid.UUID) -> None:
    """``remember`` unless this id of ``source`` is already recorded (for any card)."""
    if not projects_of(session, source, [external_id]):
        remember(session, source, [(external_id, project_id)])
