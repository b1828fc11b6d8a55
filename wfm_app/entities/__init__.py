"""Business entities that ride on the WFM engine: deals, leads and support tickets,
described in code, and the kinds admins define (engine/kinds.py), whose cards live in
the items table.

Each built-in module describes its kind once (``DESCRIPTION``) and registers it with the
engine when imported; importing this package registers them all and the admins' kinds'
source.
"""

from __future__ import annotations

import uuid
from typing import Any

from wfm_app.db import unit_of_work
from wfm_app.engine import kinds as _kinds  # noqa: F401  (the admins' kinds' source)
from wfm_app.engine import ownership, registry
from wfm_app.entities import deals, items, leads, tickets
from wfm_app.entities.base import EntityService

BUILT_IN: tuple[EntityService[Any, Any, Any], ...] = (
    deals.service,
    leads.service,
    tickets.service,
)


def service_for(entity_type: str) -> EntityService[Any, Any, Any] | None:
    """The service of any kind, built in or an admin's, by entity type ("DEAL")."""
    built_in = next((s for s in BUILT_IN if s.kind.description.entity_type == entity_type), None)
    return built_in or items.service_for(entity_type)


def service_by_key(key: str) -> EntityService[Any, Any, Any] | None:
    """The same, by the kind's key ("deal", "purchase-request")."""
    description = registry.by_key(key)
    return service_for(description.entity_type) if description else None


def service_of_card(entity_id: uuid.UUID) -> EntityService[Any, Any, Any] | None:
    """The service of whichever kind the card is (None: no such card)."""
    with unit_of_work() as uow:
        entity_type = ownership.entity_type_of(uow.session, entity_id)
    return service_for(entity_type) if entity_type else None
