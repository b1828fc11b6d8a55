"""The header's search and its results page (/search?q=...): a thin adapter over
entities/search.py."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import quote

import reflex as rx

from wfm_app.auth.actor import READ_PROJECTS
from wfm_app.entities import search
from wfm_app.ui import routes
from wfm_app.ui.state.adapters import attempt
from wfm_app.ui.state.session import SessionState


@dataclasses.dataclass
class FoundCard:
    name: str
    href: str
    step: str


@dataclasses.dataclass
class FoundKind:
    label: str  # "Deals"
    note: str  # "the 10 newest of more" or ""
    cards: list[FoundCard] = dataclasses.field(default_factory=list)


class SearchState(SessionState):
    query: str = ""
    found: list[FoundKind] = []
    error: str = ""
    searched: bool = False

    @rx.event
    def go(self, form: dict[str, Any]) -> Any:
        """The header's search: its results on their own page (a link to share)."""
        text = str(form.get("q") or "").strip()
        return rx.redirect(f"{routes.SEARCH}?q={quote(text[:200])}") if text else None

    @rx.event
    def load(self) -> Any:
        actor, leave = self._gate(READ_PROJECTS)
        if actor is None:
            return leave
        self.query = self.router.url.query_parameters.get("q", "")[:300]
        self.found, self.error, self.searched = [], "", False
        if not self.query.strip():
            return None
        results, self.error, _ = attempt(lambda: search.everywhere(actor, self.query))
        self.searched = results is not None
        self.found = [
            FoundKind(
                f.kind.plural_label,
                f"the {len(f.cards)} newest shown; narrow the search for the rest"
                if f.more
                else "",
                [
                    FoundCard(
                        card.name,
                        routes.card_link(f.kind.entity_type, card.id),
                        card.wfm.step_name,
                    )
                    for card in f.cards
                ],
            )
            for f in results or []
        ]
        return None
