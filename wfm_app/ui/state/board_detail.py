"""A card's detail on a board: its fields, allowed moves, its timeline (with what
automation did under each move), the edit form and Delete. Part of each board state."""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from wfm_app.engine import access, definitions, people, versions
from wfm_app.engine.branches import reading as branch_reading
from wfm_app.ui.state import timeline
from wfm_app.ui.state.adapters import (
    as_uuid,
    attempt,
    completed,
    focus_first_invalid,
    page_id,
    parse_or_errors,
)
from wfm_app.ui.state.board_part import BoardPart
from wfm_app.ui.state.entity_views import (
    MoveOption,
    days_in_step,
    detail_fields,
    edit_values,
    step_of,
)


def _day(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else ""


class CardDetailMixin(BoardPart, mixin=True):
    detail_open: bool = False
    detail: dict[str, str] = {}
    detail_fields: list[dict[str, str]] = []
    detail_moves: list[MoveOption] = []
    detail_history: list[timeline.TimelineEntry] = []  # newest first
    detail_runs: list[str] = []  # automation not set off by a move: creation, timers
    # the card's edit form (inside the detail)
    edit_values: dict[str, str] = {}
    edit_errors: dict[str, str] = {}
    edit_error: str = ""
    editing_field: str = ""  # the field being edited in place: its form input's name

    def _open_detail(self, card_id: str) -> None:
        actor = self._viewer()
        entity_id = as_uuid(card_id)
        read = self._service().get_by_id(actor, entity_id) if entity_id else None
        if read is None:
            self.alert = "That card no longer exists or is no longer visible to you."
            return
        step_id = step_of(read)
        if card_id != self.detail.get("id"):
            self.editing_field = ""  # another card: nothing of it is being edited
        self.detail = {
            "id": card_id,
            "name": read.name,
            "step": read.wfm.step_name,
            "owner": read.owner_name or "",
            "since": days_in_step(read.wfm.step_entered_at),
            "project_id": str(read.wfm.wfm_project_id),
            "assignee": read.assignee_name or "",
            # Delete is offered to exactly those the service lets delete (not an assignee).
            "may_delete": "yes" if actor and access.may_delete(actor, read.owner_id) else "",
            # a lead converted into a deal (when), for "Convert to deal"
            "converted": _day(getattr(read, "converted_at", None)),
        }
        self._load_approvals(actor, read)
        self._load_assignment(actor, read)
        self.detail_fields = detail_fields(self._description(), read, self._custom_fields)
        self.edit_values = edit_values(self._description(), read)
        self.edit_errors, self.edit_error = {}, ""
        # A card still on an older version: its column (and so its moves) is the step of
        # the board's version with the same status; its history names steps of any version.
        shown = versions.columns(read.wfm.workflow_id)
        if self.workflow_filter:
            shown = versions.columns(uuid.UUID(self.workflow_filter))
        column = str(shown.column_of.get(read.wfm.step.id, step_id)) if read.wfm.step else ""
        self.detail_moves = list(self.moves_by_step.get(column, []))
        self._load_timeline(actor, read, shown.workflow_ids)
        self.detail_open = True

    def _load_timeline(self, actor: Any, read: Any, workflow_ids: Any) -> None:
        """The card's one timeline: moves, edits, approval decisions, comments."""
        names = {
            str(step.id): step.display_name
            for workflow_id in {*workflow_ids, read.wfm.workflow_id}
            for step in definitions.graph(workflow_id).steps
        }
        service = self._service()
        history = service.history(actor, read.id, edits=True)
        runs = service.automation_runs(actor, read.id)
        by_move: dict[uuid.UUID, list[str]] = {}
        for run in runs:
            if run.history_id is not None:
                by_move.setdefault(run.history_id, []).append(run.sentence)
        moves = {h.id for h in history}
        self.detail_runs = [run.sentence for run in reversed(runs) if run.history_id not in moves]
        project_id = read.wfm.wfm_project_id
        decisions = (
            branch_reading.actions_of(actor, project_id)
            if definitions.graph(read.wfm.workflow_id).branches or read.wfm.branches
            else []
        )
        named = people.get_many(actor, list(timeline.people_in(history)))
        words = timeline.Words(
            self._description(),
            self._custom_fields,
            {str(k): user.display_name or "a former user" for k, user in named.items()},
            names,
        )
        found = service.comments(actor, read.id)
        self.detail_history = timeline.timeline(words, history, by_move, decisions, found)
        self.comment_error = ""

    def _board_path(self) -> str:
        return self._description().board_path

    @rx.event
    def open_detail(self, card_id: str) -> Any:
        """Open the card's panel and give it its address (assets/card_url.js)."""
        self._open_detail(card_id)
        if not self.detail_open:
            return None
        board = self._board_path()
        return rx.call_script(f"window.wfmCard.opened({board!r}, {board + '/' + card_id!r})")

    @rx.event
    def save_edit(self, form: dict[str, Any]) -> Any:
        actor = self._viewer()
        card_id = self.detail.get("id", "")
        data, self.edit_error, self.edit_errors = parse_or_errors(
            self._service().kind.update_model, self._form_input(form)
        )
        if data is None:
            return focus_first_invalid()
        entity_id = page_id(card_id)
        saved, self.edit_error, self.edit_errors = attempt(
            lambda: self._service().update(actor, entity_id, data)
        )
        if saved is None:
            return focus_first_invalid()
        self.editing_field = ""
        self._show_saved(saved)
        return rx.toast.success(f'"{saved.name}" saved.')

    @rx.event
    def edit_field(self, key: str) -> Any:
        """Edit one field in place (Enter saves, Escape cancels: assets/inline_edit.js)."""
        if not any(row["key"] == key for row in self.detail_fields if key):
            return None
        self.editing_field, self.edit_errors, self.edit_error = key, {}, ""
        return rx.call_script("window.wfmInline && window.wfmInline.focus()")

    @rx.event
    def cancel_field(self) -> None:
        self.editing_field, self.edit_errors, self.edit_error = "", {}, ""

    def _show_saved(self, read: Any) -> None:
        """A card changed from its detail: replaced where it is in its column (it stays
        there), and the detail drawn again."""
        card = self._card(read)
        before = self._locate(card.id)
        if before is not None:
            self._edit_column(before[1], leaving=before[0], arriving=card)
        self._open_detail(card.id)

    @rx.event
    def delete_card(self) -> Any:
        """Delete the entity shown in the detail (and its WFM project and history)."""
        actor = self._viewer()
        found = self._locate(self.detail.get("id", ""))
        if found is None:
            return None
        card, step_id = found
        entity_id = page_id(card.id)
        done, self.edit_error, _ = attempt(
            completed(lambda: self._service().delete(actor, entity_id))
        )
        if done is None:
            return None
        self._edit_column(step_id, leaving=card)
        self.detail_open = False
        return [rx.toast.success(f'"{card.name}" deleted.'), self._closed()]

    def _closed(self) -> Any:
        """The address back to the board's, as Back would (assets/card_url.js)."""
        return rx.call_script(f"window.wfmCard.closed({self._board_path()!r})")

    @rx.event
    def set_detail_open(self, value: bool) -> Any:
        self.detail_open = value
        return None if value else self._closed()
