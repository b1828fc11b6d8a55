"""An API answer's rows are freed with the answer, by reference counting: nothing of the
request (its context, the rows its loaders read) is left in a reference cycle for the
garbage collector, whose pass over a heavy answer's objects held every thread for most
of a second (issue 26)."""

from __future__ import annotations

import gc

from tests.api.in_process import run
from tests.service.helpers import sales_graph, step_named
from wfm_app.entities import deals

QUERY = """{ deals { id name currentWfmStep { id } owner { display_name }
             history { id changedAt changedByUser { display_name } } } }"""


def _left_for_the_collector(actor) -> list[str]:
    """The types of the objects a query leaves unreachable but not freed."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # unreachable objects kept in gc.garbage, to be named
    try:
        answer = run(actor, QUERY)
        assert "errors" not in answer, answer
        assert len(answer["data"]["deals"]) == 5
        gc.collect()
        return [type(found).__name__ for found in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_a_list_with_history_leaves_no_rows_for_the_garbage_collector(seeded) -> None:
    qualification = step_named(sales_graph(), "Qualification").id
    for i in range(5):
        deal = deals.service.create(seeded.alice, deals.DealCreate(name=f"Deal {i}"))
        deals.service.move(seeded.alice, deal.id, qualification)
    run(seeded.alice, QUERY)  # caches warmed: definitions, the parsed document

    left = _left_for_the_collector(seeded.alice)

    kept = {"Context", "Prefetching", "HistoryEntry", "DealRead", "UserRead", "UUID"}
    assert not kept & set(left), sorted(kept & set(left))
