"""/admin/wfm/integrations: inbound endpoints (a new one's secret shown once) and the
events each received, a refused one with its reason and Retry. A thin adapter over
entities/inbound."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.auth.actor import MANAGE_DEFINITIONS
from wfm_app.engine import registry
from wfm_app.entities.card_import import presets
from wfm_app.entities.inbound import endpoints, receiving
from wfm_app.entities.inbound.endpoints import EndpointCreate
from wfm_app.ui.state.adapters import attempt, form_values, page_id, parse_or_errors
from wfm_app.ui.state.session import SessionState


class IntegrationsState(SessionState):
    rows: list[dict[str, str]] = []  # id, name, source, kind, address
    events: list[dict[str, str]] = []  # id, endpoint, when, external_id, outcome, message
    kind_options: list[dict[str, str]] = []
    source_options: list[dict[str, str]] = [
        {"value": key, "label": label} for key, label in endpoints.PRESETS.items()
    ]
    dialog_open: bool = False
    form_error: str = ""
    form_errors: dict[str, str] = {}
    made_secret: str = ""  # shown once, after "Create endpoint"
    made_address: str = ""
    error: str = ""
    loaded: bool = False

    def _reload(self) -> None:
        actor = self._actor()
        kinds = {d.entity_type: d.noun.capitalize() for d in registry.all_described()}
        self.kind_options = [{"value": k, "label": v} for k, v in kinds.items()]
        found, self.error, _ = attempt(lambda: endpoints.get_all(actor))
        self.rows, self.events = [], []
        for endpoint in found or []:
            self.rows.append(
                {
                    "id": str(endpoint.id),
                    "name": endpoint.name,
                    "source": endpoints.PRESETS.get(endpoint.preset, endpoint.preset),
                    "kind": kinds.get(endpoint.entity_type, endpoint.entity_type),
                    "address": f"/hooks/{endpoints.public_id(endpoint)}",
                }
            )
            for event in endpoints.events(actor, endpoint.id, limit=20):
                self.events.append(
                    {
                        "id": str(event.id),
                        "endpoint": endpoint.name,
                        "when": event.received_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                        "external_id": event.external_id,
                        "outcome": event.outcome,
                        "message": event.message,
                    }
                )
        self.loaded = True

    @rx.event
    def load(self) -> Any:
        actor, leave = self._gate(MANAGE_DEFINITIONS)
        if actor is None:
            return leave
        self.made_secret, self.made_address = "", ""  # shown once: not again after a reload
        self._reload()
        return None

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open, self.form_error, self.form_errors = value, "", {}

    @rx.event
    def create(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        values = form_values(form)
        values["status_map"] = presets.pairs(str(values.get("status_map") or ""))
        data, self.form_error, self.form_errors = parse_or_errors(EndpointCreate, values)
        if data is None:
            return None
        made, self.form_error, self.form_errors = attempt(lambda: endpoints.create(actor, data))
        if made is None:
            return None
        self.dialog_open = False
        self.made_secret, self.made_address = made.secret, made.address
        self._reload()
        return rx.toast.success(f'Endpoint "{made.endpoint.name}" created: copy its secret now.')

    @rx.event
    def forget_secret(self) -> None:
        self.made_secret, self.made_address = "", ""

    @rx.event
    def retry(self, event_id: str) -> Any:
        actor, target = self._actor(), page_id(event_id)
        done, self.error, _ = attempt(lambda: receiving.retry(actor, target))
        self._reload()
        if done is None:
            return None
        if done.outcome == "refused":
            return rx.toast.error(f"Refused again: {done.message}")
        return rx.toast.success(done.message)
