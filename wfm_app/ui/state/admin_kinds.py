"""/admin/wfm/kinds: the kinds of work boards hold; thin adapter over engine/kinds.py."""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.engine import kinds, project_types
from wfm_app.ui.state.adapters import attempt, form_values, parse_or_errors
from wfm_app.ui.state.admin_list import AdminListMixin
from wfm_app.ui.state.session import SessionState


class KindsState(AdminListMixin, SessionState):
    project_type_options: list[dict[str, str]] = []
    editing: dict[str, str] = {}

    def _noun(self) -> str:
        return "Kind"

    def _key_of(self, row_id: uuid.UUID) -> str:
        return next((row["key"] for row in self.rows if row["id"] == str(row_id)), "")

    def _set_archived(self, actor: Actor | None, row_id: uuid.UUID, archived: bool) -> Any:
        return kinds.update(actor, self._key_of(row_id), kinds.KindUpdate(is_archived=archived))

    def _reload(self) -> None:
        actor = self._actor()
        types = project_types.get_all(actor)
        names = {t.id: t.name for t in [*types, *project_types.get_all(actor, is_archived=True)]}
        self.project_type_options = [{"value": str(t.id), "label": t.name} for t in types]
        self.rows = [
            {
                "id": str(k.id or ""),
                "key": k.key,
                "name": k.name,
                "plural_name": k.plural_name,
                "project_type": names.get(k.project_type_id, "") if k.project_type_id else "",
                "board_path": k.board_path,
                "built_in": "yes" if k.built_in else "",
                "archived": "yes" if k.is_archived else "",
            }
            for k in kinds.get_all(actor, include_archived=True)
            if k.is_archived == self.show_archived
        ]

    @rx.event
    def open_new(self) -> None:
        self.editing, self.form_errors, self.form_error = {}, {}, ""
        self.dialog_open = True

    @rx.event
    def open_edit(self, row: dict[str, str]) -> None:
        self.editing, self.form_errors, self.form_error = row, {}, ""
        self.dialog_open = True

    @rx.event
    def save(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        values = form_values(form)
        key = self.editing.get("key", "")
        if not key:
            data, self.form_error, self.form_errors = parse_or_errors(kinds.KindCreate, values)
            if data is None:
                return None
            done, self.form_error, self.form_errors = attempt(lambda: kinds.create(actor, data))
        else:
            values["name"] = values.get("name") or ""  # a blank name is refused, not ignored
            changes, self.form_error, self.form_errors = parse_or_errors(kinds.KindUpdate, values)
            if changes is None:
                return None
            done, self.form_error, self.form_errors = attempt(
                lambda: kinds.update(actor, key, changes)
            )
        if done is None:
            return None
        self.dialog_open = False
        self._reload()
        self._load_boards(actor)
        return rx.toast.success(f'Kind "{done.name}" saved: its board is {done.board_path}.')
