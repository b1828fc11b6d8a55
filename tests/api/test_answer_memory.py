"""An API answer's rows are freed with the answer, by reference counting: nothing of the
request (its context, the rows its loaders read) is left in a reference cycle for the
garbage collector, whose pass over a heavy answer's objects held every thread for most
of a second (issue 26)."""

from __future__ import annotations

import gc
import io
import logging
from collections.abc import Callable

from tests.api.in_process import run
from tests.service.helpers import sales_graph, step_named
from wfm_app.entities import deals
from wfm_app.observability import logs

QUERY = """{ deals { id name currentWfmStep { id } owner { display_name }
             history { id changedAt changedByUser { display_name } } } }"""


def _left_for_the_collector(request: Callable[[], None]) -> list[str]:
    """The types of the objects a request leaves unreachable but not freed."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # unreachable objects kept in gc.garbage, to be named
    try:
        request()
        gc.collect()
        return [type(found).__name__ for found in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def _list_of_five(actor) -> None:
    answer = run(actor, QUERY)
    assert "errors" not in answer, answer
    assert len(answer["data"]["deals"]) == 5


def test_a_list_with_history_leaves_no_rows_for_the_garbage_collector(seeded) -> None:
    qualification = step_named(sales_graph(), "Qualification").id
    for i in range(5):
        deal = deals.service.create(seeded.alice, deals.DealCreate(name=f"Deal {i}"))
        deals.service.move(seeded.alice, deal.id, qualification)
    run(seeded.alice, QUERY)  # caches warmed: definitions, the parsed document

    left = _left_for_the_collector(lambda: _list_of_five(seeded.alice))

    kept = {"Context", "Prefetching", "HistoryEntry", "DealRead", "UserRead", "UUID"}
    assert not kept & set(left), sorted(kept & set(left))


MOVE = """mutation($d: ID!, $s: ID!) {
  updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s) { id } }"""


def test_a_logged_move_leaves_nothing_of_its_request_for_the_collector(seeded) -> None:
    """graphql-core's executor is a cycle of its own (its helpers hold its methods), and a
    structlog proxy binds a new logger, a cycle too, for each line it writes: every request
    left both for the collector, whose young passes under load then came every few hundred
    requests, holding the interpreter lock each time."""
    graph = sales_graph()
    steps = [str(step_named(graph, name).id) for name in ("Qualification", "Prospecting")]
    deal = str(deals.service.create(seeded.alice, deals.DealCreate(name="Moved")).id)
    lines = io.StringIO()
    logs.configure(stream=lines)
    try:

        def move(to: str) -> None:
            answer = run(seeded.alice, MOVE, d=deal, s=to)
            assert "errors" not in answer, answer

        move(steps[0])  # caches warmed: definitions, the parsed document, the logger
        left = _left_for_the_collector(lambda: move(steps[1]))
    finally:
        logging.getLogger().handlers = [
            h for h in logging.getLogger().handlers if not getattr(h, "wfm_structlog", False)
        ]
    assert lines.getvalue().count("wfm.operations") == 2  # each move logged its line
    cycles = {"PlannedExecutor", "MiddlewareManager", "BoundLogger", "partial"}
    assert not cycles & set(left), sorted(cycles & set(left))
