"""/search?q=...: what the header's search found, grouped by kind."""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.components.forms import refusal
from wfm_app.ui.components.layout import page
from wfm_app.ui.state.search import FoundCard, FoundKind
from wfm_app.ui.state.search import SearchState as S


def _card(card: rx.Var[FoundCard]) -> rx.Component:
    return rx.el.li(rx.link(card.name, href=card.href), rx.text(" · ", card.step, as_="span"))


def _kind(kind: rx.Var[FoundKind]) -> rx.Component:
    return rx.el.section(
        rx.heading(kind.label, as_="h2", size="4"),
        rx.cond(kind.note != "", rx.text(kind.note, size="1", color="var(--gray-11)")),
        rx.el.ul(rx.foreach(kind.cards, _card), aria_label=kind.label),
        aria_label=kind.label,
    )


def search_page() -> rx.Component:
    return page(
        refusal(S.error),
        rx.cond(
            S.found.length() > 0,
            rx.vstack(rx.foreach(S.found, _kind), spacing="4", width="100%"),
            rx.cond(
                S.searched,
                rx.text('Nothing you may see matches "', S.query, '".'),
                rx.text('Type in "Find cards" above and press Enter (or / to get there).'),
            ),
        ),
        title="Search",
    )
