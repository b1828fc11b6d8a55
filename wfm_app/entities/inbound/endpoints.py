"""An admin's inbound endpoints: one per source, with its secret (shown once), the kind of
card it makes and a map of the source's status names to steps; and every event received,
with what it did or why it was refused (kept to retry)."""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel, col, select

from wfm_app.auth import users
from wfm_app.auth.actor import MANAGER, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine.access import require_definitions_manager
from wfm_app.engine.common import get_or_404
from wfm_app.engine.inputs import Input, Name
from wfm_app.entities import service_by_key, service_for
from wfm_app.errors import ValidationFailed
from wfm_app.sqltypes import JsonDocument, timestamp_field
from wfm_app.tenancy import OrgOwned, current_org_id, org_field

PRESETS = {"generic": "Generic JSON", "jira": "Jira", "servicenow": "ServiceNow"}
INTEGRATION_ISSUER = "wfm:integration"  # the user each endpoint acts as (named after it)


class InboundEndpoint(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_inbound_endpoints"

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(sa_type=Text)
    preset: str = Field(sa_type=Text)  # generic | jira | servicenow
    entity_type: str = Field(sa_type=Text)  # the kind of card it makes
    secret: str = Field(sa_type=Text)  # whsec_... (Standard Webhooks), or Jira's secret
    status_map: dict[str, str] = Field(default_factory=dict, sa_type=JsonDocument)
    acting_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = timestamp_field()


class InboundEvent(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_inbound_events"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "delivery_id", name="uq_inbound_events_delivery"),
        Index("idx_inbound_events_received", "endpoint_id", "received_at"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    endpoint_id: uuid.UUID = Field(foreign_key="wfm_inbound_endpoints.id", ondelete="CASCADE")
    delivery_id: str = Field(sa_type=Text)  # webhook-id: a replay changes nothing
    external_id: str = Field(default="", sa_type=Text)
    outcome: str = Field(sa_type=Text)  # created | updated | moved | refused | ignored
    message: str = Field(default="", sa_type=Text)
    body: dict[str, Any] = Field(default_factory=dict, sa_type=JsonDocument)  # to retry
    received_at: datetime = timestamp_field()


@dataclass(frozen=True)
class EndpointMade:
    endpoint: InboundEndpoint
    secret: str  # shown once
    address: str  # the path to POST to


class EndpointCreate(Input):
    name: Name
    preset: str = "generic"
    entity_type: str = "TICKET"
    status_map: dict[str, str] = {}


def public_id(endpoint: InboundEndpoint) -> str:
    """The endpoint's id in its address: the organization's and its own (an event finds
    its organization before any row-level-secured read)."""
    return f"{endpoint.org_id.hex}{endpoint.id.hex}"


def parse_public_id(text: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    if len(text) != 64:
        return None
    try:
        return uuid.UUID(hex=text[:32]), uuid.UUID(hex=text[32:])
    except ValueError:
        return None


def create(actor: Actor | None, data: EndpointCreate) -> EndpointMade:
    require_definitions_manager(actor)
    if data.preset not in PRESETS:
        raise ValidationFailed("Pick a known source.", {"preset": "Pick a known source."})
    service = service_for(data.entity_type) or service_by_key(data.entity_type.lower())
    if service is None:
        raise ValidationFailed("Pick a kind of card.", {"entity_type": "Pick a kind of card."})
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    endpoint_id = uuid.uuid4()
    person = users.upsert(
        issuer=INTEGRATION_ISSUER,
        subject=str(endpoint_id),
        email=None,
        display_name=f"{data.name} (integration)",
    )
    endpoint = InboundEndpoint(
        id=endpoint_id,
        name=data.name,
        preset=data.preset,
        entity_type=service.kind.description.entity_type,
        secret=secret,
        status_map={k.strip(): v.strip() for k, v in data.status_map.items()},
        acting_user_id=person.id,
    )
    with unit_of_work() as uow:
        uow.session.add(endpoint)
        uow.session.flush()
        made = InboundEndpoint.model_validate(endpoint.model_dump())
    return EndpointMade(made, secret, f"/hooks/{public_id(made)}")


def acting_as(endpoint: InboundEndpoint) -> Actor:
    """Who an endpoint's events act as: its own integration user, with a manager's
    permissions (cards for anyone; moves still meet every rule)."""
    assert endpoint.acting_user_id is not None
    return Actor.for_user(
        endpoint.acting_user_id,
        {MANAGER},
        f"{endpoint.name} (integration)",
        org_id=current_org_id(),
    )


def get_all(actor: Actor | None) -> list[InboundEndpoint]:
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        rows = uow.session.exec(select(InboundEndpoint).order_by(col(InboundEndpoint.name)))
        return [InboundEndpoint.model_validate(r.model_dump()) for r in rows]


def events(actor: Actor | None, endpoint_id: uuid.UUID, limit: int = 50) -> list[InboundEvent]:
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        get_or_404(uow.session, InboundEndpoint, endpoint_id, "Endpoint")
        rows = uow.session.exec(
            select(InboundEvent)
            .where(InboundEvent.endpoint_id == endpoint_id)
            .order_by(col(InboundEvent.received_at).desc())
            .limit(limit)
        )
        return [InboundEvent.model_validate(r.model_dump()) for r in rows]
