"""Project types admin page: thin adapter over wfm_app.engine.project_types."""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.engine import project_types, workflows
from wfm_app.engine.schemas import ProjectTypeCreate, ProjectTypeUpdate
from wfm_app.ui.state.adapters import as_uuid, attempt, form_values, parse_or_errors
from wfm_app.ui.state.admin_list import AdminListMixin
from wfm_app.ui.state.session import SessionState


class ProjectTypesState(AdminListMixin, SessionState):
    workflow_options: list[dict[str, str]] = []
    editing: dict[str, str] = {}

    def _noun(self) -> str:
        return "Project type"

    def _set_archived(self, actor: Actor | None, row_id: uuid.UUID, archived: bool) -> Any:
        return project_types.update(actor, row_id, ProjectTypeUpdate(is_archived=archived))

    def _reload(self) -> None:
        actor = self._actor()
        active = workflows.get_all(actor)
        names = {w.id: w.name for w in [*active, *workflows.get_all(actor, is_archived=True)]}
        self.workflow_options = [{"value": str(w.id), "label": w.name} for w in active]
        self.rows = [
            {
                "id": str(t.id),
                "name": t.name,
                "description": t.description or "",
                "icon_name": t.icon_name or "",
                "default_workflow_id": str(t.default_workflow_id or ""),
                "default_workflow": names.get(t.default_workflow_id, "")
                if t.default_workflow_id
                else "",
                "archived": "yes" if t.is_archived else "",
            }
            for t in project_types.get_all(actor, is_archived=self.show_archived)
        ]

    @rx.event
    def open_new(self) -> None:
        self.editing, self.form_errors, self.form_error = {}, {}, ""
        self.dialog_open = True

    @rx.event
    def open_edit(self, row: dict[str, str]) -> None:
        self.editing, self.form_errors, self.form_error = row, {}, ""
        self.dialog_open = True

    @rx.event
    def save(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        values = form_values(form)
        type_id = as_uuid(self.editing.get("id", ""))
        if type_id is None:
            data, self.form_error, self.form_errors = parse_or_errors(ProjectTypeCreate, values)
            if data is None:
                return None
            done, self.form_error, self.form_errors = attempt(
                lambda: project_types.create(actor, data)
            )
        else:
            values["name"] = values.get("name") or ""  # a blank name is refused, not ignored
            changes, self.form_error, self.form_errors = parse_or_errors(ProjectTypeUpdate, values)
            if changes is None:
                return None
            done, self.form_error, self.form_errors = attempt(
                lambda: project_types.update(actor, type_id, changes)
            )
        if done is None:
            return None
        self.dialog_open = False
        self._reload()
        return rx.toast.success(f'Project type "{done.name}" saved.')
