"""The workflows page's "Export" and "Import": the definitions as a YAML file, and a
file's YAML checked with a dry run before it is imported (wfm export / wfm import).

Reading a file and running it (dry or not) happen in a worker thread: a large file must
not hold up the event loop every other page is served from."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.engine import portable
from wfm_app.errors import WfmError
from wfm_app.ui.state.adapters import attempt
from wfm_app.ui.state.page_parts import PageParts


def _run_import(
    actor: Actor | None, text: str, *, dry_run: bool
) -> tuple[portable.ImportReport | None, str]:
    try:
        document = portable.from_yaml(text)
        return portable.import_definitions(actor, document, dry_run=dry_run), ""
    except WfmError as refused:
        return None, refused.message


class DefinitionsFileMixin(PageParts, mixin=True):
    import_open: bool = False
    import_text: str = ""
    import_changes: list[str] = []
    import_checked: bool = False  # a dry run of exactly this text has been shown
    import_error: str = ""
    import_working: bool = False

    @rx.event
    def export_definitions(self) -> Any:
        actor = self._actor()
        document, error, _ = attempt(lambda: portable.export(actor))
        if document is None:
            return rx.toast.error(error)
        return rx.download(
            data=portable.to_yaml(document),
            filename="wfm-definitions.yaml",
            mime_type="application/yaml",
        )

    @rx.event
    def set_import_open(self, value: bool) -> None:
        self.import_open = value
        self.import_changes, self.import_checked, self.import_error = [], False, ""

    @rx.event
    def set_import_text(self, value: str) -> None:
        self.import_text = value
        self.import_checked = False

    async def _import(self) -> portable.ImportReport | None:
        """Import the file in a thread; what it said lands in the dialog."""
        async with self:
            if self.import_working:  # a second click while the first runs does nothing
                return None
            actor, text, self.import_working = self._actor(), self.import_text, True
        try:
            report, error = await asyncio.to_thread(_run_import, actor, text, dry_run=False)
        finally:
            async with self:
                self.import_working = False
        async with self:
            self.import_error = error
            self.import_changes = report.changes if report else []
            self.import_checked = False
        return report

    @rx.event
    async def check_import(self) -> AsyncIterator[None]:
        """The dry run: what would change, nothing written. Not a background event: those
        start at once, and one could read the box before its last change was applied (a
        paste then a quick click checked the text before it); the file is still read in a
        thread, so only this tab's events wait."""
        if self.import_working:
            return
        self.import_working = True
        yield
        try:
            report, error = await asyncio.to_thread(
                _run_import, self._actor(), self.import_text, dry_run=True
            )
        finally:
            self.import_working = False
        self.import_error = error
        self.import_changes = report.changes if report else []
        self.import_checked = report is not None

    @rx.event(background=True)
    async def apply_import(self) -> AsyncIterator[Any]:
        report = await self._import()
        if report is None:
            return
        async with self:
            self.import_open = False
            self._reload()
        yield rx.toast.success(f"Definitions imported: {len(report.changes)} change(s).")
