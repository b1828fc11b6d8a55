"""Issue 24.5: heavy reads cannot starve others. Analytics are priced by their work (days
x steps, per alias) before anything runs, members ask for one per request, API statements
are stopped by PostgreSQL past a time limit (and the client is told so), and analytics
run in a pool of their own (the benchmark tests/benchmarks/heavy_reads.py measures what
everyone else sees meanwhile)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import text

from tests.api.in_process import run
from tests.service.helpers import sales_graph, step_named
from wfm_app import db
from wfm_app.api.graphql.analytics_cost import ANALYTICS_BUDGET
from wfm_app.api.graphql.guards import is_heavy
from wfm_app.entities import deals
from wfm_app.settings import settings

THREE_YEARS = '(workflowId: $w, from: "2024-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z")'
QUARTER = '(workflowId: $w, from: "2026-09-01T00:00:00Z", to: "2026-12-01T00:00:00Z")'
FLOW = "{ cumulativeFlow { counts { count } } }"  # as the issue sent it


def aliases(n: int, arguments: str) -> str:
    fields = " ".join(f"a{i}: wfmAnalytics{arguments} {FLOW}" for i in range(n))
    return f"query($w: ID!) {{ {fields} }}"


def codes(answer) -> list[str]:
    return [error["extensions"]["code"] for error in answer.get("errors", [])]


def test_analytics_are_priced_by_their_work_per_alias(seeded):
    w = str(sales_graph().id)  # seven steps
    bomb = run(seeded.manager, aliases(24, THREE_YEARS), w=w)  # the attack: 6.8 s before
    assert codes(bomb) == ["QUERY_TOO_COMPLEX"] and bomb["data"] is None
    assert "day-steps" in bomb["errors"][0]["message"]
    assert codes(run(seeded.manager, aliases(2, THREE_YEARS), w=w)) == ["QUERY_TOO_COMPLEX"]
    # one of the longest ranges is always allowed: the page asks for as much
    one = run(seeded.manager, aliases(1, THREE_YEARS), w=w)
    assert "errors" not in one and len(one["data"]["a0"]["cumulativeFlow"]) > 1000
    # shorter ranges share the budget: 91 days x 7 steps each
    fits = ANALYTICS_BUDGET // (91 * 7)
    assert "errors" not in run(seeded.manager, aliases(fits, QUARTER), w=w)
    assert codes(run(seeded.manager, aliases(fits + 1, QUARTER), w=w)) == ["QUERY_TOO_COMPLEX"]


def test_ranges_given_as_variables_are_priced_too(seeded):
    document = (
        "query($w: ID!, $f: DateTime, $t: DateTime) { "
        + " ".join(f"a{i}: wfmAnalytics(workflowId: $w, from: $f, to: $t) {FLOW}" for i in range(3))
        + " }"
    )
    w = str(sales_graph().id)
    far = {"f": "2024-01-01T00:00:00Z", "t": "2026-12-31T00:00:00Z"}
    near = {"f": "2026-11-01T00:00:00Z", "t": "2026-12-01T00:00:00Z"}
    assert codes(run(seeded.manager, document, w=w, **far)) == ["QUERY_TOO_COMPLEX"]
    assert "errors" not in run(seeded.manager, document, w=w, **near)


def test_a_member_asks_for_one_analytics_per_request(seeded):
    w = str(sales_graph().id)
    two = run(seeded.alice, aliases(2, QUARTER), w=w)
    assert codes(two) == ["QUERY_TOO_COMPLEX"] and "one wfmAnalytics" in two["errors"][0]["message"]
    through_fragment = (
        "query($w: ID!) { ...twice } fragment twice on Query { "
        f"a: wfmAnalytics{QUARTER} {FLOW} b: wfmAnalytics{QUARTER} {FLOW} }}"
    )
    assert codes(run(seeded.alice, through_fragment, w=w)) == ["QUERY_TOO_COMPLEX"]
    assert "errors" not in run(seeded.alice, aliases(1, QUARTER), w=w)


def test_analytics_run_in_the_heavy_pool_and_lists_in_the_light_one():
    assert is_heavy(aliases(1, QUARTER))
    assert is_heavy("query { ...f } fragment f on Query { x: wfmAnalytics(workflowId: 1) { a } }")
    assert not is_heavy("{ deals { id name } }")
    assert not is_heavy("{ deal(id: 1) { wfmAnalyticsNote: name } }")


def test_an_api_statement_past_the_time_limit_is_stopped_with_a_clear_error(
    seeded, database, monkeypatch
):
    if database != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's; the embedded SQLite has none")
    monkeypatch.setattr(db, "settings", dataclasses.replace(settings, api_statement_timeout_ms=300))
    monkeypatch.setattr(db, "_api_engine", None)
    deal = deals.service.create(seeded.alice, deals.DealCreate(name="Held elsewhere"))
    target = str(step_named(sales_graph(), "Qualification").id)
    move = (
        "mutation($d: ID!, $s: ID!) "
        "{ updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s) { id } }"
    )
    holder = db.get_engine().connect()
    try:
        # Another transaction holds the card's project: the move waits on it, then is cut off.
        holder.execute(
            text("SELECT id FROM wfm_projects WHERE id = :id FOR UPDATE"),
            {"id": deal.wfm.wfm_project_id},
        )
        answer = run(seeded.alice, move, d=str(deal.id), s=target)
        assert codes(answer) == ["TIMEOUT"], answer
        assert "took longer than 0.3 s" in answer["errors"][0]["message"]
    finally:
        holder.rollback()
        holder.close()
        if db._api_engine is not None:
            db._api_engine.dispose()
    # nothing was half done, and the service outside the API has no such limit
    assert deals.service.get_by_id(seeded.alice, deal.id).wfm.step_name == "Prospecting"
    assert "errors" not in run(seeded.alice, move, d=str(deal.id), s=target)


def test_one_forecast_per_request(seeded):
    w = str(sales_graph().id)
    asked = "wfmForecast(workflowId: $w) { note }"
    two = f"query($w: ID!) {{ a: {asked} b: {asked} }}"
    refused = run(seeded.manager, two, w=w)
    assert codes(refused) == ["QUERY_TOO_COMPLEX"] and refused["data"] is None
    one = run(seeded.manager, "query($w: ID!) { wfmForecast(workflowId: $w) { note } }", w=w)
    assert "errors" not in one and "history" in one["data"]["wfmForecast"]["note"]


def test_bottlenecks_are_priced_for_both_periods_they_read(seeded):
    w = str(sales_graph().id)
    fits = ANALYTICS_BUDGET // (91 * 7)  # quarters without bottlenecks (the test above)
    both = " ".join(
        f"a{i}: wfmAnalytics{QUARTER} {{ bottlenecks {{ sentence }} }}" for i in range(fits)
    )
    refused = run(seeded.manager, f"query($w: ID!) {{ {both} }}", w=w)
    assert codes(refused) == ["QUERY_TOO_COMPLEX"]
    half = " ".join(
        f"a{i}: wfmAnalytics{QUARTER} {{ bottlenecks {{ sentence }} }}" for i in range(fits // 2)
    )
    assert "errors" not in run(seeded.manager, f"query($w: ID!) {{ {half} }}", w=w)
