"""What every admin list page shares: the gate, the archived switch, archive / restore,
and the state of its New / Edit dialog."""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from wfm_app.auth.actor import MANAGE_DEFINITIONS, Actor
from wfm_app.ui.state.adapters import attempt, page_id
from wfm_app.ui.state.page_parts import PageParts


class AdminListMixin(PageParts, mixin=True):
    rows: list[dict[str, str]] = []
    show_archived: bool = False
    error: str = ""
    dialog_open: bool = False
    form_errors: dict[str, str] = {}
    form_error: str = ""

    def _reload(self) -> None:
        raise NotImplementedError

    def _set_archived(self, actor: Actor | None, row_id: uuid.UUID, archived: bool) -> Any:
        """Archive or restore one row through its service; returns the read value."""
        raise NotImplementedError

    def _noun(self) -> str:
        raise NotImplementedError

    @rx.event
    def load(self) -> Any:
        actor, leave = self._gate(MANAGE_DEFINITIONS)
        if actor is None:
            return leave
        self.error = ""
        self._reload()
        return None

    @rx.event
    def set_show_archived(self, value: bool) -> None:
        self.show_archived = value
        self._reload()

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = value
        self.form_errors, self.form_error = {}, ""

    def _archive(self, row_id: str, archived: bool) -> Any:
        actor = self._actor()
        target = page_id(row_id)
        done, self.error, _ = attempt(lambda: self._set_archived(actor, target, archived))
        self._reload()
        if done is None:
            return None
        verb = "archived" if archived else "restored"
        name = getattr(done, "name", None) or getattr(done, "label", "")
        return rx.toast.success(f'{self._noun()} "{name}" {verb}.')

    @rx.event
    def archive(self, row_id: str) -> Any:
        return self._archive(row_id, True)

    @rx.event
    def restore(self, row_id: str) -> Any:
        return self._archive(row_id, False)
