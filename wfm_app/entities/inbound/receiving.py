"""An inbound delivery: found by its endpoint (the organization first), its signature
checked (Standard Webhooks; Jira's X-Hub-Signature HMAC), its delivery id recorded once
(a replay changes nothing), then applied through the one create and move, so rules,
WIP limits and automation apply; a refusal is recorded with its reason, to retry."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, external_refs
from wfm_app.engine.access import require_definitions_manager
from wfm_app.engine.common import get_or_404
from wfm_app.engine.custom_fields import PREFIX
from wfm_app.engine.inputs import parse
from wfm_app.engine.schemas import StepRead
from wfm_app.entities import service_for
from wfm_app.entities.inbound import endpoints, payloads
from wfm_app.entities.inbound.endpoints import InboundEndpoint, InboundEvent
from wfm_app.errors import Conflict, WfmError
from wfm_app.tenancy import acting_in


@dataclass(frozen=True)
class Answer:
    status: int  # the HTTP status the sender gets
    outcome: str  # created | updated | moved | unchanged | refused | duplicate | ...
    message: str


def _verified(endpoint: InboundEndpoint, body: bytes, headers: Mapping[str, str]) -> str | None:
    """The delivery's id if its signature holds (None: it does not)."""
    if endpoint.preset == "jira":
        expected = "sha256=" + hmac.new(endpoint.secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(headers.get("x-hub-signature", ""), expected):
            return None
        return headers.get("x-atlassian-webhook-identifier") or hashlib.sha256(body).hexdigest()
    try:
        Webhook(endpoint.secret).verify(body, dict(headers))
    except WebhookVerificationError:
        return None
    return headers.get("webhook-id", "")[:200] or None


def receive(address_id: str, body: bytes, headers: Mapping[str, str]) -> Answer:
    found = endpoints.parse_public_id(address_id)
    if found is None:
        return Answer(404, "unknown", "There is no such endpoint.")
    org_id, endpoint_id = found
    with acting_in(org_id):
        with unit_of_work() as uow:
            endpoint = uow.session.get(InboundEndpoint, endpoint_id)
        if endpoint is None:
            return Answer(404, "unknown", "There is no such endpoint.")
        delivery = _verified(endpoint, body, {k.lower(): v for k, v in headers.items()})
        if delivery is None:
            return Answer(401, "unsigned", "The signature does not match this endpoint's secret.")
        try:
            event = json.loads(body)
        except ValueError:
            return Answer(400, "unreadable", "The body is not JSON.")
        with unit_of_work() as uow:
            seen = uow.session.exec(
                select(InboundEvent.outcome).where(
                    InboundEvent.endpoint_id == endpoint.id, InboundEvent.delivery_id == delivery
                )
            ).first()
        if seen is not None:
            return Answer(200, "duplicate", "This delivery was received before; nothing changed.")
        outcome, message, external_id = apply(endpoint, event)
        try:
            with unit_of_work() as uow:
                uow.session.add(
                    InboundEvent(
                        endpoint_id=endpoint.id,
                        delivery_id=delivery,
                        external_id=external_id,
                        outcome=outcome,
                        message=message,
                        body=event if isinstance(event, dict) else {"body": event},
                    )
                )
        except Conflict:  # the same delivery, twice at once: the other one recorded it
            return Answer(200, "duplicate", "This delivery was received before.")
        return Answer(202 if outcome == "refused" else 200, outcome, message)


def _step(endpoint: InboundEndpoint, workflow_id: uuid.UUID, status: str) -> StepRead | None:
    named = endpoint.status_map.get(status, status).lower()
    return definitions.steps_by_name(definitions.graph(workflow_id)).get(named)


def apply(endpoint: InboundEndpoint, body: Any) -> tuple[str, str, str]:
    """(outcome, message in words, external id): create or update and move the card."""
    service = service_for(endpoint.entity_type)
    if service is None:
        return "refused", "This endpoint's kind of card no longer exists.", ""
    try:
        change = payloads.read(endpoint.preset, body)
    except payloads.Unreadable as unreadable:
        return "refused", str(unreadable), ""
    actor, source = endpoints.acting_as(endpoint), str(endpoint.id)
    specs = {spec.key for spec in service.kind.description.fields}
    values = {k: v for k, v in change.fields.items() if k in specs}
    custom = {k.removeprefix(PREFIX): v for k, v in change.fields.items() if k.startswith(PREFIX)}
    try:
        with unit_of_work() as uow:
            known = external_refs.entities_of(
                uow.session, service.kind.table, source, [change.external_id]
            )
            existing = known.get(change.external_id)
        if existing is None:
            if not change.name:
                return "refused", "A new card needs a name.", change.external_id
            data = parse(
                service.kind.create_model,
                values | {"name": change.name, "custom_fields": custom or None},
            )
            with unit_of_work() as uow:  # the card and its external id together
                card = service.create(actor, data)
                external_refs.remember(
                    uow.session, source, [(change.external_id, card.wfm.wfm_project_id)]
                )
            outcome = "created"
        else:
            changes = values | ({"name": change.name} if change.name else {})
            if custom:
                changes["custom_fields"] = custom
            card = service.update(actor, existing, service.kind.update_model(**changes))
            outcome = "updated"
        if change.sys_id:
            with unit_of_work() as uow:
                external_refs.remember_once(
                    uow.session,
                    external_refs.SERVICENOW_SYS_ID,
                    change.sys_id,
                    card.wfm.wfm_project_id,
                )
        if change.status:
            step = _step(endpoint, card.wfm.workflow_id, change.status)
            if step is None:
                message = f'No step for status "{change.status}": map it on the endpoint.'
                return "refused", message, change.external_id
            if card.wfm.step is None or card.wfm.step.id != step.id:
                service.move(actor, card.id, step.id)
                outcome = "moved" if outcome == "updated" else outcome
                return outcome, f'"{card.name}" is on "{step.display_name}".', change.external_id
    except WfmError as refused:
        return "refused", refused.message, change.external_id
    return outcome, f'"{card.name}" {outcome}.', change.external_id


def retry(actor: Actor | None, event_id: uuid.UUID) -> InboundEvent:
    """Apply a refused event again (after a step was mapped, a rule changed, ...)."""
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        event = get_or_404(uow.session, InboundEvent, event_id, "Event")
        endpoint = get_or_404(uow.session, InboundEndpoint, event.endpoint_id, "Endpoint")
    outcome, message, external_id = apply(endpoint, event.body)
    with unit_of_work() as uow:
        row = get_or_404(uow.session, InboundEvent, event_id, "Event")
        row.outcome, row.message, row.external_id = outcome, message, external_id
        uow.session.add(row)
        uow.session.flush()
        return InboundEvent.model_validate(row.model_dump())
