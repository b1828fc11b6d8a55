"""A board's filters: each change reloads the board with them (the service applies them
in SQL; live updates check a changed card against them too, state/board_live.py)."""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.state.board_part import BoardPart


class BoardFiltersMixin(BoardPart, mixin=True):
    search: str = ""
    owner_filter: str = ""
    assignee_filter: str = ""
    overdue_only: bool = False  # only cards past their step's rotting or SLA time
    workflow_filter: str = ""
    waiting_on_me: bool = False  # only cards with an approval the viewer may give
    _shown_workflow: str = ""  # the workflow the board shows (the default one unless chosen)

    @rx.event
    def set_overdue_only(self, value: bool) -> None:
        self.overdue_only = value
        self._load_board()

    @rx.event
    def set_waiting_on_me(self, value: bool) -> None:
        self.waiting_on_me = value
        self._load_board()

    @rx.event
    def set_workflow_filter(self, value: str) -> None:
        self.workflow_filter = value
        self._load_board()

    @rx.event
    def set_search(self, value: str) -> None:
        self.search = value
        self._load_board()

    @rx.event
    def set_assignee_filter(self, value: str) -> None:
        self.assignee_filter = value
        self._load_board()

    @rx.event
    def set_owner_filter(self, value: str) -> None:
        self.owner_filter = value
        self._load_board()
