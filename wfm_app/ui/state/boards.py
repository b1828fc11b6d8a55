"""The deals and leads boards: which service, and how a card reads."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.entities import deals, leads
from wfm_app.entities.base import EntityService
from wfm_app.ui.state.board import BoardMixin, CardView, as_float, days_in_step, money
from wfm_app.ui.state.session import SessionState


class DealsBoardState(BoardMixin, SessionState):
    def _service(self) -> EntityService[Any, Any, Any]:
        return deals.service

    def _has_amounts(self) -> bool:
        return True

    def _card(self, read: deals.DealRead) -> CardView:
        step_id = str(read.wfm.step.id) if read.wfm.step else ""
        return CardView(
            id=str(read.id),
            name=read.name,
            step_id=step_id,
            detail=money(as_float(read.amount), read.currency)
            if read.amount is not None
            else "No amount",
            owner=read.owner_name or "",
            days=days_in_step(read.wfm.step_entered_at),
            amount=as_float(read.amount),
        )

    def _detail_fields(self, read: deals.DealRead) -> dict[str, str]:
        return {
            "Amount": money(as_float(read.amount), read.currency)
            if read.amount is not None
            else "—",
            "Weighted amount": money(as_float(read.weighted_amount), read.currency)
            if read.weighted_amount is not None
            else "—",
            "Expected close date": read.expected_close_date.isoformat()
            if read.expected_close_date
            else "—",
        }

    def _edit_values(self, read: deals.DealRead) -> dict[str, str]:
        return {
            "name": read.name,
            "amount": "" if read.amount is None else str(read.amount),
            "currency": read.currency,
            "expected_close_date": read.expected_close_date.isoformat()
            if read.expected_close_date
            else "",
        }

    def _update_model(self) -> type[Any]:
        return deals.DealUpdate

    @rx.event
    def load(self) -> Any:
        return self._page_load()

    @rx.event
    def create(self, form: dict[str, Any]) -> Any:
        return self._create(deals.DealCreate, form)


class LeadsBoardState(BoardMixin, SessionState):
    def _service(self) -> EntityService[Any, Any, Any]:
        return leads.service

    def _card(self, read: leads.LeadRead) -> CardView:
        step_id = str(read.wfm.step.id) if read.wfm.step else ""
        parts = [read.company or "", f"Score {read.score}" if read.score is not None else ""]
        return CardView(
            id=str(read.id),
            name=read.name,
            step_id=step_id,
            detail=" · ".join(p for p in parts if p),
            owner=read.owner_name or "",
            days=days_in_step(read.wfm.step_entered_at),
            amount=0.0,
        )

    def _detail_fields(self, read: leads.LeadRead) -> dict[str, str]:
        return {
            "Company": read.company or "—",
            "Email": read.email or "—",
            "Score": str(read.score) if read.score is not None else "—",
        }

    def _edit_values(self, read: leads.LeadRead) -> dict[str, str]:
        return {
            "name": read.name,
            "company": read.company or "",
            "email": read.email or "",
            "score": "" if read.score is None else str(read.score),
        }

    def _update_model(self) -> type[Any]:
        return leads.LeadUpdate

    @rx.event
    def load(self) -> Any:
        return self._page_load()

    @rx.event
    def create(self, form: dict[str, Any]) -> Any:
        return self._create(leads.LeadCreate, form)
