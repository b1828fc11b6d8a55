"""The home page signed in: "My work" (the viewer's open cards across boards), the sales
headline for managers, and the latest notifications."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.auth.actor import READ_PROJECTS
from wfm_app.engine import access, durations, my_work, registry
from wfm_app.engine.automation import notifications
from wfm_app.entities import pipeline
from wfm_app.sqltypes import utc_now
from wfm_app.ui import routes
from wfm_app.ui.state.adapters import attempt
from wfm_app.ui.state.entity_views import money
from wfm_app.ui.state.session import SessionState
from wfm_app.ui.words import counted


def _waiting(seconds: float) -> str:
    return f"{durations.in_words(seconds)} in step"


def _rows(cards: list[my_work.OpenCard], now: Any) -> list[dict[str, str]]:
    return [
        {
            "name": card.name,
            "kind": (d.noun.capitalize() if (d := registry.described(card.entity_type)) else ""),
            "step": card.step_name,
            "waiting": _waiting((now - card.step_entered_at).total_seconds()),
            "overdue": card.overdue,
            "href": routes.card_link(card.entity_type, card.entity_id),
        }
        for card in cards
    ]


class HomeState(SessionState):
    cards: list[dict[str, str]] = []
    approvals: list[dict[str, str]] = []  # cards waiting on the viewer's approval
    open_total: int = 0
    figures: list[dict[str, str]] = []  # label, value
    latest: list[dict[str, str]] = []  # message, when, link
    is_manager: bool = False
    error: str = ""
    loaded: bool = False

    @rx.event
    def load(self) -> Any:
        if not self._from_current_page():
            return None
        self.access_denied = False
        actor = self._actor()
        self._show_viewer(actor)
        self._count_unread(actor)
        self._load_boards(actor)
        if actor is None or not actor.can(READ_PROJECTS):
            return None
        now = utc_now()
        found, self.error, _ = attempt(lambda: my_work.open_cards(actor))
        cards, self.open_total = found or ([], 0)
        self.cards = _rows(cards, now)
        waiting, _, _ = attempt(lambda: my_work.waiting_on_me(actor))
        self.approvals = _rows(waiting or [], now)
        self.latest = [
            {
                "message": n.message,
                "when": n.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                "link": routes.card_link(n.entity_type, n.entity_id),
            }
            for n in notifications.mine(actor, limit=5)
        ]
        self.is_manager = access.sees_everyones(actor)
        self.figures = self._figures(actor) if self.is_manager else []
        self.loaded = True
        return None

    def _figures(self, actor: Any) -> list[dict[str, str]]:
        headline, self.error, _ = attempt(lambda: pipeline.headline(actor))
        if headline is None:
            return []
        rows = []
        for c in headline.by_currency:
            rows += [
                {
                    "label": f"Open pipeline ({c.currency})",
                    "value": money(float(c.open_pipeline), c.currency),
                },
                {
                    "label": f"Weighted pipeline ({c.currency})",
                    "value": money(float(c.weighted_pipeline), c.currency),
                },
                {
                    "label": f"Won this month ({c.currency})",
                    "value": money(float(c.won_this_month), c.currency)
                    + " · "
                    + counted(c.won_deals, "deal"),
                },
            ]
        hours = headline.median_hours_to_close
        rows.append(
            {
                "label": f"Median time to close (last {pipeline.CLOSE_WINDOW_DAYS} days)",
                "value": f"{hours / 24:.1f} days" if hours is not None else "no deal closed",
            }
        )
        return rows
