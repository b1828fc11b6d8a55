"""Undo on a board: a move's (or a bulk move's) confirmation carries **Undo** for 10
seconds, and Ctrl+Z (or the "Undo last move" button a keyboard reaches) undoes the last
one within that time. Each card goes back through the transition the workflow allows
(entities/moving.py, undo), off the event loop; a refused undo says why."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx

from wfm_app.entities import bulk
from wfm_app.errors import WfmError
from wfm_app.ui.state.adapters import as_uuid
from wfm_app.ui.state.board_part import BoardPart

UNDO_SECONDS = 10


class BoardUndoMixin(BoardPart, mixin=True):
    _last_moves: list[list[str]] = []  # [card id, history id] of the last move or batch
    _last_moved_at: float = 0.0

    def _undoable(self, moves: list[list[str]], message: str, *, warn: bool = False) -> Any:
        """Remember ``moves`` for Ctrl+Z and say ``message`` with an Undo button."""
        self._last_moves, self._last_moved_at = moves, time.monotonic()
        # the concrete board's handler (__class__: a background event's self is a proxy)
        undo: Any = self.__class__.undo_moves
        action = {"label": "Undo", "on_click": undo(moves)}
        toast = rx.toast.warning if warn else rx.toast.success
        return toast(message, action=action, duration=UNDO_SECONDS * 1000)

    @rx.event(background=True)
    async def undo_moves(self, moves: list[list[str]]) -> AsyncIterator[Any]:
        async with self:
            actor = self._viewer()
            if moves == self._last_moves:
                self._last_moves = []  # undone once, not again by Ctrl+Z
        wanted: dict[uuid.UUID, uuid.UUID] = {}
        for card, history in moves:
            card_id, history_id = as_uuid(card), as_uuid(history)
            if card_id and history_id:
                wanted[card_id] = history_id
        try:
            result = await asyncio.to_thread(bulk.undo, actor, wanted)
        except WfmError as refused:
            yield rx.toast.error(refused.message)
            return
        async with self:
            self._load_board()
        if len(result.outcomes) == 1 and result.done:
            yield rx.toast.success(f'"{result.done[0].name}" moved back.')
        elif result.refused:
            yield rx.toast.warning(result.summary, duration=10_000)
        else:
            yield rx.toast.success(result.summary)

    @rx.event
    def undo_last(self) -> Any:
        """Ctrl+Z: the last move or batch, within UNDO_SECONDS of it."""
        if not self._last_moves or time.monotonic() - self._last_moved_at > UNDO_SECONDS:
            return rx.toast.info(f"Nothing to undo: a move can be undone for {UNDO_SECONDS} s.")
        undo: Any = self.__class__.undo_moves
        return undo(self._last_moves)


def move_pair(card_id: str, history_id: uuid.UUID) -> list[str]:
    return [card_id, str(history_id)]
