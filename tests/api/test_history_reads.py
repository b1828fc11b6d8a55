"""A card list with its history over GraphQL: who made each entry comes with the history's
own query (engine/timeline.py), shown as the actor may see them (no one else's e-mail for
a member), and the whole list costs the same few statements for 10 cards or 100."""

from __future__ import annotations

from tests.api.in_process import run
from tests.service.helpers import sales_graph, step_named
from tests.statements import statements_sent
from wfm_app.entities import deals

QUERY = "{ deals { name history { changedByUser { display_name email } } } }"


def _statements(actor) -> tuple[dict, int]:
    with statements_sent() as seen:
        answer = run(actor, QUERY)
    assert "errors" not in answer, answer
    return answer["data"], len([s for s in seen if not s.startswith(("BEGIN", "SET"))])


def test_history_authors_come_with_the_history_as_the_actor_may_see_them(seeded) -> None:
    qualification = step_named(sales_graph(), "Qualification").id
    mine = deals.service.create(seeded.alice, deals.DealCreate(name="Mine"))
    deals.service.move(seeded.alice, mine.id, qualification)
    shared = deals.service.create(seeded.alice, deals.DealCreate(name="Moved by Max"))
    deals.service.move(seeded.manager, shared.id, qualification)

    as_alice, _ = _statements(seeded.alice)
    by_name = {deal["name"]: deal["history"] for deal in as_alice["deals"]}
    assert by_name["Mine"] == [
        {"changedByUser": {"display_name": "Alice Member", "email": "alice@example.com"}}
    ]
    # a member sees others by name only; a manager sees everyone's address
    assert by_name["Moved by Max"] == [
        {"changedByUser": {"display_name": "Max Manager", "email": None}}
    ]
    as_manager, _ = _statements(seeded.manager)
    managed = {deal["name"]: deal["history"] for deal in as_manager["deals"]}
    assert managed["Moved by Max"][0]["changedByUser"]["email"] == "manager@example.com"


def test_a_list_with_history_costs_the_same_statements_for_10_or_100_cards(seeded) -> None:
    qualification = step_named(sales_graph(), "Qualification").id

    def add(count: int) -> None:
        for i in range(count):
            deal = deals.service.create(seeded.alice, deals.DealCreate(name=f"Deal {i}"))
            deals.service.move(seeded.alice, deal.id, qualification)

    add(10)
    run(seeded.alice, QUERY)  # warm the definitions cache
    ten_answer, ten = _statements(seeded.alice)
    add(90)
    hundred_answer, hundred = _statements(seeded.alice)
    assert len(ten_answer["deals"]) == 10 and len(hundred_answer["deals"]) == 100
    # the cards, then their history with its authors: the authors need no query of their own
    assert ten == hundred == 2, (ten, hundred)
