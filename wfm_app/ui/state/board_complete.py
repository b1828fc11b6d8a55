""" "Complete to move": a move refused only for missing or wrong values (or a reason)
asks for them, then saves them and moves the card in one transaction."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.engine.custom_fields import PREFIX
from wfm_app.engine.rules import MoveRequest
from wfm_app.errors import ConditionFailed, ValidationFailed, WfmError, WipLimitReached
from wfm_app.ui.state.adapters import focus_first_invalid, page_id, said
from wfm_app.ui.state.board_part import BoardPart
from wfm_app.ui.state.entity_views import CardView, FieldView, edit_values, split_form

_ASKABLE = {"comment"}  # besides the form's own fields


class CompleteMoveMixin(BoardPart, mixin=True):
    complete_open: bool = False
    # id, name, from_step_id, step_id (the target), step (its name)
    complete_card: dict[str, str] = {}
    complete_fields: list[FieldView] = []
    complete_values: dict[str, str] = {}
    complete_needs_reason: bool = False
    complete_override: bool = False  # a manager moving into a full "block" column
    complete_errors: dict[str, str] = {}
    complete_error: str = ""

    def _aim(self, card: CardView, from_step: str, step_id: str) -> None:
        """Which card the dialog is about, where it is and where it is going."""
        self.complete_card = {
            "id": card.id,
            "name": card.name,
            "from_step_id": from_step,
            "step_id": step_id,
            "step": self._step_names[step_id],
        }

    def _ask_to_complete(
        self, card: CardView, from_step: str, step_id: str, error: ConditionFailed
    ) -> Any:
        form_fields: list[FieldView] = self.form_fields
        by_key = {field.key: field for field in form_fields}
        unmet = {item["field"]: item["message"] for item in error.unmet}
        if not set(unmet) <= set(by_key) | _ASKABLE:  # a role, say: nothing to fill in
            self.alert = f'"{card.name}" was not moved. {said(error)}'
            return None  # said once, by the alert
        read = self._service().get_by_id(self._viewer(), page_id(card.id))
        description = self._description()
        self._aim(card, from_step, step_id)
        self.complete_fields = [by_key[key] for key in unmet if key in by_key]
        self.complete_values = edit_values(description, read) if read else {}
        self.complete_needs_reason = "comment" in unmet
        self.complete_override = False
        self.complete_errors = {key: message for key, message in unmet.items()}
        self.complete_error = f'To move "{card.name}" to {self.complete_card["step"]}: ' + " ".join(
            unmet.values()
        )
        self.complete_open = True
        return None

    def _ask_to_override(
        self, card: CardView, from_step: str, step_id: str, error: WipLimitReached
    ) -> Any:
        """Who may override a full column is asked for a reason instead of refused."""
        self._aim(card, from_step, step_id)
        self.complete_fields, self.complete_values, self.complete_errors = [], {}, {}
        self.complete_needs_reason, self.complete_override = True, True
        self.complete_error = f"{error.message} Give a reason to move it anyway."
        self.complete_open = True
        return None

    @rx.event
    def set_complete_open(self, value: bool) -> None:
        """Cancel (or Escape) leaves everything as it was."""
        self.complete_open = value

    @rx.event
    def complete_move(self, form: dict[str, Any]) -> Any:
        card = self._find(self.complete_card.get("id", ""))
        if card is None:
            self.complete_open = False
            return None
        # The form also carries controls by id: keep only the asked fields' inputs.
        asked = {field.key for field in self.complete_fields}
        given = {k: v for k, v in form.items() if k.split("::")[0] in asked}
        builtin, custom = split_form(given)
        values = {**builtin, **{PREFIX + key: value for key, value in custom.items()}}
        request = MoveRequest(
            values=values or None,
            comment=form.get("comment") or None,
            override=self.complete_override,
        )
        from_step, step_id = self.complete_card["from_step_id"], self.complete_card["step_id"]
        try:
            moved = self._service().move_command(
                self._viewer(),
                page_id(card.id),
                page_id(step_id),
                expected_step_id=page_id(from_step),
                request=request,
            )
        except ConditionFailed as error:
            self.complete_errors = {item["field"]: item["message"] for item in error.unmet}
            self.complete_error = error.message
            return focus_first_invalid()
        except ValidationFailed as error:
            self.complete_errors, self.complete_error = error.field_errors, error.message
            return focus_first_invalid()
        except WfmError as error:  # a full column: the reason is what is missing
            self.complete_errors, self.complete_error = {"comment": error.message}, error.message
            return None
        self.complete_open = False
        return self._moved(card, from_step, step_id, moved)
