"""Statuses admin page: thin adapter over wfm_app.engine.statuses."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.auth.actor import MANAGE_DEFINITIONS
from wfm_app.engine import statuses
from wfm_app.engine.schemas import StatusCreate, StatusUpdate
from wfm_app.ui.state.adapters import as_uuid, attempt, form_values, parse_or_errors
from wfm_app.ui.state.session import SessionState


class StatusesState(SessionState):
    rows: list[dict[str, str]] = []
    show_archived: bool = False
    error: str = ""
    # the New / Edit dialog
    dialog_open: bool = False
    editing_id: str = ""
    form_name: str = ""
    form_description: str = ""
    form_color: str = "#6366F1"
    form_errors: dict[str, str] = {}
    form_error: str = ""

    def _reload(self) -> None:
        actor = self._actor()
        used = statuses.usage_counts(actor)
        self.rows = [
            {
                "id": str(s.id),
                "name": s.name,
                "description": s.description or "",
                "color": s.color or "",
                "used_by": str(used.get(s.id, 0)),
                "archived": "yes" if s.is_archived else "",
            }
            for s in statuses.get_all(actor, is_archived=self.show_archived)
        ]

    @rx.event
    def load(self) -> Any:
        actor, leave = self._gate(MANAGE_DEFINITIONS)
        if actor is None:
            return leave
        self.error = ""
        self._reload()
        return None

    @rx.event
    def set_show_archived(self, value: bool) -> None:
        self.show_archived = value
        self._reload()

    @rx.event
    def set_form_color(self, value: str) -> None:
        self.form_color = value

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = value

    @rx.event
    def open_new(self) -> None:
        self.editing_id, self.form_name, self.form_description = "", "", ""
        self.form_color, self.form_errors, self.form_error = "#6366F1", {}, ""
        self.dialog_open = True

    @rx.event
    def open_edit(self, row: dict[str, str]) -> None:
        self.editing_id, self.form_name = row["id"], row["name"]
        self.form_description, self.form_color = row["description"], row["color"] or "#6366F1"
        self.form_errors, self.form_error = {}, ""
        self.dialog_open = True

    @rx.event
    def save(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        values = form_values(form)
        values["color"] = self.form_color
        status_id = as_uuid(self.editing_id)
        if status_id is None:
            data, self.form_error, self.form_errors = parse_or_errors(StatusCreate, values)
            if data is None:
                return None
            done, self.form_error, self.form_errors = attempt(lambda: statuses.create(actor, data))
        else:
            if not values.get("name"):
                self.form_errors, self.form_error = {"name": "Name is required."}, ""
                return None
            changes, self.form_error, self.form_errors = parse_or_errors(StatusUpdate, values)
            if changes is None:
                return None
            done, self.form_error, self.form_errors = attempt(
                lambda: statuses.update(actor, status_id, changes)
            )
        if done is None:
            self.form_name, self.form_description = (
                values.get("name") or "",
                values.get("description") or "",
            )
            return None
        self.dialog_open = False
        self._reload()
        return rx.toast.success(f'Status "{done.name}" saved.')

    def _change(self, status_id: str, archived: bool) -> Any:
        actor = self._actor()
        target = as_uuid(status_id)
        done, self.error, _ = attempt(
            lambda: statuses.update(actor, target, StatusUpdate(is_archived=archived))  # type: ignore[arg-type]
        )
        self._reload()
        if done is None:
            return None
        return rx.toast.success(f'Status "{done.name}" {"archived" if archived else "restored"}.')

    @rx.event
    def archive(self, status_id: str) -> Any:
        return self._change(status_id, True)

    @rx.event
    def restore(self, status_id: str) -> Any:
        return self._change(status_id, False)

    @rx.event
    def delete(self, status_id: str, name: str) -> Any:
        actor = self._actor()
        target = as_uuid(status_id)
        done, self.error, _ = attempt(lambda: statuses.delete(actor, target) or True)  # type: ignore[arg-type, func-returns-value]
        self._reload()
        return rx.toast.success(f'Status "{name}" deleted.') if done else None
