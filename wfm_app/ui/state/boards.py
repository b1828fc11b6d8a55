"""One board state per built-in kind, and one for every kind admins define: each says
only which service it shows."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app import entities
from wfm_app.engine import kinds, registry
from wfm_app.entities import deals, leads, tickets
from wfm_app.entities.base import EntityService
from wfm_app.ui.state.board import BoardMixin
from wfm_app.ui.state.board_address import BoardAddressMixin
from wfm_app.ui.state.board_approvals import ApprovalsMixin
from wfm_app.ui.state.board_assign import AssignMixin
from wfm_app.ui.state.board_chances import LearnedTotalsMixin
from wfm_app.ui.state.board_comments import CommentsMixin
from wfm_app.ui.state.board_complete import CompleteMoveMixin
from wfm_app.ui.state.board_convert import ConvertMixin
from wfm_app.ui.state.board_create import CreateCardMixin
from wfm_app.ui.state.board_detail import CardDetailMixin
from wfm_app.ui.state.board_export import BoardExportMixin
from wfm_app.ui.state.board_filters import BoardFiltersMixin
from wfm_app.ui.state.board_import import BoardImportMixin
from wfm_app.ui.state.board_lanes import SwimlanesMixin
from wfm_app.ui.state.board_live import LiveBoardMixin
from wfm_app.ui.state.board_quick_add import QuickAddMixin
from wfm_app.ui.state.board_select import BoardSelectMixin
from wfm_app.ui.state.board_undo import BoardUndoMixin
from wfm_app.ui.state.board_views import SavedViewsMixin
from wfm_app.ui.state.session import SessionState


class BoardParts(
    BoardMixin,
    BoardFiltersMixin,
    CreateCardMixin,
    CardDetailMixin,
    ApprovalsMixin,
    AssignMixin,
    CompleteMoveMixin,
    LiveBoardMixin,
    BoardExportMixin,
    BoardSelectMixin,
    BoardUndoMixin,
    SavedViewsMixin,
    SwimlanesMixin,
    LearnedTotalsMixin,
    CommentsMixin,
    QuickAddMixin,
    BoardAddressMixin,
    BoardImportMixin,
    mixin=True,
):
    """Everything a board is: loading and moving, "New ...", the card detail and its
    approvals, "Complete to move", following other people's changes, "Export CSV",
    "Select", Undo, saved views and swimlanes."""


class DealsBoardState(BoardParts, SessionState):
    def _service(self) -> EntityService[Any, Any, Any]:
        return deals.service

    @rx.event
    def load(self) -> Any:
        return self._page_load()


class LeadsBoardState(BoardParts, ConvertMixin, SessionState):
    def _service(self) -> EntityService[Any, Any, Any]:
        return leads.service

    @rx.event
    def load(self) -> Any:
        return self._page_load()


class TicketsBoardState(BoardParts, SessionState):
    def _service(self) -> EntityService[Any, Any, Any]:
        return tickets.service

    @rx.event
    def load(self) -> Any:
        return self._page_load()


class KindBoardState(BoardParts, SessionState):
    """The board of any kind at /boards/<key> (an admin's, or a built-in one without a
    route of its own): the same board, its kind read from the address."""

    kind_noun: str = ""  # "purchase request": "New purchase request"
    kind_title: str = ""  # "Purchase requests"
    kind_missing: bool = False
    _shown_kind: str = ""  # the kind this tab's board state belongs to

    def _kind_key(self) -> str:
        return str(self.router.page.params.get("kind_key", ""))[: kinds.MAX_KEY_LENGTH]

    def _service(self) -> EntityService[Any, Any, Any]:
        service = entities.service_by_key(self._kind_key())
        if service is None:
            raise LookupError(f"no kind {self._kind_key()!r}")
        return service

    @rx.event
    def load(self) -> Any:
        return self._prepare()

    @rx.event
    def recover(self) -> Any:
        """The loading placeholder's (see BoardMixin.recover), through this board's own
        load: its kind comes from the address."""
        return None if self.loaded or self.kind_missing else self._prepare()

    def _load_again(self) -> Any:
        return self._prepare()

    def _prepare(self) -> Any:
        key = self._kind_key()
        if not key:  # an event sent before the address's parameters were known
            return None
        description = registry.by_key(key)
        if description is not None and description.board_path != f"/boards/{key}":
            return rx.redirect(description.board_path)  # /boards/deal -> /deals
        if key != self._shown_kind:  # another kind's board in this tab: start afresh
            self._shown_kind, self.workflow_filter, self.search = key, "", ""
            self.owner_filter, self.assignee_filter, self.columns = "", "", []
            self.group_by, self.current_view = "", ""
            self.loaded = False
        self.kind_missing = description is None or description.archived
        if description is None or self.kind_missing:
            self.kind_noun, self.kind_title = "", "No such board"
            _actor, leave = self._gate()
            return leave
        self.kind_noun, self.kind_title = description.noun, description.plural_label
        return self._page_load()
