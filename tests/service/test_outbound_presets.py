"""Outbound calls to Jira and ServiceNow (issue 32.3): "Call a webhook" sends the body
Jira's "Transition issue" and ServiceNow's Table API update accept, to the card's issue or
record, with the stored auth header. A real local receiver records each request; the
bodies are checked against those APIs' published request schemas (tests/data/schemas)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient

from tests.receiver import Receiver
from tests.service.helpers import count, sales_graph, step_named
from tests.service.test_inbound import _post, _signed
from wfm_app import db
from wfm_app.api.app import build
from wfm_app.engine import definitions, external_refs
from wfm_app.engine.automation import delivery, outbox, rule_admin, runs
from wfm_app.engine.automation.config import SECRET_MASK, RuleCreate, RuleUpdate
from wfm_app.engine.automation.models import WebhookDelivery
from wfm_app.entities import deals, tickets
from wfm_app.entities.inbound import endpoints
from wfm_app.entities.inbound.endpoints import EndpointCreate
from wfm_app.errors import ValidationFailed

SCHEMAS = Path(__file__).parents[1] / "data" / "schemas"
JIRA_AUTH = "Basic bWF4QGV4YW1wbGUuY29tOmFwaS10b2tlbg=="
SYS_ID = "9d385017c611228701d22104cc95c371"


def _schema(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / name).read_text()))


@pytest.fixture
def receiver(allow_loopback_receivers) -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


def _rule(actor, graph, receiver: Receiver, path: str, **action) -> None:
    rule_admin.create(
        actor,
        RuleCreate(
            name=f"To {action['format']}",
            workflow_id=graph.id,
            trigger_event="step_entered",
            action_config={"type": "webhook", "url": receiver.url + path, **action},
        ),
    )


def _jira_rule(actor, receiver: Receiver, **action) -> None:
    """Deals entering a step transition their Jira issue (sales workflow)."""
    path = "/rest/api/3/issue/{external_id}/transitions"
    _rule(actor, sales_graph(), receiver, path, format="jira", **action)


def _deliver() -> int:
    with delivery.client() as client:
        return delivery.deliver_due(client)


def _remember(deal, source: str, external_id: str) -> None:
    with db.unit_of_work() as uow:
        external_refs.remember(uow.session, source, [(external_id, deal.wfm.wfm_project_id)])


def _details(card) -> list[str]:
    with db.unit_of_work() as uow:
        found = runs.of_projects(uow.session, [card.wfm.wfm_project_id])
    return [run.detail for run in found[card.wfm.wfm_project_id]]


def test_jira_transition_issue_body_url_and_auth(seeded, receiver):
    graph = sales_graph()
    _jira_rule(
        seeded.admin,
        receiver,
        auth_header=JIRA_AUTH,
        step_values={"qualification": "21", "Proposal": "31"},
    )
    deal = deals.service.create(seeded.alice, deals.DealCreate(name="Acme renewal"))
    _remember(deal, "jira", "SALES-12")
    deals.service.move(seeded.alice, deal.id, step_named(graph, "Qualification").id)
    assert _deliver() == 1

    ((headers, body),) = receiver.requests
    sent = json.loads(body)
    assert receiver.methods == ["POST"]
    assert receiver.paths == ["/hook/rest/api/3/issue/SALES-12/transitions"]
    assert headers["authorization"] == JIRA_AUTH
    assert headers["content-type"] == "application/json"
    assert sent == {"transition": {"id": "21"}}
    schema = _schema("jira-transition-issue.json")
    assert not list(schema.iter_errors(sent))
    read_only = {
        key
        for key, spec in schema.schema["properties"]["transition"]["properties"].items()
        if spec.get("readOnly")
    }
    assert not read_only & set(sent["transition"])
    # The schema is a real check: what Jira would refuse, it refuses.
    assert list(schema.iter_errors({"transition": {"id": 21}}))
    assert list(schema.iter_errors({"transitionId": "21"}))
    assert count(WebhookDelivery, WebhookDelivery.status == "delivered") == 1
    assert "A Jira call was sent." in _details(deal)


def test_servicenow_table_api_update_uses_the_sys_id_from_inbound(seeded, receiver):
    now = endpoints.create(seeded.admin, EndpointCreate(name="ServiceNow", preset="servicenow"))
    incident = {"number": "INC0010002", "sys_id": SYS_ID, "short_description": "Mail down"}
    answer = _post(TestClient(build()), now, *_signed(now, {"record": incident}))
    assert answer.json()["outcome"] == "created"
    ticket = next(t for t in tickets.service.get_all(seeded.admin) if t.name == "Mail down")
    graph = definitions.graph(ticket.wfm.workflow_id)
    _rule(
        seeded.admin,
        graph,
        receiver,
        "/api/now/table/incident/{sys_id}",
        format="servicenow",
        auth_header="Bearer snow-token",
        step_values={"Triaged": "2", "Resolved": "6"},
    )
    tickets.service.move(seeded.admin, ticket.id, step_named(graph, "Triaged").id)
    assert _deliver() == 1

    ((headers, body),) = receiver.requests
    sent = json.loads(body)
    assert receiver.methods == ["PATCH"]
    assert receiver.paths == [f"/hook/api/now/table/incident/{SYS_ID}"]
    assert headers["authorization"] == "Bearer snow-token"
    assert sent["state"] == "2" and sent["work_notes"].startswith('Ticket "Mail down" entered')
    schema = _schema("servicenow-table-update.json")
    assert not list(schema.iter_errors(sent))
    assert list(schema.iter_errors({"state": 2}))
    (logged,) = outbox.get_all(seeded.admin)  # the delivery log says how it was sent
    assert (logged.method, logged.status) == ("PATCH", "delivered")
    assert list(schema.iter_errors({"sys_id": SYS_ID, "state": "2"}))


def test_nothing_is_sent_without_an_id_or_a_mapped_step(seeded, receiver):
    graph = sales_graph()
    _jira_rule(seeded.admin, receiver, step_values={"Proposal": "31"})
    unknown = deals.service.create(seeded.alice, deals.DealCreate(name="Not in Jira"))
    deals.service.move(seeded.alice, unknown.id, step_named(graph, "Qualification").id)
    known = deals.service.create(seeded.alice, deals.DealCreate(name="In Jira"))
    _remember(known, "csv", "SALES-13")
    deals.service.move(seeded.alice, known.id, step_named(graph, "Qualification").id)

    assert _deliver() == 0 and count(WebhookDelivery) == 0
    assert "Nothing sent: the card has no id in the other system to put in the URL." in _details(
        unknown
    )
    assert "Nothing sent: no transition id for the step Qualification." in _details(known)


@pytest.mark.parametrize(
    ("action", "field"),
    [
        ({"format": "zendesk"}, "action_config.format"),
        ({"format": ["jira"]}, "action_config.format"),
        ({"format": "jira", "step_values": ["Proposal", "31"]}, "action_config.step_values"),
        ({"format": "jira"}, "action_config.step_values"),
        ({"format": "jira", "step_values": {"Nowhere": "1"}}, "action_config.step_values"),
        ({"format": "jira", "step_values": {"Proposal": "Done"}}, "action_config.step_values"),
        (
            {"format": "servicenow", "step_values": {"Proposal": "x" * 101}},
            "action_config.step_values",
        ),
        ({"auth_header": "Basic a\r\nX-Evil: 1"}, "action_config.auth_header"),
        ({"auth_header": "B" * 2001}, "action_config.auth_header"),
        ({"url": "https://example.com/{external_id}"}, "action_config.url"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(seeded, action, field):
    config = {"type": "webhook", "url": "https://example.com/hook"} | action
    with pytest.raises(ValidationFailed) as refused:
        rule_admin.create(
            seeded.admin,
            RuleCreate(
                name="Bad",
                workflow_id=sales_graph().id,
                trigger_event="step_entered",
                action_config=config,
            ),
        )
    assert field in refused.value.field_errors


def test_the_auth_header_is_never_read_back_and_an_edit_keeps_it(seeded, receiver):
    graph = sales_graph()
    _jira_rule(seeded.admin, receiver, auth_header=JIRA_AUTH, step_values={"Qualification": "21"})
    (rule,) = [r for r in rule_admin.get_all(seeded.admin, graph.id) if r.name == "To jira"]
    assert rule.action_config["auth_header"] == SECRET_MASK
    assert rule.action_config["step_values"] == {"Qualification": "21"}
    rule_admin.update(
        seeded.admin,
        rule.id,
        RuleUpdate(action_config=rule.action_config | {"step_values": {"Qualification": "11"}}),
    )
    deal = deals.service.create(seeded.alice, deals.DealCreate(name="Kept"))
    _remember(deal, "jira", "SALES-14")
    deals.service.move(seeded.alice, deal.id, step_named(graph, "Qualification").id)
    assert _deliver() == 1
    ((headers, body),) = receiver.requests
    assert headers["authorization"] == JIRA_AUTH and json.loads(body)["transition"]["id"] == "11"
    assert all(not hasattr(d, "auth_header") for d in outbox.get_all(seeded.admin))
