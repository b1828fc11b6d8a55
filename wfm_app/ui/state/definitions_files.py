"""The workflows page's "Export" and "Import": the definitions as a YAML file, and a
file's YAML checked with a dry run before it is imported (wfm export / wfm import)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.engine import portable
from wfm_app.engine.errors import WfmError
from wfm_app.ui.state.adapters import attempt


class DefinitionsFileMixin(rx.State, mixin=True):
    import_open: bool = False
    import_text: str = ""
    import_changes: list[str] = []
    import_checked: bool = False  # a dry run of exactly this text has been shown
    import_error: str = ""

    @rx.event
    def export_definitions(self) -> Any:
        actor = self._actor()  # type: ignore[attr-defined]
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

    def _import(self, *, dry_run: bool) -> portable.ImportReport | None:
        actor = self._actor()  # type: ignore[attr-defined]
        try:
            document = portable.from_yaml(self.import_text)
            report = portable.import_definitions(actor, document, dry_run=dry_run)
        except WfmError as refused:
            self.import_error, self.import_changes, self.import_checked = refused.message, [], False
            return None
        self.import_error = ""
        self.import_changes = report.changes
        return report

    @rx.event
    def check_import(self) -> None:
        """The dry run: what would change, nothing written."""
        self.import_checked = self._import(dry_run=True) is not None

    @rx.event
    def apply_import(self) -> Any:
        report = self._import(dry_run=False)
        if report is None:
            return None
        self.import_open = False
        self._reload()  # type: ignore[attr-defined]
        return rx.toast.success(f"Definitions imported: {len(report.changes)} change(s).")
