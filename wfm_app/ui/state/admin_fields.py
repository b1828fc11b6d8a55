"""Custom fields admin page: thin adapter over wfm_app.engine.custom_fields."""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.engine import custom_fields, org_settings, registry
from wfm_app.engine.custom_fields import CustomFieldCreate, CustomFieldUpdate
from wfm_app.ui.state.adapters import as_uuid, attempt, form_values, parse_or_errors
from wfm_app.ui.state.admin_list import AdminListMixin
from wfm_app.ui.state.session import SessionState

TYPE_LABELS = {
    "TEXT": "Text",
    "NUMBER": "Number",
    "DATE": "Date",
    "BOOLEAN": "Yes/No",
    "DROPDOWN": "Single choice",
    "MULTI_SELECT": "Multiple choice",
}


def _options(text: str | None) -> list[str] | None:
    """ "EMEA, Americas" or one per line -> ["EMEA", "Americas"]."""
    if text is None:
        return None
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class CustomFieldsState(AdminListMixin, SessionState):
    editing_id: str = ""
    form: dict[str, str] = {}
    entity_options: list[dict[str, str]] = []
    type_options: list[dict[str, str]] = [
        {"value": key, "label": label} for key, label in TYPE_LABELS.items()
    ]
    default_currency: str = ""  # the organization's: new deals start in it
    currency_options: list[str] = []

    def _noun(self) -> str:
        return "Field"

    def _set_archived(self, actor: Actor | None, row_id: uuid.UUID, archived: bool) -> Any:
        return custom_fields.set_active(actor, row_id, not archived)

    def _reload(self) -> None:
        actor = self._actor()
        kinds = {d.entity_type: d.noun.capitalize() for d in registry.all_described()}
        self.entity_options = [{"value": k, "label": v} for k, v in kinds.items()]
        self.default_currency = org_settings.default_currency()
        self.currency_options = org_settings.currencies_offered()
        fields = custom_fields.get_all(actor, include_inactive=True)
        self.rows = [
            {
                "id": str(f.id),
                "entity": kinds.get(f.entity_type, f.entity_type),
                "entity_type": f.entity_type,
                "name": f.label,
                "key": f.key,
                "type": TYPE_LABELS[f.field_type],
                "field_type": f.field_type,
                "required": "Required" if f.required else "Optional",
                "predicts_win": "Predictor" if f.predicts_win else "",
                "options": ", ".join(f.options),
                "help": f.help or "",
                "display_order": str(f.display_order),
                "archived": "" if f.active else "yes",
            }
            for f in fields
            if f.active or self.show_archived
        ]

    @rx.event
    def open_new(self) -> None:
        self.editing_id, self.form_errors, self.form_error = "", {}, ""
        self.form = {"entity_type": "DEAL", "field_type": "TEXT", "display_order": "0"}
        self.form |= {"required": "Optional", "predicts_win": ""}
        self.dialog_open = True

    @rx.event
    def open_edit(self, row: dict[str, str]) -> None:
        self.editing_id, self.form_errors, self.form_error = row["id"], {}, ""
        self.form = dict(row)
        self.dialog_open = True

    @rx.event
    def save(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        values = form_values(form, flags=("required", "predicts_win"))
        values["options"] = _options(values.get("options"))
        if values.get("display_order") is None:
            values["display_order"] = 0
        field_id = as_uuid(self.editing_id)
        if field_id is None:
            data, self.form_error, self.form_errors = parse_or_errors(CustomFieldCreate, values)
            if data is None:
                return None
            done, self.form_error, self.form_errors = attempt(
                lambda: custom_fields.create(actor, data)
            )
        else:
            changes, self.form_error, self.form_errors = parse_or_errors(CustomFieldUpdate, values)
            if changes is None:
                return None
            done, self.form_error, self.form_errors = attempt(
                lambda: custom_fields.update(actor, field_id, changes)
            )
        if done is None:  # keep what was typed and ticked, in the rows' own words
            self.form = {**self.form, **{k: str(v or "") for k, v in form.items()}}
            self.form["required"] = "Required" if values["required"] else "Optional"
            self.form["predicts_win"] = "Predictor" if values["predicts_win"] else ""
            return None
        self.dialog_open = False
        self._reload()
        return rx.toast.success(f'Field "{done.label}" saved (key {done.key}).')

    @rx.event
    def set_default_currency(self, code: str) -> Any:
        actor = self._actor()
        saved, error, _ = attempt(lambda: org_settings.set_default_currency(actor, code))
        if saved is None:
            return rx.toast.error(error)
        self.default_currency, self.currency_options = saved, org_settings.currencies_offered()
        return rx.toast.success(f"New deals start in {saved}; forms offer it first.")
