"""The header's search (issue 33.4): "/" goes to it, Enter lists what matches by kind,
a result opens its card."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.app_fixtures import new_deal, screenshot


def test_slash_searches_every_kind_and_a_result_opens_its_card(page_as):
    page = page_as("alice")
    page.goto("/deals")
    tag = uuid.uuid4().hex[:6]
    name = f"Searchable {tag}"
    new_deal(page, name)
    page.locator("body").press("/")
    box = page.get_by_role("searchbox", name="Find cards everywhere")
    expect(box).to_be_focused()
    box.fill(tag)
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/search\?q={tag}$"))
    deals = page.get_by_role("region", name="Deals")
    expect(deals.get_by_role("link", name=name)).to_be_visible()
    screenshot(page, "search")
    deals.get_by_role("link", name=name).click()
    expect(page.get_by_role("dialog", name=name)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/deals/[0-9a-f-]{36}$"))

    page.goto(f"/search?q=nothing-{tag}")
    expect(page.get_by_text(f'Nothing you may see matches "nothing-{tag}".')).to_be_visible()
