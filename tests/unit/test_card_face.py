"""A card's face: initials, the date chip's colour by how near the date is, and a card
pickled (Redis keeps boards in tab state) comes back the same with its empty tail left
out."""

from __future__ import annotations

import pickle
from datetime import date
from types import SimpleNamespace

from wfm_app.entities import deals, tickets
from wfm_app.ui.state.card_face import due_chip, initials, priority_of
from wfm_app.ui.state.entity_views import CardView

TODAY = date(2026, 12, 5)


def _ticket(due: date | None, final: bool = False, priority: str = "urgent") -> SimpleNamespace:
    step = SimpleNamespace(is_final_step=final)
    return SimpleNamespace(due_date=due, priority=priority, wfm=SimpleNamespace(step=step))


def test_initials_and_priority() -> None:
    assert initials("Alice Member") == "AM"
    assert initials("Cher") == "C"
    assert initials("  ") == ""
    assert priority_of(_ticket(None)) == ("Priority urgent", "red")
    assert priority_of(SimpleNamespace()) == ("", "")


def test_the_date_chip_turns_amber_when_near_and_red_when_past() -> None:
    kind = tickets.DESCRIPTION
    assert due_chip(kind, _ticket(date(2026, 12, 4)), TODAY) == (
        "Due date 2026-12-04 · overdue",
        "red",
    )
    assert due_chip(kind, _ticket(date(2026, 12, 8)), TODAY) == (
        "Due date 2026-12-08 · soon",
        "amber",
    )
    assert due_chip(kind, _ticket(date(2026, 12, 9)), TODAY) == ("Due date 2026-12-09", "gray")
    assert due_chip(kind, _ticket(date(2027, 1, 2)), TODAY) == ("Due date 2027-01-02", "gray")
    assert due_chip(kind, _ticket(date(2026, 12, 1), final=True), TODAY) == (
        "Due date 2026-12-01",
        "gray",
    )
    assert due_chip(kind, _ticket(None), TODAY) == ("", "")
    deal = SimpleNamespace(expected_close_date=TODAY, wfm=SimpleNamespace(step=None))
    assert due_chip(deals.DESCRIPTION, deal, TODAY)[0] == "Expected close date 2026-12-05 · soon"


def test_a_card_pickles_without_its_empty_tail() -> None:
    plain = CardView("1", "A", "", "Alice Member", "today", 0.0, "")
    assert pickle.loads(pickle.dumps(plain)) == plain
    assert len(plain.__reduce__()[1]) == 7
    faced = CardView(
        "2", "B", "", "Bob", "2 days", 5.0, "", accent="#F00", due="Due", due_tone="red"
    )
    assert pickle.loads(pickle.dumps(faced)) == faced
