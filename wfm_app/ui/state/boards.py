"""One board state per entity kind: each says only which service it shows."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.entities import deals, leads, tickets
from wfm_app.entities.base import EntityService
from wfm_app.ui.state.board import BoardMixin
from wfm_app.ui.state.board_approvals import ApprovalsMixin
from wfm_app.ui.state.board_assign import AssignMixin
from wfm_app.ui.state.board_complete import CompleteMoveMixin
from wfm_app.ui.state.board_create import CreateCardMixin
from wfm_app.ui.state.board_detail import CardDetailMixin
from wfm_app.ui.state.board_filters import BoardFiltersMixin
from wfm_app.ui.state.board_live import LiveBoardMixin
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
    mixin=True,
):
    """Everything a board is: loading and moving, "New ...", the card detail and its
    approvals, "Complete to move", and following other people's changes."""


class DealsBoardState(BoardParts, SessionState):
    def _service(self) -> EntityService[Any, Any, Any]:
        return deals.service

    @rx.event
    def load(self) -> Any:
        return self._page_load()


class LeadsBoardState(BoardParts, SessionState):
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
