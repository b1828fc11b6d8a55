""" "Add a card" at the top of a column: a name, Enter, and the card is on that step; the
field stays open for the next one (Escape closes it)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.state.adapters import as_uuid, attempt, parse_or_errors
from wfm_app.ui.state.board_part import BoardPart


class QuickAddMixin(BoardPart, mixin=True):
    quick_add_column: str = ""  # the column whose "Add a card" field is open
    quick_add_error: str = ""

    @rx.event
    def open_quick_add(self, step_id: str) -> None:
        self.quick_add_column, self.quick_add_error = step_id, ""

    @rx.event
    def quick_add_key(self, key: str) -> None:
        if key == "Escape":
            self.quick_add_column, self.quick_add_error = "", ""

    @rx.event
    def quick_add(self, form: dict[str, Any]) -> Any:
        actor, service = self._viewer(), self._service()
        step_id, workflow_id = str(form.get("step_id") or ""), as_uuid(self._shown_workflow)
        step = as_uuid(step_id)
        if step is None or workflow_id is None:
            return None
        kind, _, _ = attempt(lambda: service.starts_on(actor, workflow_id))
        values = {"name": str(form.get("name") or ""), "wfm_project_type_id": kind}
        data, error, errors = parse_or_errors(service.kind.create_model, values)
        if data is None:
            self.quick_add_error = errors.get("name", error)
            return None
        made, error, errors = attempt(lambda: service.create(actor, data, step_id=step))
        if made is None:
            self.quick_add_error = next(iter(errors.values()), error)
            return None
        self.quick_add_error = ""
        self._edit_column(step_id, arriving=self._card(made))
        return [rx.toast.success(f'"{made.name}" added.'), rx.set_focus(f"quick-add-{step_id}")]
