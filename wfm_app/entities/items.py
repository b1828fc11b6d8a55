"""The cards of kinds admins define (engine/kinds.py): one generic table for them all,
each row naming its kind's entity type. A card has a name, an owner, an assignee and
its kind's custom fields; everything else (boards, moves, rules, automation, analytics)
is the same engine every kind rides on.

``service_for(entity_type)`` gives the kind's ``EntityService``, made when first asked
for and made again when the kind's description changes (a rename); the kinds themselves
come from the registry, so a kind made in another process is served here too.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Table, Text, select
from sqlmodel import Field, Session, SQLModel

from wfm_app.engine import ownership, registry
from wfm_app.engine.automation import events
from wfm_app.engine.automation.events import Handler, Subject
from wfm_app.engine.inputs import Name
from wfm_app.engine.registry import EntityDescription
from wfm_app.entities.base import EntityService
from wfm_app.entities.kind import (
    EntityInput,
    EntityKind,
    WfmPosition,
    assignee_field,
    custom_values_field,
)
from wfm_app.sqltypes import UtcDateTime, table_of, timestamp_field
from wfm_app.tenancy import OrgOwned, org_field


class Item(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_items"
    __table_args__ = (
        Index("idx_wfm_items_created", "org_id", "entity_type", "created_at", "id"),
        Index("idx_wfm_items_kind", "org_id", "entity_type", "id"),
        Index("idx_wfm_items_wfm_project", "wfm_project_id"),
        Index("idx_wfm_items_user", "user_id"),
        Index("idx_wfm_items_custom", "custom_field_values", postgresql_using="gin"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entity_type: str = Field(sa_type=Text)  # its kind's ("PURCHASE_REQUEST")
    name: str = Field(sa_type=Text)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    assigned_to_user_id: uuid.UUID | None = assignee_field()
    assigned_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    wfm_project_id: uuid.UUID | None = Field(default=None, foreign_key="wfm_projects.id")
    custom_field_values: dict[str, Any] = custom_values_field()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


ITEMS: Table = table_of(Item)
ownership.register(ITEMS, None)


class ItemCreate(EntityInput):
    name: Name
    wfm_project_type_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


class ItemUpdate(EntityInput):
    name: Name | None = None
    owner_id: uuid.UUID | None = None


@dataclass(slots=True)
class ItemRead:
    id: uuid.UUID
    kind: str  # the kind's key ("purchase-request")
    name: str
    owner_id: uuid.UUID | None
    owner_name: str | None
    assignee_id: uuid.UUID | None
    assignee_name: str | None
    assigned_at: datetime | None
    wfm: WfmPosition
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime


def _kind(description: EntityDescription) -> EntityKind[ItemRead, ItemCreate, ItemUpdate]:
    key, entity_type = description.key, description.entity_type

    def to_read(row: Mapping[str, Any], wfm: WfmPosition) -> ItemRead:
        return ItemRead(
            id=row["id"],
            kind=key,
            name=row["name"],
            owner_id=row["user_id"],
            owner_name=row["owner_name"],
            assignee_id=row["assigned_to_user_id"],
            assignee_name=row["assignee_name"],
            assigned_at=row["assigned_at"],
            wfm=wfm,
            custom_fields=row["custom_field_values"] or {},
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    return EntityKind(
        description=description,
        table=ITEMS,
        create_model=ItemCreate,
        update_model=ItemUpdate,
        to_read=to_read,
        create_values=lambda _data: {"entity_type": entity_type},
        scope=ITEMS.c.entity_type == entity_type,
    )


ItemService = EntityService[ItemRead, ItemCreate, ItemUpdate]
_services: dict[str, tuple[EntityDescription, ItemService]] = {}
_lock = threading.Lock()


def service_for(entity_type: str) -> ItemService | None:
    """The service of an admin's kind (None: no such kind, or a built-in one)."""
    if registry.is_built_in(entity_type):
        return None
    description = registry.described(entity_type)
    if description is None:
        return None
    with _lock:
        known = _services.get(entity_type)
        if known is None or known[0] != description:
            known = (description, EntityService(_kind(description), built_in=False))
            _services[entity_type] = known
        return known[1]


class _Handlers:
    """Automation and live boards reach an admin's kind's cards through this."""

    def handler_for(self, entity_type: str) -> Handler | None:
        service = service_for(entity_type)
        return service.handler if service else None

    def subject_of(self, session: Session, project_id: uuid.UUID) -> Subject | None:
        entity_type = session.execute(
            select(ITEMS.c.entity_type).where(ITEMS.c.wfm_project_id == project_id)
        ).scalar()
        service = service_for(entity_type) if entity_type else None
        return service.handler.subject_of(session, project_id) if service else None


events.register_source(_Handlers())
