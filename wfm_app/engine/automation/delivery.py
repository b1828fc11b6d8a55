"""Sending claimed webhook deliveries: JSON bodies signed per the Standard Webhooks
convention (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``, by the
``standardwebhooks`` package) and, for Jira and ServiceNow, their stored ``Authorization``
header; any 2xx answer counting as delivered. Where a request may
go, and what of its answer is kept, is ``wfm_app.outbound``'s to decide."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import httpx
from standardwebhooks.webhooks import Webhook

from wfm_app import outbound
from wfm_app.engine.automation import outbox
from wfm_app.settings import settings

log = logging.getLogger(__name__)


def signed_headers(claimed: outbox.Claimed, body: str, now: datetime) -> dict[str, str]:
    webhook_id = outbox.message_id(claimed.id)
    headers = {
        "content-type": "application/json",
        "user-agent": "wfm-webhooks/1",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(now.timestamp())),
    }
    if claimed.secret:
        headers["webhook-signature"] = Webhook(claimed.secret).sign(webhook_id, now, body)
    if claimed.auth_header:
        headers["authorization"] = claimed.auth_header
    return headers


def send(client: httpx.Client, claimed: outbox.Claimed) -> None:
    """One attempt, settled in the outbox whatever happens."""
    body = json.dumps(claimed.payload, separators=(",", ":"), sort_keys=True)
    now = datetime.now(UTC)
    attempt = outbound.send(
        client,
        claimed.method,
        claimed.url,
        content=body,
        headers=signed_headers(claimed, body, now),
    )
    if not attempt.delivered:
        log.info(
            "Webhook %s to %s: %s (%s, %d ms)",
            claimed.id,
            outbound.masked_url(claimed.url),
            attempt.error_class,
            attempt.error,
            attempt.duration_ms,
        )
    outbox.settle(claimed, attempt)


def deliver_due(client: httpx.Client, batch: int = 10) -> int:
    """Claim and send what is due; how many were attempted."""
    claimed = outbox.claim(batch)
    for item in claimed:
        send(client, item)
    return len(claimed)


def client() -> httpx.Client:
    return outbound.client(settings.webhook_timeout_seconds)
