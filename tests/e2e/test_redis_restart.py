"""Issue 28.6: in the several-process setup, a Redis restart under open pages costs no
move and the pages recover by themselves. The app (two processes behind nginx, tab state
in Redis) reaches Redis through a forwarder (tests/tcp_proxy.py), which is cut and brought
back, and the processes' Redis database is emptied meanwhile: a restart without
persistence, as far as they can tell, with the real Redis (shared with other tests) left
running."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from playwright.sync_api import Browser, Page, expect

from tests import cluster
from tests.app_fixtures import LOOPBACK, screenshot
from tests.tcp_proxy import Forwarder

REDIS_DB = 13
CREATE = "mutation($n: String!) { createDeal(input: {name: $n, amount: 10}) { id } }"


@pytest.fixture(scope="module")
def signed_in(storage_states) -> dict[str, str]:
    """Signed in (through the suite's own cluster) before this module's cluster starts."""
    return {subject: storage_states(subject) for subject in ("alice", "manager")}


@pytest.fixture(scope="module")
def redis_forwarder() -> Iterator[Forwarder]:
    with Forwarder(6379) as forwarder:
        yield forwarder


@pytest.fixture(scope="module")
def cluster_on_forwarded_redis(
    app_database_url: str, identity_provider: str, redis_forwarder: Forwarder, tmp_path_factory
) -> Iterator[cluster.Cluster]:
    running = cluster.start(
        app_database_url,
        identity_provider,
        tmp_path_factory.mktemp("redis-restart"),
        REDIS_URL=f"redis://127.0.0.1:{redis_forwarder.port}/{REDIS_DB}",
        GRANIAN_WORKERS="1",
        WFM_WEBHOOK_ALLOW_NETWORKS=LOOPBACK,
        WFM_AUTO_ORGS="1",
    )
    yield running
    running.stop()


def open_board(browser: Browser, url: str, state: str, backend: str) -> Page:
    context = browser.new_context(
        base_url=url, storage_state=state, viewport={"width": 1280, "height": 800}
    )
    context.add_cookies([{"name": "wfm_backend", "value": backend, "url": url}])
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/deals")
    expect(page.get_by_role("region", name="Prospecting", exact=True)).to_be_visible()
    return page


def column(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def test_a_redis_restart_under_open_pages_costs_no_move(
    browser: Browser, signed_in, gql, redis_forwarder, cluster_on_forwarded_redis
):
    url = cluster_on_forwarded_redis.url
    names = [f"Through a restart {uuid.uuid4().hex[:6]}" for _ in range(2)]
    for name in names:
        gql("alice", CREATE, n=name)
    alice = open_board(browser, url, signed_in["alice"], "a")
    manager = open_board(browser, url, signed_in["manager"], "b")
    for page in (alice, manager):
        expect(column(page, "Prospecting").get_by_role("article", name=names[0])).to_be_visible()

    redis_forwarder.stop()  # Redis goes away: every connection to it drops
    redis.Redis(port=6379, db=REDIS_DB).flushdb()  # and comes back without its data
    time.sleep(2)
    redis_forwarder.start()

    # the next move on each page goes through, and the other page sees it live
    column(alice, "Prospecting").get_by_role("article", name=names[0]).drag_to(
        column(alice, "Qualification")
    )
    for page in (alice, manager):
        expect(column(page, "Qualification").get_by_role("article", name=names[0])).to_be_visible()
    column(manager, "Prospecting").get_by_role("article", name=names[1]).drag_to(
        column(manager, "Qualification")
    )
    for page in (manager, alice):
        expect(column(page, "Qualification").get_by_role("article", name=names[1])).to_be_visible()
    screenshot(alice, "after-redis-restart")
