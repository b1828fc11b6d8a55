"""Issue 28: each operation changes the right Prometheus series and writes one log line
with the spec's WFMOperationLog fields; the database-derived series add up every
organization's outbox; readiness says what is missing."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api import in_process
from tests.conftest import make_actor
from tests.service.helpers import sales_graph, step_named
from wfm_app import organizations
from wfm_app.auth.actor import ADMIN
from wfm_app.db import unit_of_work
from wfm_app.engine.automation.models import WebhookDelivery
from wfm_app.entities import deals
from wfm_app.errors import Forbidden, InvalidTransition
from wfm_app.observability import figures, health, logs, metrics, operations, summary
from wfm_app.sqltypes import utc_now
from wfm_app.tenancy import acting_in

SPEC_FIELDS = {
    "operation",
    "entityType",
    "entityId",
    "userId",
    "duration",
    "success",
    "errorDetails",
    "metadata",
}


def scraped() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics' text, parsed by prometheus_client's own parser."""
    text = metrics.exposition()[0].decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def log_lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    monkeypatch.setenv("WFM_LOG_FORMAT", "json")
    stream = io.StringIO()
    logs.configure(stream=stream)
    yield stream
    logging.getLogger().handlers = [
        h for h in logging.getLogger().handlers if not getattr(h, "wfm_structlog", False)
    ]


def operation_lines(stream: io.StringIO) -> list[dict]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    return [line for line in lines if line.get("logger") == "wfm.operations"]


def test_a_move_a_refused_move_and_a_creation_change_their_series(seeded, log_lines):
    alice = seeded.alice
    graph = sales_graph()
    before = scraped()
    deal = deals.service.create(
        alice,
        deals.DealCreate(name="Counted", amount=Decimal(10), expected_close_date=date(2027, 1, 31)),
    )
    deals.service.move(alice, deal.id, step_named(graph, "Qualification").id)
    with pytest.raises(InvalidTransition) as refused:
        deals.service.move(alice, deal.id, step_named(graph, "Closed Won").id)
    after = scraped()

    def grew(name: str, by: float = 1.0, **labels: str) -> None:
        assert value(after, name, **labels) - value(before, name, **labels) == by, (name, labels)

    grew("wfm_operations_total", operation="CREATE_PROJECT", entity_type="DEAL", outcome="success")
    grew("wfm_operations_total", operation="UPDATE_STEP", entity_type="DEAL", outcome="success")
    grew(
        "wfm_operations_total",
        operation="UPDATE_STEP",
        entity_type="DEAL",
        outcome="INVALID_TRANSITION",
    )
    grew(
        "wfm_operations_total",
        operation="VALIDATE_TRANSITION",
        entity_type="DEAL",
        outcome="success",
    )
    grew(
        "wfm_operations_total",
        operation="VALIDATE_TRANSITION",
        entity_type="DEAL",
        outcome="INVALID_TRANSITION",
    )
    grew(
        "wfm_operation_duration_seconds_count",
        operation="UPDATE_STEP",
        entity_type="DEAL",
        outcome="success",
    )
    assert value(after, "wfm_db_query_duration_seconds_count", statement="update") > value(
        before, "wfm_db_query_duration_seconds_count", statement="update"
    )
    assert value(after, "wfm_definitions_cache_lookups_total", result="hit") > value(
        before, "wfm_definitions_cache_lookups_total", result="hit"
    )
    # labels name kinds of things only: no user, card or organization id anywhere
    for ids in (str(deal.id), str(alice.user_id), str(alice.org_id)):
        assert ids not in metrics.exposition()[0].decode()

    lines = operation_lines(log_lines)
    assert [(line["operation"], line["success"]) for line in lines] == [
        ("CREATE_PROJECT", True),
        ("UPDATE_STEP", True),
        ("UPDATE_STEP", False),
    ]
    # one line per move, saying how its validation went
    assert lines[1]["metadata"]["validation"]["success"] is True
    assert lines[1]["metadata"]["validation"]["duration"] <= lines[1]["duration"]
    for line in lines:
        assert set(line) >= SPEC_FIELDS
        assert line["entityType"] == "DEAL" and line["entityId"] == str(deal.id)
        assert line["userId"] == str(alice.user_id) and line["duration"] >= 0
    refusal = lines[-1]
    assert refusal["errorDetails"].startswith("INVALID_TRANSITION: ")
    assert refusal["requestId"] == operations.reference_of(refused.value)
    assert refusal["metadata"]["toStepId"] == str(step_named(graph, "Closed Won").id)
    assert refusal["metadata"]["validation"]["success"] is False


def test_graphql_answers_carry_the_request_id_of_their_log_lines(seeded, log_lines):
    graph = sales_graph()
    created = in_process.run(
        seeded.alice,
        'mutation Make { createDeal(input: {name: "Traced", amount: 5}) { id } }',
    )
    deal_id = created["data"]["createDeal"]["id"]
    refused = in_process.run(
        seeded.alice,
        "mutation Jump($id: ID!, $to: ID!) { updateDealWFMProgress(dealId: $id, "
        "targetWfmWorkflowStepId: $to) { id } }",
        id=deal_id,
        to=str(step_named(graph, "Closed Won").id),
    )
    error = refused["errors"][0]
    assert error["extensions"]["code"] == "INVALID_TRANSITION"
    line = operation_lines(log_lines)[-1]
    assert line["operation"] == "UPDATE_STEP" and not line["success"]
    assert error["extensions"]["requestId"] == line["requestId"]
    samples = scraped()
    assert (
        value(
            samples,
            "wfm_graphql_operation_duration_seconds_count",
            operation_name="Jump",
            outcome="INVALID_TRANSITION",
        )
        >= 1
    )


def pending_delivery(org_id, age_seconds: float) -> None:
    with acting_in(org_id), unit_of_work() as uow:
        uow.session.add(
            WebhookDelivery(
                rule_name="Tell the CRM",
                url="https://crm.example/hook",
                event_type="card.moved",
                payload={},
                max_attempts=3,
                created_at=utc_now() - timedelta(seconds=age_seconds),
            )
        )


def test_the_outbox_series_add_up_every_organization(seeded):
    other, _made = organizations.ensure("observed-other")
    pending_delivery(seeded.alice.org_id, 60)
    pending_delivery(other, 600)
    box = figures.outbox()
    assert box.pending == 2 and box.failed == 0
    assert 600 <= box.oldest_age_seconds < 700
    with acting_in(seeded.alice.org_id):  # an organization's own share, as its admin sees it
        own = figures.outbox_of_current()
    assert own.pending == 1 and 60 <= own.oldest_age_seconds < 600
    figures.install()
    samples = scraped()
    assert ("wfm_outbox_pending", ()) in samples
    assert ("wfm_outbox_oldest_age_seconds", ()) in samples

    deals.service.create(seeded.alice, deals.DealCreate(name="Adopted", amount=Decimal(1)))
    sales = [f for f in figures.business() if f.workflow == "Standard Sales Process"]
    assert [(f.org, f.open_cards, f.completed_cards) for f in sales] == [("default", 1, 0)]


def test_readiness_reports_the_database_and_the_migrations(seeded):
    checks = {check.name: check for check in health.readiness()}
    assert checks["database"].ok and checks["migrations"].ok


def test_the_health_page_shows_an_organization_its_own_figures_and_the_operator_all(seeded):
    graph = sales_graph()
    deal = deals.service.create(seeded.alice, deals.DealCreate(name="Watched", amount=Decimal(3)))
    deals.service.move(seeded.alice, deal.id, step_named(graph, "Qualification").id)
    with pytest.raises(InvalidTransition):
        deals.service.move(seeded.alice, deal.id, step_named(graph, "Closed Won").id)
    pending_delivery(seeded.alice.org_id, 30)

    seen = summary.health(seeded.admin)  # an admin of the operator's own organization
    assert seen.moves_per_minute == 0.1  # one move in the last ten minutes
    assert seen.outbox.pending == 1
    assert seen.deployment is not None
    assert seen.deployment.refusals.get("INVALID_TRANSITION", 0) >= 1
    assert seen.deployment.p95_move_ms is not None and seen.deployment.p95_move_ms > 0

    other, _made = organizations.ensure("health-other")
    with acting_in(other):
        stranger = make_actor("other-admin", "Other Admin", ADMIN)
        theirs = summary.health(stranger)
    # another organization's admin: its own (empty) figures, nothing of the deployment's
    assert (theirs.moves_per_minute, theirs.outbox.pending, theirs.deployment) == (0, 0, None)
    with pytest.raises(Forbidden):
        summary.health(seeded.manager)
