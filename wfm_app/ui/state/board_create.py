"""The "New ..." dialog of a board: its form, checked and created through the service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import reflex as rx

from wfm_app.ui.state.adapters import attempt, focus_first_invalid, parse_or_errors
from wfm_app.ui.state.board_part import BoardPart
from wfm_app.ui.state.entity_views import split_form

if TYPE_CHECKING:
    pass


class CreateCardMixin(BoardPart, mixin=True):
    create_open: bool = False
    create_errors: dict[str, str] = {}
    create_error: str = ""

    @rx.event
    def set_create_open(self, value: bool) -> None:
        self.create_open = value
        self.create_errors, self.create_error = {}, ""

    def _form_input(self, form: dict[str, Any]) -> dict[str, Any]:
        values, custom = split_form(form)
        return {**values, "custom_fields": custom}

    @rx.event
    def create(self, form: dict[str, Any]) -> Any:
        actor = self._viewer()
        values = self._form_input(form)
        values["wfm_project_type_id"] = values.get("wfm_project_type_id") or None
        model = self._service().kind.create_model
        data, self.create_error, self.create_errors = parse_or_errors(model, values)
        if data is None:
            return focus_first_invalid()
        made, self.create_error, self.create_errors = attempt(
            lambda: self._service().create(actor, data)
        )
        if made is None:
            return focus_first_invalid()
        self.create_open = False
        self._load_board()
        return rx.toast.success(f'"{made.name}" created.')
