"""Statuses admin page: thin adapter over wfm_app.engine.statuses."""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.engine import statuses
from wfm_app.engine.schemas import StatusCreate, StatusUpdate
from wfm_app.ui import routes
from wfm_app.ui.state.adapters import (
    as_uuid,
    attempt,
    completed,
    form_values,
    page_id,
    parse_or_errors,
)
from wfm_app.ui.state.admin_list import AdminListMixin
from wfm_app.ui.state.session import SessionState


class StatusesState(AdminListMixin, SessionState):
    # what the New / Edit dialog shows
    editing_id: str = ""
    form_name: str = ""
    form_description: str = ""
    form_color: str = "#6366F1"
    used_links: dict[str, list[dict[str, str]]] = {}  # status id -> workflows using it

    def _noun(self) -> str:
        return "Status"

    def _set_archived(self, actor: Actor | None, row_id: uuid.UUID, archived: bool) -> Any:
        return statuses.update(actor, row_id, StatusUpdate(is_archived=archived))

    def _reload(self) -> None:
        actor = self._actor()
        used = statuses.used_by(actor)
        # each status's workflows, linked from its row
        self.used_links = {
            str(status_id): [
                {"name": name, "href": routes.workflow_editor(str(workflow_id))}
                for workflow_id, name in found
            ]
            for status_id, found in used.items()
        }
        self.rows = [
            {
                "id": str(s.id),
                "name": s.name,
                "description": s.description or "",
                "color": s.color or "",
                "used_by": ", ".join(name for _id, name in used.get(s.id, [])),
                "archived": "yes" if s.is_archived else "",
            }
            for s in statuses.get_all(actor, is_archived=self.show_archived)
        ]

    @rx.event
    def set_form_color(self, value: str) -> None:
        self.form_color = value

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
            values["name"] = values.get("name") or ""  # a blank name is refused, not ignored
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

    @rx.event
    def delete(self, status_id: str, name: str) -> Any:
        actor = self._actor()
        target = page_id(status_id)
        done, self.error, _ = attempt(completed(lambda: statuses.delete(actor, target)))
        self._reload()
        return rx.toast.success(f'Status "{name}" deleted.') if done else None
