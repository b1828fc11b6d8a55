"""/admin/wfm/webhooks: the webhook delivery log (status, attempts, last error, Retry)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.auth.actor import MANAGE_DEFINITIONS
from wfm_app.engine.automation import outbox, triggers
from wfm_app.ui.state.adapters import attempt, page_id
from wfm_app.ui.state.session import SessionState


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


def _event_words(event_type: str) -> str:
    """ "A card enters a step", not step_entered (the receiver gets the key)."""
    trigger = triggers.TRIGGERS.get(event_type)
    return trigger.label if trigger else event_type.replace("_", " ").capitalize()


class WebhooksState(SessionState):
    rows: list[dict[str, str]] = []
    status_filter: str = ""
    error: str = ""
    loaded: bool = False

    def _reload(self) -> None:
        actor = self._actor()
        found, self.error, _ = attempt(
            lambda: outbox.get_all(actor, status=self.status_filter or None)
        )
        self.rows = [
            {
                "id": str(d.id),
                "webhook_id": d.webhook_id,
                "event": _event_words(d.event_type),
                "rule": d.rule_name,
                "url": d.url if d.method == "POST" else f"{d.method} {d.url}",
                "status": d.status,
                "attempts": f"{d.attempts} of {d.max_attempts}",
                "took": f"last took {d.last_duration_ms:,} ms"
                if d.last_duration_ms is not None
                else "",
                "last_error": d.last_error or "",
                "created": _when(d.created_at),
                "next": _when(d.next_attempt_at) if d.status == "pending" else "",
            }
            for d in found or []
        ]
        self.loaded = True

    @rx.event
    def load(self) -> Any:
        actor, leave = self._gate(MANAGE_DEFINITIONS)
        if actor is None:
            return leave
        self._reload()
        return None

    @rx.event
    def set_status_filter(self, value: str) -> None:
        self.status_filter = value
        self._reload()

    @rx.event
    def refresh(self) -> None:
        self._reload()

    @rx.event
    def retry(self, delivery_id: str) -> Any:
        actor, target = self._actor(), page_id(delivery_id)
        done, self.error, _ = attempt(lambda: outbox.retry(actor, target))
        self._reload()
        return rx.toast.success("Queued to send again.") if done is not None else None
