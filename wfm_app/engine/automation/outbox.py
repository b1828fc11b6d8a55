"""The webhook outbox: a delivery row is written in the transaction that caused the
event (so an event is sent if and only if its cause committed), then claimed, sent and
settled by workers (``delivery.py``).

Claiming is one UPDATE over a ``FOR UPDATE SKIP LOCKED`` subquery on PostgreSQL, so
several workers never take the same delivery; SQLite serialises writers anyway. A claim
is a lease: a worker that dies mid-delivery leaves a row whose lease runs out, and the
next worker sends it again with the same id (at least once; receivers deduplicate on
``webhook-id``).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, insert, or_, select, update
from sqlmodel import Session

from wfm_app import outbound
from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine.access import require_definitions_manager
from wfm_app.engine.automation.config import RuleRead
from wfm_app.engine.automation.models import WebhookDelivery
from wfm_app.errors import NotFound, ValidationFailed
from wfm_app.observability import metrics
from wfm_app.settings import settings
from wfm_app.sqltypes import table_of, utc_now

STATUSES = ("pending", "delivered", "failed")
FINAL_ERRORS = ("refused_address", "invalid_url")  # no retry: policy says no every time
MAX_ERROR_LENGTH = 500
MAX_LIST = 200
_deliveries: Table = table_of(WebhookDelivery)
_INSERT = insert(_deliveries)


@dataclass(frozen=True, slots=True)
class DeliveryRead:
    id: uuid.UUID
    rule_name: str
    method: str  # POST, or PATCH (ServiceNow's Table API)
    url: str
    event_type: str
    status: str
    attempts: int
    max_attempts: int
    next_attempt_at: datetime
    last_error: str | None
    last_status_code: int | None
    last_error_class: str | None  # outbound's word for what went wrong; never an answer's body
    last_duration_ms: int | None
    delivered_at: datetime | None
    created_at: datetime

    @property
    def webhook_id(self) -> str:
        return message_id(self.id)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery a worker holds: all it needs to send it."""

    id: uuid.UUID
    url: str
    secret: str | None
    method: str
    auth_header: str | None
    payload: dict[str, Any]
    attempts: int
    max_attempts: int


def message_id(delivery_id: uuid.UUID) -> str:
    """The stable ``webhook-id``: the same on every attempt of one event."""
    return f"msg_{delivery_id.hex}"


def enqueue(
    session: Session,
    rule: RuleRead,
    event_type: str,
    payload: dict[str, Any],
    *,
    url: str | None = None,
    method: str = "POST",
) -> None:
    """A delivery of ``payload`` to the rule's URL (or ``url``: the rule's with the card's
    ids filled in), with the rule's secret and auth header."""
    now = utc_now()
    session.connection().execute(
        _INSERT,
        {
            "id": uuid.uuid4(),
            "rule_id": rule.id,
            "rule_name": rule.name,
            "url": url or rule.action_config["url"],
            "secret": rule.action_config.get("secret"),
            "method": method,
            "auth_header": rule.action_config.get("auth_header"),
            "event_type": event_type,
            "payload": payload,
            "status": "pending",
            "attempts": 0,
            "max_attempts": settings.webhook_max_attempts,
            "next_attempt_at": now,
            "created_at": now,
        },
    )


def claim(limit: int = 10) -> list[Claimed]:
    """Take up to ``limit`` due deliveries for this worker (counting the attempt now, so
    a crash mid-send still counts)."""
    now = utc_now()
    due = (
        select(_deliveries.c.id)
        .where(
            _deliveries.c.status == "pending",
            _deliveries.c.next_attempt_at <= now,
            or_(_deliveries.c.locked_until.is_(None), _deliveries.c.locked_until < now),
        )
        .order_by(_deliveries.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claim_them = (
        update(_deliveries)
        .where(_deliveries.c.id.in_(due.scalar_subquery()))
        .values(
            locked_until=now + timedelta(seconds=settings.webhook_lease_seconds),
            attempts=_deliveries.c.attempts + 1,
        )
        .returning(
            _deliveries.c.id,
            _deliveries.c.url,
            _deliveries.c.secret,
            _deliveries.c.method,
            _deliveries.c.auth_header,
            _deliveries.c.payload,
            _deliveries.c.attempts,
            _deliveries.c.max_attempts,
        )
    )
    with unit_of_work() as uow:
        return [Claimed(*row) for row in uow.session.execute(claim_them).all()]


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: the base, doubling per attempt, at most an hour."""
    delay = min(3600.0, settings.webhook_retry_seconds * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.8, 1.2)


def settle(claimed: Claimed, attempt: outbound.Attempt) -> None:
    """Record an attempt's outcome: delivered, due again later, or given up (at once for a
    URL that policy refuses: asking again changes nothing)."""
    now = utc_now()
    values: dict[str, Any] = {
        "locked_until": None,
        "last_status_code": attempt.status_code,
        "last_duration_ms": attempt.duration_ms,
        "last_error_class": attempt.error_class,
    }
    if attempt.delivered:
        values |= {"status": "delivered", "delivered_at": now, "last_error": None}
        result = "delivered"
    else:
        values["last_error"] = (attempt.error or "")[:MAX_ERROR_LENGTH]
        final = attempt.error_class in FINAL_ERRORS
        if final or claimed.attempts >= claimed.max_attempts:
            values["status"] = "failed"
            result = "failed"
        else:
            values["next_attempt_at"] = now + timedelta(seconds=backoff_seconds(claimed.attempts))
            result = "retry"
    with unit_of_work() as uow:
        uow.session.execute(
            update(_deliveries)
            .where(_deliveries.c.id == claimed.id, _deliveries.c.status == "pending")
            .values(**values)
        )
    metrics.DELIVERIES.labels(result).inc()


def _read(row: Any) -> DeliveryRead:
    return DeliveryRead(
        id=row.id,
        rule_name=row.rule_name,
        method=row.method,
        url=outbound.masked_url(row.url),
        event_type=row.event_type,
        status=row.status,
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        last_status_code=row.last_status_code,
        last_error_class=row.last_error_class,
        last_duration_ms=row.last_duration_ms,
        delivered_at=row.delivered_at,
        created_at=row.created_at,
    )


def get_all(
    actor: Actor | None, *, status: str | None = None, limit: int = 100
) -> list[DeliveryRead]:
    """The delivery log, newest first (admins)."""
    require_definitions_manager(actor)
    if status is not None and status not in STATUSES:
        message = f"status must be one of {', '.join(STATUSES)}."
        raise ValidationFailed(message, {"status": message})
    if not 1 <= limit <= MAX_LIST:
        message = f"limit must be from 1 to {MAX_LIST}."
        raise ValidationFailed(message, {"limit": message})
    columns = [c for c in _deliveries.c if c.name not in {"secret", "auth_header", "payload"}]
    query = select(*columns).order_by(_deliveries.c.created_at.desc()).limit(limit)
    if status is not None:
        query = query.where(_deliveries.c.status == status)
    with unit_of_work() as uow:
        return [_read(row) for row in uow.session.execute(query)]


def retry(actor: Actor | None, delivery_id: uuid.UUID) -> DeliveryRead:
    """Send again now, with a fresh round of attempts; a delivered event too, if asked
    (receivers deduplicate on its id)."""
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        row = uow.session.get(WebhookDelivery, delivery_id)
        if row is None:
            raise NotFound(f"Webhook delivery {delivery_id} does not exist.")
        uow.session.execute(
            update(_deliveries)
            .where(_deliveries.c.id == delivery_id)
            .values(
                status="pending",
                next_attempt_at=utc_now(),
                locked_until=None,
                max_attempts=row.attempts + settings.webhook_max_attempts,
            )
        )
        uow.session.refresh(row)
        return _read(row)
