"""A board's "Export CSV": every card its filters keep (not only each column's first
page), read off the event loop through the same list code as the API (entities/export.py).
A board past MAX_ROWS cards downloads the first MAX_ROWS and says so; ``wfm export-cards``
writes any number."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.entities import export
from wfm_app.entities.base import EntityService
from wfm_app.entities.board import board_filter
from wfm_app.entities.filtering import CardFilter
from wfm_app.errors import WfmError
from wfm_app.sqltypes import utc_now
from wfm_app.ui.state.adapters import as_uuid
from wfm_app.ui.state.board_part import BoardPart

MAX_ROWS = 50_000


def _csv(
    service: EntityService[Any, Any, Any], actor: Actor | None, filters: CardFilter
) -> tuple[str, int, bool]:
    """The file, how many cards it holds, and whether more were left out."""
    lines = list(export.lines(service, actor, filters, limit=MAX_ROWS + 1))
    cut = len(lines) - 1 > MAX_ROWS
    kept = lines[:-1] if cut else lines
    return "".join(kept), len(kept) - 1, cut


class BoardExportMixin(BoardPart, mixin=True):
    exporting: bool = False

    @rx.event(background=True)
    async def export_csv(self) -> AsyncIterator[Any]:
        async with self:
            if self.exporting or not self._shown_workflow:
                return
            actor, service = self._viewer(), self._service()
            filters = board_filter(
                as_uuid(self._shown_workflow),
                as_uuid(self.owner_filter) if self.owner_filter else None,
                as_uuid(self.assignee_filter) if self.assignee_filter else None,
                self.search or None,
                self.overdue_only,
                self.waiting_on_me,
            )
            plural = service.kind.description.plural_label.lower().replace(" ", "-")
            self.exporting = True
        try:
            text, count, cut = await asyncio.to_thread(_csv, service, actor, filters)
        except WfmError as refused:
            async with self:
                self.exporting = False
            yield rx.toast.error(refused.message)
            return
        async with self:
            self.exporting = False
        yield rx.download(
            data=text, filename=f"{plural}-{utc_now():%Y-%m-%d}.csv", mime_type="text/csv"
        )
        if cut:
            yield rx.toast.info(
                f"The file holds the first {count:,} cards; `wfm export-cards` writes them all."
            )
