"""Workflows admin: the list of workflows and "New workflow" (each opens its editor,
state/admin_workflows.py)."""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.engine import definitions, workflows
from wfm_app.engine.schemas import WorkflowCreate, WorkflowUpdate
from wfm_app.ui import routes
from wfm_app.ui.state.adapters import attempt, form_values, parse_or_errors
from wfm_app.ui.state.admin_list import AdminListMixin
from wfm_app.ui.state.definitions_files import DefinitionsFileMixin
from wfm_app.ui.state.session import SessionState


class WorkflowsState(DefinitionsFileMixin, AdminListMixin, SessionState):
    def _noun(self) -> str:
        return "Workflow"

    def _set_archived(self, actor: Actor | None, row_id: uuid.UUID, archived: bool) -> Any:
        return workflows.update(actor, row_id, WorkflowUpdate(is_archived=archived))

    def _reload(self) -> None:
        actor = self._actor()
        self.rows = [
            {
                "id": str(w.id),
                "name": w.name,
                "description": w.description or "",
                "steps": str(len(definitions.graph(w.id).steps)),
                "archived": "yes" if w.is_archived else "",
                "draft": "draft" if w.version_state == "draft" else "",
            }
            for w in workflows.get_all(actor, is_archived=self.show_archived)
        ]

    @rx.event
    def create(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        data, self.form_error, self.form_errors = parse_or_errors(
            WorkflowCreate, form_values(form) | {"as_draft": True}
        )
        if data is None:
            return None
        made, self.form_error, self.form_errors = attempt(lambda: workflows.create(actor, data))
        if made is None:
            return None
        self.dialog_open = False
        return [
            rx.toast.success(f'Workflow "{made.name}" created as a draft: publish it to use it.'),
            rx.redirect(routes.workflow_editor(str(made.id))),
        ]
