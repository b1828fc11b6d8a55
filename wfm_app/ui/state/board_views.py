"""Saved views on a board (engine/saved_views.py): "Save view" keeps the filters, search,
grouping and workflow under a name; "Views" lists this board's own and published ones;
choosing one applies it and puts ``?view=<id>`` in the address, so the address is the
link to share; the person's default applies when the board first opens in a tab."""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from wfm_app.engine import saved_views
from wfm_app.engine.saved_views import SavedViewRead, ViewSettings
from wfm_app.errors import ValidationFailed, WfmError
from wfm_app.ui.state.adapters import as_uuid, said
from wfm_app.ui.state.board_part import BoardPart


def _label(view: SavedViewRead) -> str:
    marks = [m for m, on in (("default", view.is_default), ("shared", view.is_published)) if on]
    return f"{view.name} ({', '.join(marks)})" if marks else view.name


class SavedViewsMixin(BoardPart, mixin=True):
    view_options: list[dict[str, str]] = []
    current_view: str = ""  # the applied view's id ("" once the filters change)
    current_view_removable: bool = False
    can_publish_views: bool = False
    save_view_open: bool = False
    save_view_error: str = ""
    save_view_errors: dict[str, str] = {}  # the refused field's sentence, by field name

    def _board_key(self) -> str:
        return self._description().entity_type

    def _load_views(self) -> None:
        actor = self._viewer()
        views = saved_views.listed(actor, self._board_key())
        self.view_options = [{"value": str(v.id), "label": _label(v)} for v in views]
        self.can_publish_views = actor is not None and saved_views.may_publish(actor)
        current = next((v for v in views if str(v.id) == self.current_view), None)
        self.current_view_removable = current is not None and (
            current.is_mine or (current.is_published and self.can_publish_views)
        )
        if current is None:
            self.current_view = ""

    def _settings(self) -> ViewSettings:
        return ViewSettings(
            workflow_id=self.workflow_filter,
            search=self.search,
            owner_id=self.owner_filter,
            assignee_id=self.assignee_filter,
            overdue_only=self.overdue_only,
            waiting_on_me=self.waiting_on_me,
            group_by=self.group_by,
        )

    def _apply(self, view: SavedViewRead) -> None:
        """Take the view's settings into the board's filters (those this person may use)."""
        chosen = view.settings
        if any(o["value"] == chosen.workflow_id for o in self.workflow_options):
            self.workflow_filter = chosen.workflow_id
        self.search = chosen.search
        self.owner_filter = chosen.owner_id if self.can_filter_by_owner else ""
        known = {o["value"] for o in self.assignee_options}
        self.assignee_filter = chosen.assignee_id if chosen.assignee_id in known else ""
        self.overdue_only = chosen.overdue_only
        self.waiting_on_me = chosen.waiting_on_me
        self.group_by = self._usable_grouping(chosen.group_by)
        self.current_view = str(view.id)

    def _open_view_on_load(self, first_open: bool) -> None:
        """``?view=<id>`` applies that view; else, the first time this tab opens the board,
        the person's default view (if any)."""
        asked = self.router.url.query_parameters.get("view", "")
        try:
            if asked:
                view_id = as_uuid(asked)
                if view_id is None:
                    raise ValidationFailed("view must be an id.", {"view": "view must be an id."})
                self._apply(saved_views.get(self._viewer(), view_id))
            elif self._filters_from_address():
                pass  # a reload or a shared link: what the address names
            elif first_open:
                default = saved_views.default_view(self._viewer(), self._board_key())
                if default is not None:
                    self._apply(default)
                else:
                    self._restore_grouping()
        except WfmError as error:
            self.alert = said(error)
        self._load_views()

    @rx.event
    def choose_view(self, view_id: str) -> Any:
        if not view_id:
            self.current_view = ""
            self._load_views()
            return self._address()
        try:
            view = saved_views.get(self._viewer(), uuid.UUID(view_id))
        except (ValueError, WfmError) as error:
            self.alert = said(error) if isinstance(error, WfmError) else "No such view."
            return None
        self._apply(view)
        self._load_board()
        self._load_views()
        return [self._address(), rx.toast.info(f'Showing the view "{view.name}".')]

    @rx.event
    def set_save_view_open(self, value: bool) -> None:
        self.save_view_open, self.save_view_error, self.save_view_errors = value, "", {}

    @rx.event
    def save_view(self, form: dict[str, Any]) -> Any:
        try:
            view = saved_views.save(
                self._viewer(),
                self._board_key(),
                str(form.get("name", "")),
                self._settings(),
                publish=bool(form.get("publish")),
                make_default=bool(form.get("make_default")),
            )
        except WfmError as error:
            self.save_view_error = said(error)
            self.save_view_errors = getattr(error, "field_errors", {})
            return None
        self.save_view_open, self.current_view = False, str(view.id)
        self._load_views()
        return [self._address(), rx.toast.success(f'Saved the view "{view.name}".')]

    @rx.event
    def make_view_default(self) -> Any:
        view_id = as_uuid(self.current_view)
        if view_id is None:
            return None
        try:
            view = saved_views.make_default(self._viewer(), view_id)
        except WfmError as error:
            self.alert = said(error)
            return None
        self._load_views()
        return rx.toast.success(f'This board now opens with "{view.name}".')

    @rx.event
    def delete_view(self) -> Any:
        view_id = as_uuid(self.current_view)
        if view_id is None:
            return None
        try:
            saved_views.remove(self._viewer(), view_id)
        except WfmError as error:
            self.alert = said(error)
            return None
        self.current_view = ""
        self._load_views()
        return [self._address(), rx.toast.success("The view was deleted.")]
