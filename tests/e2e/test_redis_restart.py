"""Issue 28.6: in the several-process setup, a Redis restart under open pages costs no
move and the pages recover by themselves. The suite's app processes reach Redis through
a forwarder (tests/app_fixtures.py), which is cut and brought back while their Redis
database is emptied: a restart without persistence, as far as they can tell, with the
real Redis (shared with other tests) left running."""

from __future__ import annotations

import time
import uuid

import redis
from playwright.sync_api import Page, expect

from tests.app_fixtures import REDIS_DB, screenshot

CREATE = "mutation($n: String!) { createDeal(input: {name: $n, amount: 10}) { id } }"


def column(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def open_board(page: Page) -> Page:
    page.goto("/deals")
    expect(column(page, "Prospecting")).to_be_visible()
    return page


def test_a_redis_restart_under_open_pages_costs_no_move(page_as, gql, redis_forwarder):
    names = [f"Through a restart {uuid.uuid4().hex[:6]}" for _ in range(2)]
    for name in names:
        gql("alice", CREATE, n=name)
    alice = open_board(page_as("alice", "a"))  # on the first app process
    manager = open_board(page_as("manager", "b"))  # on the second
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
