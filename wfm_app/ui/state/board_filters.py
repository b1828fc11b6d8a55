"""A board's filters: each change reloads the board with them (the service applies them
in SQL; live updates check a changed card against them too, state/board_live.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.state.board_part import BoardPart


class BoardFiltersMixin(BoardPart, mixin=True):
    search: str = ""
    owner_filter: str = ""
    assignee_filter: str = ""
    overdue_only: bool = False  # only cards past their step's rotting or SLA time
    workflow_filter: str = ""
    waiting_on_me: bool = False  # only cards with an approval the viewer may give
    group_by: str = ""  # swimlanes: "", "owner", "assignee" or a custom field's key
    _shown_workflow: str = ""  # the workflow the board shows (the default one unless chosen)
    filters_open: bool = False  # on a phone the filters fold under "Filters"
    phone_column: str = ""  # on a phone one column shows at a time: this step's

    def _refilter(self) -> Any:
        """Reload with the changed filters: the board no longer shows the saved view it
        opened with; the address says what it shows now."""
        self._load_board()
        self.current_view = ""
        return self._address()

    @rx.var
    def no_match(self) -> bool:
        """The filters narrowed the board to no card at all (said, with a way out)."""
        chosen = (self.search, self.owner_filter, self.assignee_filter)
        narrowed = any(chosen) or self.overdue_only or self.waiting_on_me
        return narrowed and self.loaded and all(c.count == 0 for c in self.columns)

    @rx.event
    def clear_filters(self) -> Any:
        self.search, self.owner_filter, self.assignee_filter = "", "", ""
        self.overdue_only, self.waiting_on_me = False, False
        return self._refilter()

    @rx.event
    def toggle_filters(self) -> None:
        self.filters_open = not self.filters_open

    @rx.event
    def show_column(self, step_id: str) -> None:
        self.phone_column = step_id

    @rx.event
    def set_overdue_only(self, value: bool) -> Any:
        self.overdue_only = value
        return self._refilter()

    @rx.event
    def set_waiting_on_me(self, value: bool) -> Any:
        self.waiting_on_me = value
        return self._refilter()

    @rx.event
    def set_workflow_filter(self, value: str) -> Any:
        self.workflow_filter = value
        return self._refilter()

    @rx.event
    def set_search(self, value: str) -> Any:
        self.search = value
        return self._refilter()

    @rx.event
    def set_assignee_filter(self, value: str) -> Any:
        self.assignee_filter = value
        return self._refilter()

    @rx.event
    def set_owner_filter(self, value: str) -> Any:
        self.owner_filter = value
        return self._refilter()
