"""The card detail's "Assigned to": who works the card besides its owner (they see and
move it like the owner). Managers hand cards to anyone; others take or drop them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.engine import access
from wfm_app.ui.state.adapters import as_uuid, attempt
from wfm_app.ui.state.board_part import BoardPart

if TYPE_CHECKING:
    pass

NOBODY = "none"  # the select's value for "not assigned" (an empty value reads as unset)


class AssignMixin(BoardPart, mixin=True):
    assign_options: list[dict[str, str]] = []
    can_assign: bool = False
    assignee_value: str = NOBODY

    def _load_assignment(self, actor: Actor | None, read: Any) -> None:
        self.can_assign = actor is not None and access.may_change(
            actor, read.owner_id, read.assignee_id
        )
        self.assignee_value = str(read.assignee_id) if read.assignee_id else NOBODY
        options = [{"value": NOBODY, "label": "Nobody"}]
        if self.can_filter_by_owner:
            options += self.owner_options
        elif actor is not None:
            options.append({"value": str(actor.user_id), "label": "Me"})
        if read.assignee_id and all(o["value"] != str(read.assignee_id) for o in options):
            options.append({"value": str(read.assignee_id), "label": read.assignee_name or ""})
        self.assign_options = options

    @rx.event
    def assign_card(self, value: str) -> Any:
        actor = self._viewer()
        card_id = self.detail.get("id", "")
        entity_id = as_uuid(card_id)
        if entity_id is None:
            return None
        assignee = None if value == NOBODY else as_uuid(value)
        data = self._service().kind.update_model(assignee_id=assignee)
        saved, error, _ = attempt(lambda: self._service().update(actor, entity_id, data))
        if saved is None:
            return rx.toast.error(f'"{self.detail.get("name", "")}" was not assigned. {error}')
        self._show_saved(saved)
        who = saved.assignee_name or "nobody"
        return rx.toast.success(f'"{saved.name}" is assigned to {who}.')
