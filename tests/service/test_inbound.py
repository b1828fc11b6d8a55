"""Inbound webhooks (issue 32.2): events signed with Standard Webhooks (or Jira's
X-Hub-Signature) create and move cards through the one move; a bad signature changes
nothing, a replayed delivery changes nothing, a move a condition refuses is recorded
with its reason and retried; only admins make endpoints; organizations apart."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from standardwebhooks.webhooks import Webhook
from starlette.testclient import TestClient

from tests.service.test_organizations import organization
from wfm_app.api.app import build
from wfm_app.entities import deals, tickets
from wfm_app.entities.deals import DealUpdate
from wfm_app.entities.inbound import endpoints, receiving
from wfm_app.entities.inbound.endpoints import EndpointCreate
from wfm_app.errors import Forbidden
from wfm_app.tenancy import acting_in


@pytest.fixture
def client(seeded):
    return TestClient(build())


def _signed(made, payload: dict, delivery: str = "msg_1") -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    now = datetime.now(UTC)
    signature = Webhook(made.secret).sign(delivery, now, body)
    headers = {
        "webhook-id": delivery,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }
    return body, headers


def _post(client, made, body, headers):
    return client.post(made.address, content=body, headers=headers)


def _ticket(actor, name):
    return next((t for t in tickets.service.get_all(actor) if t.name == name), None)


def test_signed_generic_events_create_and_move_a_ticket_once(seeded, client):
    made = endpoints.create(
        seeded.admin,
        EndpointCreate(name="Helpdesk", entity_type="TICKET", status_map={"wip": "Triaged"}),
    )
    assert made.secret.startswith("whsec_") and made.address.startswith("/hooks/")
    event = {"external_id": "HD-7", "name": "Printer jam", "fields": {"priority": "high"}}
    body, headers = _signed(made, event)
    answer = _post(client, made, body, headers)
    assert answer.status_code == 200 and answer.json()["outcome"] == "created"
    jam = _ticket(seeded.admin, "Printer jam")
    assert jam.priority == "high" and jam.owner_name == "Helpdesk (integration)"

    replay = _post(client, made, body, headers)
    assert replay.json()["outcome"] == "duplicate"
    assert [t.name for t in tickets.service.get_all(seeded.admin)].count("Printer jam") == 1

    tampered = _post(client, made, body.replace(b"jam", b"fire"), headers)
    assert tampered.status_code == 401 and _ticket(seeded.admin, "Printer fire") is None

    moved = _post(client, made, *_signed(made, {"external_id": "HD-7", "status": "wip"}, "msg_2"))
    assert moved.json()["outcome"] == "moved"
    assert _ticket(seeded.admin, "Printer jam").wfm.step.display_name == "Triaged"
    said = [(e.outcome, e.external_id) for e in endpoints.events(seeded.admin, made.endpoint.id)]
    assert said == [("moved", "HD-7"), ("created", "HD-7")]


def test_jira_and_servicenow_shapes(seeded, client):
    jira = endpoints.create(seeded.admin, EndpointCreate(name="Jira", preset="jira"))
    created = {
        "webhookEvent": "jira:issue_created",
        "issue": {
            "key": "SUP-9",
            "fields": {"summary": "VPN drops", "priority": {"name": "Highest"}},
        },
    }
    for delivery, payload in (
        ("j1", created),
        (
            "j2",
            created
            | {
                "webhookEvent": "jira:issue_updated",
                "changelog": {
                    "items": [{"field": "status", "fromString": "New", "toString": "Triaged"}]
                },
            },
        ),
    ):
        body = json.dumps(payload).encode()
        signature = "sha256=" + hmac.new(jira.secret.encode(), body, hashlib.sha256).hexdigest()
        headers = {"x-hub-signature": signature, "x-atlassian-webhook-identifier": delivery}
        assert client.post(jira.address, content=body, headers=headers).status_code == 200
    vpn = _ticket(seeded.admin, "VPN drops")
    assert vpn.priority == "urgent" and vpn.wfm.step.display_name == "Triaged"
    unsigned = client.post(jira.address, content=b"{}", headers={"x-hub-signature": "sha256=00"})
    assert unsigned.status_code == 401

    now = endpoints.create(seeded.admin, EndpointCreate(name="ServiceNow", preset="servicenow"))
    incident = {
        "number": "INC0010001",
        "short_description": "Email down",
        "priority": "1 - Critical",
    }
    answer = _post(client, now, *_signed(now, {"record": incident}))
    assert answer.json()["outcome"] == "created"
    assert _ticket(seeded.admin, "Email down").priority == "urgent"


def test_a_condition_refuses_a_move_it_is_recorded_and_retried(seeded, client):
    made = endpoints.create(seeded.admin, EndpointCreate(name="CRM", entity_type="DEAL"))
    first = {"external_id": "D-1", "name": "Acme renewal", "status": "Qualification"}
    assert _post(client, made, *_signed(made, first, "d1")).json()["outcome"] == "created"
    refused = _post(
        client, made, *_signed(made, {"external_id": "D-1", "status": "Proposal"}, "d2")
    )
    assert refused.status_code == 202
    assert refused.json() == {"outcome": "refused", "message": refused.json()["message"]}
    assert "Expected close date is required" in refused.json()["message"]
    event = endpoints.events(seeded.admin, made.endpoint.id)[0]
    deal = next(d for d in deals.service.get_all(seeded.admin) if d.name == "Acme renewal")
    deals.service.update(
        seeded.admin, deal.id, DealUpdate(expected_close_date="2027-01-31", amount=Decimal(5))
    )
    retried = receiving.retry(seeded.admin, event.id)
    assert retried.outcome == "moved"
    deal = next(d for d in deals.service.get_all(seeded.admin) if d.name == "Acme renewal")
    assert deal.wfm.step.display_name == "Proposal"
    with pytest.raises(Forbidden):
        endpoints.create(seeded.manager, EndpointCreate(name="Mine"))


def test_an_endpoint_is_its_organizations_only(database):
    acme, globex = organization("acme"), organization("globex")
    with acting_in(acme.id):
        made = endpoints.create(acme.admin, EndpointCreate(name="Acme desk"))
    client = TestClient(build())
    body, headers = _signed(made, {"external_id": "X-1", "name": "Leak?"})
    other = "/hooks/" + globex.id.hex + made.endpoint.id.hex
    assert client.post(other, content=body, headers=headers).status_code == 404
    assert client.post(made.address, content=body, headers=headers).status_code == 200
    with acting_in(globex.id):
        assert endpoints.get_all(globex.admin) == []
