"""Issue 24.1, 24.6 (part), 24.7: outbound calls go only where the operator allows, and
nothing a receiver answers, nor any part of a webhook's address, is shown back.

Receivers run on loopback, which is refused unless WFM_WEBHOOK_ALLOW_NETWORKS allows it:
each test says which it runs under."""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import socket

import pytest

from tests.api.in_process import run
from tests.receiver import LOOPBACK, Receiver
from tests.service.helpers import sales_graph, step_named
from wfm_app import outbound
from wfm_app.engine.automation import delivery, outbox, rule_admin
from wfm_app.engine.automation.config import RuleCreate, RuleUpdate
from wfm_app.entities import deals
from wfm_app.errors import ValidationFailed
from wfm_app.settings import settings

REFUSED_SPELLINGS = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://127.0.0.1:5432/",
    "http://localhost:6379/",
    "http://sub.localhost:6379/",
    "http://[::1]:8000/graphql",
    "http://2130706433:8000/",
    "http://0x7f.1:8000/",
    "http://0177.0.0.1:8000/",
    "http://127.1:8000/",
    "http://0.0.0.0:8000/",
    "http://[::]:8000/",
    "http://[::ffff:127.0.0.1]:8000/",
    "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://100.64.0.1/hook",
    "http://[fd00::1]/hook",
    "http://[fe80::1]/hook",
    "http://224.0.0.1/hook",
]


def _allow(monkeypatch: pytest.MonkeyPatch, networks: str) -> None:
    monkeypatch.setattr(
        outbound, "settings", dataclasses.replace(settings, webhook_allow_networks=networks)
    )


def _rule(admin, url: str, name: str = "To the receiver"):
    graph = sales_graph()
    return rule_admin.create(
        admin,
        RuleCreate(
            name=name,
            workflow_id=graph.id,
            workflow_step_id=step_named(graph, "Qualification").id,
            trigger_event="step_entered",
            action_config={"type": "webhook", "url": url},
        ),
    )


def _move_a_deal(actor, name: str = "Hooked deal"):
    deal = deals.service.create(actor, deals.DealCreate(name=name))
    deals.service.move(actor, deal.id, step_named(sales_graph(), "Qualification").id)
    return deal


def _deliver_all() -> None:
    with delivery.client() as client:
        while delivery.deliver_due(client):
            pass


def test_saving_a_rule_refuses_a_non_public_address_in_any_spelling(seeded):
    for url in REFUSED_SPELLINGS:
        with pytest.raises(ValidationFailed) as refused:
            _rule(seeded.admin, url)
        said = refused.value.field_errors["action_config.url"]
        assert "address" in said and "WFM_WEBHOOK_ALLOW_NETWORKS" in said, (url, said)
    answer = run(
        seeded.admin,
        "mutation($i: CreateWorkflowAutomationRuleInput!) "
        "{ createWorkflowAutomationRule(input: $i) { id } }",
        i={
            "name": "Metadata",
            "workflowId": str(sales_graph().id),
            "triggerEvent": "entity_created",
            "actionConfig": {"type": "webhook", "url": REFUSED_SPELLINGS[0]},
        },
    )
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert "link-local" in error["extensions"]["fieldErrors"]["action_config.url"]


def test_user_info_in_a_url_is_refused(seeded):
    for url in ("http://user:pass@hooks.example.test/x", "https://token@hooks.example.test/"):
        with pytest.raises(ValidationFailed) as refused:
            _rule(seeded.admin, url)
        assert "secret" in refused.value.field_errors["action_config.url"]


def test_a_loopback_receiver_is_refused_without_the_allow_setting_and_reached_with_it(
    seeded, monkeypatch
):
    receiver = Receiver()
    try:
        _allow(monkeypatch, LOOPBACK)  # the rule was saved while the operator allowed it
        _rule(seeded.admin, receiver.url)
        _allow(monkeypatch, "")  # ...and the operator has since taken that back
        _move_a_deal(seeded.alice)
        _deliver_all()
        [refused] = outbox.get_all(seeded.admin)
        assert receiver.requests == []
        assert (refused.status, refused.attempts) == ("failed", 1)  # no retries: policy says no
        assert refused.last_error_class == "refused_address"
        assert "loopback" in (refused.last_error or "")

        _allow(monkeypatch, LOOPBACK)
        outbox.retry(seeded.admin, refused.id)
        _deliver_all()
        [sent] = outbox.get_all(seeded.admin)
        assert sent.status == "delivered" and len(receiver.requests) == 1
        headers, _body = receiver.requests[0]
        sent_host = {key.lower(): value for key, value in headers.items()}["host"]
        assert sent_host == f"127.0.0.1:{receiver.server.server_port}"
    finally:
        receiver.close()


def test_a_name_is_checked_by_what_it_resolves_to_when_sent(seeded, monkeypatch):
    """A name passes the save check (DNS may change); the send resolves it, checks every
    address and connects to the one it checked."""
    name = socket.gethostname()
    resolved = {
        ipaddress.ip_address(answer[4][0])
        for answer in socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)
    }
    assert all(outbound.refusal(address) for address in resolved), resolved  # precondition
    receiver = Receiver()
    try:
        port = receiver.server.server_port
        _rule(seeded.admin, f"http://{name}:{port}/hook")
        _move_a_deal(seeded.alice)
        _deliver_all()
        [refused] = outbox.get_all(seeded.admin)
        assert refused.last_error_class == "refused_address" and receiver.requests == []
    finally:
        receiver.close()


def test_nothing_a_receiver_answers_is_kept_or_shown(seeded, monkeypatch, caplog):
    _allow(monkeypatch, LOOPBACK)
    secret_answer = b'{"internal":"db_password=hunter2"}'
    receiver = Receiver(statuses=[500] * 10, error_body=secret_answer)
    try:
        _rule(seeded.admin, receiver.url)
        _move_a_deal(seeded.alice)
        with caplog.at_level(logging.INFO), delivery.client() as client:
            delivery.deliver_due(client)
        [logged] = outbox.get_all(seeded.admin)
        assert (logged.last_status_code, logged.last_error_class) == (500, "http_status")
        assert logged.last_error == "The receiver answered HTTP 500."
        assert logged.last_duration_ms is not None and logged.last_duration_ms >= 0
        answer = run(
            seeded.admin,
            "{ webhookDeliveries { lastError lastErrorClass lastStatusCode lastDurationMs } }",
        )
        assert "hunter2" not in str(answer) and "internal" not in str(answer)
        assert answer["data"]["webhookDeliveries"][0]["lastErrorClass"] == "http_status"
        assert "hunter2" not in caplog.text
    finally:
        receiver.close()


def test_redirects_are_not_followed(seeded, monkeypatch):
    _allow(monkeypatch, LOOPBACK)
    elsewhere = Receiver()
    receiver = Receiver(statuses=[302] * 10, location=elsewhere.url)
    try:
        _rule(seeded.admin, receiver.url)
        _move_a_deal(seeded.alice)
        with delivery.client() as client:
            delivery.deliver_due(client)
        [logged] = outbox.get_all(seeded.admin)
        assert (logged.last_status_code, logged.status) == (302, "pending")  # retried later
        assert len(receiver.requests) == 1 and elsewhere.requests == []
    finally:
        receiver.close()
        elsewhere.close()


def test_query_strings_are_masked_in_reads_the_api_and_logs_and_kept_on_edit(
    seeded, monkeypatch, caplog
):
    _allow(monkeypatch, LOOPBACK)
    receiver = Receiver(statuses=[503] * 10)
    try:
        url = f"{receiver.url}?token=s3cr3t-t0ken&team=ops"
        rule = _rule(seeded.admin, url)
        shown = f"{receiver.url}?token=********&team=********"
        assert rule.action_config["url"] == shown
        rules = run(
            seeded.admin,
            "query($w: ID!) { workflowAutomationRules(workflowId: $w) { actionConfig } }",
            w=str(sales_graph().id),
        )
        assert "s3cr3t" not in str(rules) and shown in str(rules)

        # The editor sends back the URL it was shown: the stored one stays.
        rule_admin.update(
            seeded.admin, rule.id, RuleUpdate(name="Renamed", action_config=rule.action_config)
        )
        _move_a_deal(seeded.alice)
        with caplog.at_level(logging.INFO), delivery.client() as client:
            delivery.deliver_due(client)
        assert receiver.paths == ["/hook?token=s3cr3t-t0ken&team=ops"]  # sent as stored
        [logged] = outbox.get_all(seeded.admin)
        assert logged.url == shown
        deliveries = run(seeded.admin, "{ webhookDeliveries { url } }")
        assert "s3cr3t" not in str(deliveries)
        assert "s3cr3t" not in caplog.text and "503" in caplog.text
    finally:
        receiver.close()


def test_a_members_card_history_names_no_part_of_the_webhook(seeded, monkeypatch):
    _allow(monkeypatch, LOOPBACK)
    receiver = Receiver()
    try:
        _rule(seeded.admin, f"{receiver.url}?token=abc", name="Ping the ERP")
        deal = _move_a_deal(seeded.alice)
        runs = deals.service.automation_runs(seeded.alice, deal.id)
        said = " ".join(run.sentence for run in runs)
        assert "A webhook was sent." in said
        for secret in ("127.0.0.1", str(receiver.server.server_port), "token", "http"):
            assert secret not in said, said
    finally:
        receiver.close()
