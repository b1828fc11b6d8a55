"""A board's weighted totals where its workflow uses the learned win chance: each
column's sum of its cards' weighted amounts, from the database (every card counts, not
only those loaded), read again when a column changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wfm_app.engine import definitions
from wfm_app.engine.win_chance import store as win_chance
from wfm_app.ui.state.adapters import as_uuid
from wfm_app.ui.state.board_part import BoardPart


class LearnedTotalsMixin(BoardPart, mixin=True):
    _learning: bool = False  # the shown workflow weighs by learned chances
    _learned: dict[str, float] = {}  # per column

    def _load_learned(self, board: Any) -> None:
        graph = definitions.graph(board.workflow.id)
        self._learning = win_chance.in_use(graph) is not None
        self._learned = (
            {str(c.step.id): float(c.weighted_amount) for c in board.columns}
            if self._learning
            else {}
        )

    def _learned_total(self, step_id: str) -> Decimal | None:
        return Decimal(str(self._learned.get(step_id, 0.0))) if self._learning else None

    def _refresh_learned(self) -> None:
        workflow_id = as_uuid(self._shown_workflow)
        if not self._learning or workflow_id is None:
            return
        found = self._service().learned_totals(self._viewer(), workflow_id, **self._filter_args())
        self._learned = {str(k): float(v) for k, v in (found or {}).items()}
