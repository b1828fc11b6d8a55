"""A board that follows other people's changes (ui/live.py delivers them): only the
columns the changed card leaves or enters change; dialogs and menus stay as they are."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from wfm_app.engine import versions
from wfm_app.engine.automation import timers
from wfm_app.engine.changes import Change
from wfm_app.sqltypes import utc_now
from wfm_app.ui.state.board_part import BoardPart
from wfm_app.ui.state.card_face import approvals_for
from wfm_app.ui.state.entity_views import step_of

if TYPE_CHECKING:
    pass


def _column(spans: versions.Columns, step_id: str) -> str:
    """The board column (a step of the board's version) a card on ``step_id`` shows in."""
    if not step_id or not spans.column_of:
        return step_id
    return str(spans.column_of.get(uuid.UUID(step_id), step_id))


class LiveBoardMixin(BoardPart, mixin=True):
    def _shown_here(self, read: Any) -> bool:
        """Whether the card passes this board's own filters (owner, search, overdue)."""
        if self.owner_filter and str(read.owner_id) != self.owner_filter:
            return False
        if self.assignee_filter and str(read.assignee_id) != self.assignee_filter:
            return False
        if self.search and self.search.strip().lower() not in read.name.lower():
            return False
        step = read.wfm.step
        if self.waiting_on_me and not self._waits_on_viewer(read):
            return False
        return not self.overdue_only or bool(
            timers.overdue_label(step, read.wfm.step_entered_at, utc_now())
        )

    def _waits_on_viewer(self, read: Any) -> bool:
        """An open, pending branch of the card that the viewer may approve."""
        badges = approvals_for(self._viewer(), read) if read.wfm.step is not None else []
        return any(mine and state == "pending" for _name, state, mine in badges)

    def apply_change(self, change: Change, read: Any | None, saw_before: bool) -> None:
        """One card changed (``read``: as it is now, None if gone or no longer visible
        to this viewer; ``saw_before``: whether it was theirs to see before): move, add,
        replace or remove it in the two columns it touches."""
        if not self.loaded:
            # This tab's state was lost (Redis restarted empty) while its page still
            # shows a board: tell the page, whose loading placeholder then loads it
            # again (``recover``), the change included.
            self.loaded, self.columns = False, []
            return
        spans = versions.columns(uuid.UUID(self.workflow_filter))  # cached definitions
        if change.workflow_id not in {str(w) for w in spans.workflow_ids}:
            return
        card = self._card(read) if read is not None and self._shown_here(read) else None
        step = _column(spans, step_of(read)) if card is not None else ""
        from_step = _column(spans, change.from_step_id) if change.from_step_id else ""
        found = self._locate(change.entity_id)
        if found is None and saw_before and change.op == "updated":
            card = None  # an edit to a card beyond the loaded page: already counted
        arrived = card is not None and (found is None or found[1] != step)
        if change.op == "moved" and arrived and from_step:
            # WIP counts everyone's cards: follow the move (unless we made it ourselves).
            self._loads[from_step] = max(0, self._loads.get(from_step, 1) - 1)
            self._loads[step] = self._loads.get(step, 0) + 1
        if found is not None:
            existing, where = found
            stays = card is not None and step == where
            self._edit_column(where, leaving=existing, arriving=card if stays else None)
        elif card is not None and saw_before and change.op == "moved" and from_step:
            # It was counted in its old column without being loaded there.
            self._edit_column(from_step, leaving=card)
        if arrived and card is not None:
            self._edit_column(step, arriving=card)
        if self.detail_open and self.detail.get("id") == change.entity_id:
            if read is None:
                self.detail_open = False
                self.alert = "The card you had open was deleted or is no longer yours to see."
            else:
                self._open_detail(change.entity_id)
