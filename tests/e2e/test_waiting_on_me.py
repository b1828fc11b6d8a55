"""Approvals are hard to miss (issue 33.7): the home page lists the cards waiting on the
viewer's approval, each linked to its card."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.app_fixtures import screenshot


def test_the_home_page_lists_what_waits_on_my_approval(page_as):
    manager = page_as("manager")
    manager.goto("/")
    section = manager.get_by_role("region", name="Waiting on me")
    # the demo has contracts out for signature: legal review is the manager's to give
    expect(section.get_by_role("row").nth(1)).to_contain_text("Contract Sent")
    screenshot(manager, "home-waiting-on-me")
    section.get_by_role("link").first.click()
    expect(manager).to_have_url(re.compile(r"/deals/[0-9a-f-]{36}$"))
    expect(manager.get_by_role("dialog")).to_contain_text("Legal review")
    alice = page_as("alice")  # a member approves nothing in the demo
    alice.goto("/")
    expect(alice.get_by_role("region", name="My work")).to_be_visible()
    expect(alice.get_by_role("region", name="Waiting on me")).to_have_count(0)
