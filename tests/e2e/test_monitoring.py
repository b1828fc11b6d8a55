"""Issue 28 on the app as it runs scaled out (two app processes behind nginx, the worker,
one WFM_METRICS_DIR): moves made on either process add up on both processes' /metrics,
the browser reports a board's time to show and a drop's time to confirmation, each move
writes a JSON log line with the spec's fields, and the Health page shows the figures."""

from __future__ import annotations

import json
import re
import time
import uuid

import httpx
from playwright.sync_api import Page, expect
from prometheus_client.parser import text_string_to_metric_families

from tests.app_fixtures import screenshot

CREATE = "mutation($n: String!) { createDeal(input: {name: $n, amount: 100}) { id } }"


def scrape(base: str) -> dict[tuple[str, frozenset], float]:
    text = httpx.get(f"{base}/metrics", timeout=10).raise_for_status().text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def total(samples, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(
        value for (found, have), value in samples.items() if found == name and wanted <= have
    )


def moves(samples) -> float:
    return total(samples, "wfm_operations_total", operation="UPDATE_STEP", outcome="success")


def drag_to_qualification(page: Page, name: str) -> None:
    page.goto("/deals")
    card = page.get_by_role("region", name="Prospecting", exact=True).get_by_role(
        "article", name=name
    )
    qualification = page.get_by_role("region", name="Qualification", exact=True)
    card.drag_to(qualification)
    expect(qualification.get_by_role("article", name=name)).to_be_visible()


def operation_lines(cluster) -> list[dict]:
    found = []
    for log in ("first.log", "second.log"):
        for line in (cluster.folder / log).read_text(errors="replace").splitlines():
            if line.startswith("{") and '"wfm.operations"' in line:
                found.append(json.loads(line))
    return found


def test_moves_on_two_processes_add_up_and_browsers_report_their_timings(page_as, gql, app_cluster):
    first = f"http://127.0.0.1:{app_cluster.first_port}"
    second = f"http://127.0.0.1:{app_cluster.second_port}"
    before = scrape(first)
    names = [f"Watched {uuid.uuid4().hex[:6]}" for _ in range(2)]
    ids = [gql("alice", CREATE, n=name)["data"]["createDeal"]["id"] for name in names]

    drag_to_qualification(page_as("alice", "a"), names[0])  # the first process's socket
    drag_to_qualification(page_as("alice", "b"), names[1])  # the second's

    def timings(samples, measure: str) -> float:
        return total(samples, "wfm_frontend_duration_seconds_count", measure=measure)

    deadline = time.monotonic() + 10
    while True:  # beacons leave after the frame that shows the result
        on_first, on_second = scrape(first), scrape(second)
        reported = timings(on_first, "drop_confirmed") - timings(before, "drop_confirmed")
        sockets = total(on_first, "wfm_live_sockets")  # counted each second, by process
        settled = moves(on_first) - moves(before) >= 2  # each process writes every second
        if (reported >= 2 and sockets >= 2 and settled) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert moves(on_first) - moves(before) == 2
    assert moves(on_first) == moves(on_second)  # either process answers for both
    assert (
        total(on_first, "wfm_frontend_duration_seconds_count", measure="drop_confirmed")
        - (total(before, "wfm_frontend_duration_seconds_count", measure="drop_confirmed"))
        == 2
    )
    assert (
        total(on_first, "wfm_frontend_duration_seconds_count", measure="board_shown")
        - (total(before, "wfm_frontend_duration_seconds_count", measure="board_shown"))
        >= 2
    )
    assert total(on_first, "wfm_http_request_duration_seconds_count", route="/graphql") > 0
    assert sockets >= 2  # the two open tabs
    assert total(on_first, "wfm_worker_last_round_timestamp_seconds") > time.time() - 60

    lines = [line for line in operation_lines(app_cluster) if line.get("entityId") in ids]
    created = [line for line in lines if line["operation"] == "CREATE_PROJECT"]
    moved = [line for line in lines if line["operation"] == "UPDATE_STEP"]
    assert len(created) == 2 and len(moved) == 2
    for line in created + moved:
        assert line["success"] is True and line["entityType"] == "DEAL"
        assert {"userId", "duration", "errorDetails", "metadata", "requestId"} <= set(line)


def test_a_graphql_refusal_names_the_request_id_of_its_log_line(gql, app_cluster):
    name = f"Refused {uuid.uuid4().hex[:6]}"
    deal_id = gql("alice", CREATE, n=name)["data"]["createDeal"]["id"]
    answer = gql(
        "alice",
        "mutation($id: ID!) { deleteDeal(id: $id) }",
        id=str(uuid.uuid4()),
    )
    request_id = answer["extensions"]["requestId"]
    assert answer["errors"][0]["extensions"]["requestId"] == request_id
    lines = [line for line in operation_lines(app_cluster) if line.get("requestId") == request_id]
    assert [(line["operation"], line["success"]) for line in lines] == [("DELETE_ENTITY", False)]
    assert lines[0]["errorDetails"].startswith("NOT_FOUND: ")
    assert deal_id


def test_the_health_page_shows_moves_refusals_outbox_and_workers(page_as):
    page = page_as("admin")
    page.goto("/admin/wfm/health")
    expect(page.get_by_role("heading", name="Health")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Moves per minute (last 10 minutes)")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Webhooks waiting")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Move time, 95th percentile")).to_be_visible()
    workers = page.get_by_role("table").filter(has_text="Workers (webhooks, timers)")
    expect(workers.get_by_text("alive").first).to_be_visible()
    screenshot(page, "health")

    member = page_as("alice")
    member.goto("/admin/wfm/health")
    expect(member.get_by_role("rowheader", name="Webhooks waiting")).to_have_count(0)


def test_a_refused_drop_quotes_the_reference_of_its_log_line(page_as, gql, app_cluster):
    name = f"Quoted {uuid.uuid4().hex[:6]}"
    deal_id = gql("alice", CREATE, n=name)["data"]["createDeal"]["id"]
    page = page_as("alice")
    page.goto("/deals")
    card = page.get_by_role("region", name="Prospecting", exact=True).get_by_role(
        "article", name=name
    )
    card.drag_to(page.get_by_role("region", name="Closed Won", exact=True))
    alert = page.get_by_role("alert").filter(has_text="was not moved")
    expect(alert).to_contain_text(re.compile(r"\(reference [0-9a-f]{16}\)"))
    reference = re.search(r"reference ([0-9a-f]{16})", alert.inner_text()).group(1)
    screenshot(page, "refusal-with-reference")
    lines = [line for line in operation_lines(app_cluster) if line.get("requestId") == reference]
    assert [(line["operation"], line["entityId"], line["success"]) for line in lines] == [
        ("UPDATE_STEP", deal_id, False)
    ]
    assert lines[0]["errorDetails"].startswith("INVALID_TRANSITION: ")
