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
    filters_open: bool = False  # on a phone the filters fold under "Filters"
    phone_column: str = ""  # on a phone one column shows at a time: this step's

    @rx.event
    def toggle_filters(self) -> None:
        self.filters_open = not self.filters_open

    @rx.event
    def show_column(self, step_id: str) -> None:
        self.phone_column = step_id

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
