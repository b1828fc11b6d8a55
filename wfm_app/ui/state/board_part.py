"""The base of every part of a board's state (state/boards.py composes them): what one
part may use of the others, declared once, for the type checker only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wfm_app.ui.state.page_parts import PageParts

if TYPE_CHECKING:
    from wfm_app.auth.actor import Actor
    from wfm_app.engine.custom_fields import CustomFieldRead
    from wfm_app.engine.registry import EntityDescription
    from wfm_app.entities.base import EntityService
    from wfm_app.entities.moving import MoveResult
    from wfm_app.errors import ConditionFailed, WipLimitReached
    from wfm_app.ui.state.entity_views import CardView, ColumnView, FieldView, MoveOption


class BoardPart(PageParts, mixin=True):
    if TYPE_CHECKING:
        # the board (state/board.py) and its filters (state/board_filters.py)
        columns: list[ColumnView]
        moves_by_step: dict[str, list[MoveOption]]
        owner_options: list[dict[str, str]]
        can_filter_by_owner: bool
        form_fields: list[FieldView]
        alert: str
        loaded: bool
        _loads: dict[str, int]
        _step_names: dict[str, str]
        _custom_fields: list[CustomFieldRead]
        search: str
        owner_filter: str
        assignee_filter: str
        overdue_only: bool
        workflow_filter: str
        waiting_on_me: bool
        group_by: str
        workflow_options: list[dict[str, str]]
        assignee_options: list[dict[str, str]]
        # saved views (state/board_views.py)
        current_view: str
        _shown_workflow: str
        phone_column: str
        # the card detail (state/board_detail.py) and "Complete to move"
        detail: dict[str, str]
        detail_open: bool
        complete_card: dict[str, str]

        def _service(self) -> EntityService[Any, Any, Any]: ...
        def _description(self) -> EntityDescription: ...
        def _viewer(self) -> Actor | None: ...
        def _card(self, read: Any) -> CardView: ...
        def _find(self, card_id: str) -> CardView | None: ...
        def _locate(self, card_id: str) -> tuple[CardView, str] | None: ...
        def _load_board(self) -> None: ...
        def _address(self) -> Any: ...
        def _refilter(self) -> Any: ...
        def _open_view_on_load(self, first_open: bool) -> None: ...
        def _load_groupings(self) -> None: ...
        def _usable_grouping(self, group_by: str) -> str: ...
        def _restore_grouping(self) -> None: ...
        def _refresh_lanes(self) -> None: ...
        def _undoable(self, moves: list[list[str]], message: str, *, warn: bool = False) -> Any: ...
        def _edit_column(
            self, step_id: str, *, leaving: CardView | None = None, arriving: CardView | None = None
        ) -> None: ...
        def _moved(
            self, card: CardView, old_step: str, step_id: str, moved: MoveResult[Any]
        ) -> Any: ...
        def _form_input(self, form: dict[str, Any]) -> dict[str, Any]: ...
        def _open_detail(self, card_id: str) -> None: ...
        def _show_saved(self, read: Any) -> None: ...
        def _load_approvals(self, actor: Actor | None, read: Any) -> None: ...
        def _load_assignment(self, actor: Actor | None, read: Any) -> None: ...
        def _ask_to_complete(
            self, card: CardView, from_step: str, step_id: str, error: ConditionFailed
        ) -> Any: ...
        def _ask_to_override(
            self, card: CardView, from_step: str, step_id: str, error: WipLimitReached
        ) -> Any: ...
