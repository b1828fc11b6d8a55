"""Issue 28.3 and 28.6: /healthz answers while the process does; /readyz says "not
ready" (503, naming the check) while the database or Redis is unreachable, and "ready"
again once they are back, with no restart. The outages are made by a forwarder in front
of each server (tests/tcp_proxy.py): the real servers, which other tests share, stay up."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from tests.tcp_proxy import Forwarder
from wfm_app import db
from wfm_app.api.app import build
from wfm_app.observability import health
from wfm_app.settings import settings


@pytest.fixture
def through_forwarders(postgresql_url: str, monkeypatch) -> Iterator[tuple[Forwarder, Forwarder]]:
    with Forwarder(5432) as postgres, Forwarder(6379) as redis:
        db.configure(
            make_url(postgresql_url).set(port=postgres.port).render_as_string(hide_password=False)
        )
        redis_url = f"redis://127.0.0.1:{redis.port}/15"
        monkeypatch.setattr(health, "settings", dataclasses.replace(settings, redis_url=redis_url))
        yield postgres, redis
    db.configure(postgresql_url)


def readiness(client: TestClient) -> tuple[int, dict[str, bool]]:
    answer = client.get("/readyz")
    body = answer.json()
    return answer.status_code, {name: check["ok"] for name, check in body["checks"].items()}


def test_readyz_fails_while_the_database_or_redis_is_down_and_recovers(through_forwarders):
    postgres, redis = through_forwarders
    client = TestClient(build())
    assert client.get("/healthz").json() == {"status": "ok"}
    everything = {"database": True, "migrations": True, "redis": True}
    assert readiness(client) == (200, everything)

    postgres.stop()
    assert readiness(client) == (503, {"database": False, "redis": True})
    assert client.get("/healthz").status_code == 200  # the process itself still answers
    postgres.start()
    assert readiness(client) == (200, everything)

    redis.stop()
    assert readiness(client) == (503, {"database": True, "migrations": True, "redis": False})
    redis.start()
    assert readiness(client) == (200, everything)


def test_metrics_ask_for_the_token_when_one_is_set(monkeypatch):
    from wfm_app.api import observability

    monkeypatch.setattr(
        observability, "settings", dataclasses.replace(settings, metrics_token="s3cret-token")
    )
    client = TestClient(build())
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 401
    answer = client.get("/metrics", headers={"authorization": "Bearer s3cret-token"})
    assert answer.status_code == 200 and "wfm_operations_total" in answer.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"not json", "body"),
        (b'{"measure": "board_shown"}', "seconds"),
        (b'{"measure": "board_shown", "seconds": -1}', "seconds"),
        (b'{"measure": "board_shown", "seconds": 1e9}', "seconds"),
        (b'{"measure": "user-1234", "seconds": 1}', "measure"),
        (b'{"measure": "board_shown", "seconds": 1, "pad": "' + b"x" * 600 + b'"}', "body"),
    ],
)
def test_the_beacon_refuses_what_is_not_a_timing(body: bytes, field: str):
    answer = TestClient(build()).post("/beacon", content=body)
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "code": "VALIDATION",
        "field": field,
        "message": answer.json()["error"]["message"],
    }


def test_the_beacon_counts_a_timing():
    client = TestClient(build())
    before = client.get("/metrics").text.count('measure="drop_confirmed"')
    assert (
        client.post("/beacon", content=b'{"measure": "drop_confirmed", "seconds": 0.2}').status_code
        == 204
    )
    text = client.get("/metrics").text
    assert 'wfm_frontend_duration_seconds_count{measure="drop_confirmed"} ' in text
    assert text.count('measure="drop_confirmed"') >= before
