"""Issue 12 (webhooks): an outbox that never loses an event. A real local HTTP receiver,
real `wfm worker` processes (killed mid-delivery, or two at once), Standard Webhooks
signatures checked with the `standardwebhooks` package."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from standardwebhooks.webhooks import Webhook

from tests import harness
from tests.receiver import LOOPBACK, Receiver
from tests.service.helpers import count, sales_graph, step_named
from wfm_app import db
from wfm_app.engine.automation import delivery, outbox, rule_admin
from wfm_app.engine.automation.config import RuleCreate
from wfm_app.engine.automation.models import WebhookDelivery
from wfm_app.entities import deals
from wfm_app.settings import REPO_ROOT, settings

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
WFM = str(REPO_ROOT / ".venv" / "bin" / "wfm")


@pytest.fixture
def hooked(seeded, allow_loopback_receivers):
    """A rule sending every move into Qualification to a receiver (made per test)."""

    def make(receiver: Receiver) -> None:
        graph = sales_graph()
        rule_admin.create(
            seeded.admin,
            RuleCreate(
                name="To the receiver",
                workflow_id=graph.id,
                workflow_step_id=step_named(graph, "Qualification").id,
                trigger_event="step_entered",
                action_config={"type": "webhook", "url": receiver.url, "secret": SECRET},
            ),
        )

    return make


def _moves(actor, n: int) -> None:
    target = step_named(sales_graph(), "Qualification").id
    for i in range(n):
        deal = deals.service.create(actor, deals.DealCreate(name=f"Deal {i}"))
        deals.service.move(actor, deal.id, target)


def _wait(until, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not until():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_retries_with_backoff_then_delivers_signed_with_one_id(seeded, hooked, monkeypatch):
    monkeypatch.setattr(
        outbox, "settings", dataclasses.replace(settings, webhook_retry_seconds=0.05)
    )
    receiver = Receiver(statuses=[500, 500, 200])
    try:
        hooked(receiver)
        _moves(seeded.alice, 1)
        with delivery.client() as client:
            _wait(
                lambda: (
                    delivery.deliver_due(client) >= 0
                    and count(WebhookDelivery, WebhookDelivery.status == "delivered") == 1
                )
            )  # type: ignore[arg-type]
        assert len(receiver.requests) == 3
        assert len(set(receiver.ids())) == 1
        for headers, body in receiver.requests:
            event = Webhook(SECRET).verify(body, headers)  # raises on a bad signature
            assert event["type"] == "wfm.step_entered"
            assert event["data"]["to_step"]["name"] == "Qualification"
        [logged] = outbox.get_all(seeded.admin)
        assert (logged.status, logged.attempts, logged.last_status_code) == ("delivered", 3, 200)
        assert logged.webhook_id == receiver.ids()[0]
    finally:
        receiver.close()


def test_gives_up_after_its_attempts_and_an_admin_can_retry(seeded, hooked, monkeypatch):
    quick = dataclasses.replace(settings, webhook_retry_seconds=0.01, webhook_max_attempts=2)
    monkeypatch.setattr(outbox, "settings", quick)
    receiver = Receiver(statuses=[503, 503, 503])
    try:
        hooked(receiver)
        _moves(seeded.alice, 1)
        with delivery.client() as client:
            _wait(
                lambda: (
                    delivery.deliver_due(client) >= 0
                    and bool(outbox.get_all(seeded.admin, status="failed"))
                )
            )
            [failed] = outbox.get_all(seeded.admin, status="failed")
            assert failed.attempts == 2 and "503" in (failed.last_error or "")
            outbox.retry(seeded.admin, failed.id)
            _wait(
                lambda: (
                    delivery.deliver_due(client) >= 0
                    and bool(outbox.get_all(seeded.admin, status="delivered"))
                )
            )
        assert len(receiver.requests) == 4
        with pytest.raises(Exception, match="permission"):
            outbox.get_all(seeded.manager)
    finally:
        receiver.close()


def _worker(database_url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": harness.as_app_role(database_url),
        "WFM_WEBHOOK_LEASE_SECONDS": "2",
        "WFM_WEBHOOK_RETRY_SECONDS": "0.1",
        "WFM_WORKER_POLL_SECONDS": "0.05",
        "WFM_WEBHOOK_ALLOW_NETWORKS": LOOPBACK,
    }
    return subprocess.Popen(
        [WFM, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


@pytest.fixture
def database_url_string(database: str) -> str:
    return db.get_engine().url.render_as_string(hide_password=False)


@pytest.fixture
def workers(database_url_string: str) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(10)


def test_a_worker_killed_mid_delivery_loses_nothing(seeded, hooked, workers, database_url_string):
    receiver = Receiver(hang_first=20)
    try:
        hooked(receiver)
        _moves(seeded.alice, 5)
        workers.append(_worker(database_url_string))
        _wait(lambda: len(receiver.requests) >= 1)  # it is sending the first one now
        workers[0].kill()  # SIGKILL: no goodbye, the claim stays until its lease runs out
        workers[0].wait(10)
        workers.append(_worker(database_url_string))
        _wait(lambda: count(WebhookDelivery, WebhookDelivery.status == "delivered") == 5)  # type: ignore[arg-type]
        ids = Counter(receiver.ids())
        assert len(ids) == 5  # every event arrived
        assert sorted(ids.values())[-1] == 2  # the interrupted one twice, with the same id
    finally:
        receiver.close()


def test_two_workers_never_deliver_the_same_event_twice(
    seeded, hooked, workers, database_url_string, database
):
    if database != "postgresql":
        pytest.skip("several workers at once are for PostgreSQL; SQLite runs one")
    receiver = Receiver()
    try:
        hooked(receiver)
        _moves(seeded.alice, 20)
        workers.extend([_worker(database_url_string), _worker(database_url_string)])
        _wait(lambda: count(WebhookDelivery, WebhookDelivery.status == "delivered") == 20)  # type: ignore[arg-type]
        ids = Counter(receiver.ids())
        assert len(ids) == 20 and set(ids.values()) == {1}
    finally:
        receiver.close()
