"""A board's "Select": checkboxes on cards (and "Select all in column"), then "Move
selected to", "Assign selected to" or "Delete selected". Each card goes through the one
move, update or delete command on its own (entities/bulk.py), off the event loop; the
toast says which were done and, for the others, why not."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import reflex as rx

from wfm_app.entities import bulk
from wfm_app.errors import WfmError
from wfm_app.ui.state.adapters import as_uuid
from wfm_app.ui.state.board_part import BoardPart
from wfm_app.ui.state.board_undo import move_pair

NOBODY = "none"


class BoardSelectMixin(BoardPart, mixin=True):
    selecting: bool = False
    selected: list[str] = []
    bulk_working: bool = False
    delete_selected_open: bool = False

    @rx.event
    def toggle_selecting(self) -> None:
        self.selecting = not self.selecting
        self.selected = []

    @rx.event
    def toggle_card(self, card_id: str) -> None:
        if card_id in self.selected:
            self.selected = [c for c in self.selected if c != card_id]
        elif len(self.selected) < bulk.MAX_CARDS:
            self.selected = [*self.selected, card_id]

    @rx.event
    def select_column(self, step_id: str) -> None:
        column = next((c for c in self.columns if c.id == step_id), None)
        if column is not None:
            ids = [card.id for card in column.cards]
            self.selected = list(dict.fromkeys([*self.selected, *ids]))[: bulk.MAX_CARDS]

    @rx.event
    def set_delete_selected_open(self, value: bool) -> None:
        self.delete_selected_open = value

    async def _bulk(self, act: Callable[[list[uuid.UUID]], bulk.BulkResult]) -> AsyncIterator[Any]:
        async with self:
            if self.bulk_working or not self.selected:
                return
            cards = [c for c in (as_uuid(card_id) for card_id in self.selected) if c]
            self.bulk_working = True
        try:
            result = await asyncio.to_thread(act, cards)
        except WfmError as refused:
            async with self:
                self.bulk_working = False
            yield rx.toast.error(refused.message)
            return
        async with self:
            self.bulk_working, self.delete_selected_open = False, False
            self.selected = [str(o.card_id) for o in result.refused]  # what is left to do
            self._load_board()
        moves = [move_pair(str(o.card_id), o.history_id) for o in result.done if o.history_id]
        if moves:  # a move: its confirmation can undo it
            async with self:
                said = self._undoable(moves, result.summary, warn=bool(result.refused))
            yield said
        elif result.refused:
            yield rx.toast.warning(result.summary, duration=10_000)
        else:
            yield rx.toast.success(result.summary)

    @rx.event(background=True)
    async def move_selected(self, step_id: str) -> AsyncIterator[Any]:
        async with self:
            actor, step = self._viewer(), as_uuid(step_id)
        if step is not None:
            async for event in self._bulk(lambda cards: bulk.move(actor, cards, step)):
                yield event

    @rx.event(background=True)
    async def assign_selected(self, value: str) -> AsyncIterator[Any]:
        async with self:
            actor = self._viewer()
        assignee = None if value == NOBODY else as_uuid(value)
        async for event in self._bulk(lambda cards: bulk.assign(actor, cards, assignee)):
            yield event

    @rx.event(background=True)
    async def delete_selected(self) -> AsyncIterator[Any]:
        async with self:
            actor = self._viewer()
        async for event in self._bulk(lambda cards: bulk.delete(actor, cards)):
            yield event
