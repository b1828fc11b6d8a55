""" "Convert to deal" on a lead's card: a form filled in from the lead, then one transaction
(entities/conversion.py) makes the deal and moves the lead to its converted step."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.entities import conversion, deals
from wfm_app.ui.state.adapters import attempt, focus_first_invalid, page_id, parse_or_errors
from wfm_app.ui.state.board_part import BoardPart


def _text(value: Any) -> str:
    return "" if value is None else str(value)  # a date's str is its ISO form


class ConvertMixin(BoardPart, mixin=True):
    convert_open: bool = False
    convert_values: dict[str, str] = {}  # name, amount, expected_close_date
    convert_carried: str = ""  # what else the deal takes from the lead, in a sentence
    convert_errors: dict[str, str] = {}
    convert_error: str = ""
    _convert_lead: str = ""
    _convert_rest: dict[str, Any] = {}  # owner, assignee, custom fields from the lead

    @rx.event
    def open_convert(self, lead_id: str) -> None:
        proposed, self.convert_error, _ = attempt(
            lambda: conversion.proposal(self._viewer(), page_id(lead_id))
        )
        self.convert_errors = {}
        if proposed is None:
            return
        self._convert_lead = lead_id
        self.convert_values = {
            key: _text(proposed[key]) for key in ("name", "amount", "expected_close_date")
        }
        self._convert_rest = {
            key: proposed[key] for key in ("owner_id", "assignee_id", "custom_fields")
        }
        carried = [f"owner {self.detail.get('owner') or 'unchanged'}"]
        if self.detail.get("assignee"):
            carried.append(f"assignee {self.detail['assignee']}")
        if proposed["custom_fields"]:
            carried.append("custom fields " + ", ".join(sorted(proposed["custom_fields"])))
        self.convert_carried = "The deal also takes the lead's " + "; ".join(carried) + "."
        self.convert_open = True

    @rx.event
    def set_convert_open(self, value: bool) -> None:
        self.convert_open = value

    @rx.event
    def convert(self, form: dict[str, Any]) -> Any:
        actor = self._viewer()
        values = {
            key: (str(form.get(key) or "").strip() or None)
            for key in ("name", "amount", "expected_close_date")
        }
        self.convert_values = {key: value or "" for key, value in values.items()}
        given = {**self._convert_rest, **{k: v for k, v in values.items() if v is not None}}
        given = {k: v for k, v in given.items() if v not in (None, {})}
        data, self.convert_error, self.convert_errors = parse_or_errors(deals.DealCreate, given)
        if data is None:
            return focus_first_invalid()
        lead_id = page_id(self._convert_lead)
        done, self.convert_error, self.convert_errors = attempt(
            lambda: conversion.convert(actor, lead_id, data)
        )
        if done is None:
            return focus_first_invalid()
        self.convert_open = False
        self._load_board()
        self._open_detail(str(done.lead.id))
        return rx.toast.success(
            f'"{done.lead.name}" converted: the deal "{done.deal.name}" is on the Deals board.'
        )
