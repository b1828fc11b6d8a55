"""A card's face says what matters at a glance (issue 33.3): its status colour, its
owner's picture or initials, a due date that turns red when past, a ticket's priority in colour."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.app_fixtures import screenshot


def test_an_overdue_urgent_ticket_shows_it(page_as):
    page = page_as("bob")
    page.goto("/tickets")
    page.get_by_role("button", name="New ticket").click()
    dialog = page.get_by_role("dialog")
    name = f"Late printer {uuid.uuid4().hex[:6]}"
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Priority").select_option("urgent")
    dialog.get_by_label("Due date").fill(yesterday)
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_be_hidden()
    card = page.get_by_role("region", name="New", exact=True).get_by_role("article", name=name)
    expect(card).to_contain_text("Priority urgent")
    expect(card).to_contain_text(f"Due date {yesterday} · overdue")
    # Bob's identity provider gives a picture (the demo's `picture` claim): it stands in
    # for his initials; a person without one shows initials ("MM": Max Manager)
    expect(card.locator(".wfm-picture")).to_be_visible()
    # the New status's colour (#94A3B8, seeded) as the card's accent
    expect(card).to_have_css("border-left-color", "rgb(148, 163, 184)")
    screenshot(page, "card-face")
    manager = page_as("manager")
    manager.goto("/deals")
    mine = manager.get_by_role("article").filter(has_text="Max Manager").first
    expect(mine).to_contain_text("MM")
