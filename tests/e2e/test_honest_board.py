"""A board that says what is true (issue 33.8, 33.9): a filter that hides every card
says so with a way back, a member's WIP count says it includes cards they cannot see,
lead columns total the estimated value."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.app_fixtures import screenshot


def test_no_match_says_so_and_clears(page_as):
    page = page_as("alice")
    page.goto("/deals")
    page.get_by_label("Search", exact=True).fill("zz no such deal")
    status = page.get_by_role("status").filter(has_text="No cards match these filters.")
    expect(status).to_be_visible()
    screenshot(page, "board-no-match")
    status.get_by_role("button", name="Clear filters").click()
    expect(status).to_be_hidden()
    expect(page.get_by_label("Search", exact=True)).to_have_value("")
    prospecting = page.get_by_role("region", name="Prospecting", exact=True)
    expect(prospecting.get_by_role("article").first).to_be_visible()


def test_a_members_wip_count_says_it_counts_everyones(page_as):
    alice = page_as("alice")
    alice.goto("/deals")
    negotiation = alice.get_by_role("region", name="Negotiation", exact=True)
    expect(negotiation).to_contain_text(re.compile(r"WIP \d+ / 10, counting cards you cannot see"))
    manager = page_as("manager")
    manager.goto("/deals")
    column = manager.get_by_role("region", name="Negotiation", exact=True)
    expect(column).to_contain_text(re.compile(r"WIP \d+ / 10"))
    expect(column).not_to_contain_text("cannot see")


def test_lead_columns_total_their_estimated_value(page_as):
    page = page_as("manager")
    page.goto("/leads")
    new = page.get_by_role("region", name="New Lead", exact=True)
    expect(new).to_contain_text(re.compile(r"Total USD [1-9]"))
