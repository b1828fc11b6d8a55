"""A card's one timeline (issue 33.5): a ticket with a description; an edit says what
changed from and to, a move and a comment follow, newest first."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.app_fixtures import screenshot


def test_edits_moves_and_comments_read_as_one_timeline(page_as):
    page = page_as("alice")
    page.goto("/tickets")
    name = f"Printer jams {uuid.uuid4().hex[:6]}"
    page.get_by_role("button", name="New ticket").click()
    form = page.get_by_role("dialog", name="New ticket")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Description").fill("It jams on A3.")
    form.get_by_role("button", name="Create").click()
    expect(form).to_be_hidden()

    page.get_by_role("region", name="New", exact=True).get_by_role("button", name=name).click()
    detail = page.get_by_role("dialog", name=name)
    expect(detail).to_contain_text("Description: It jams on A3.")
    detail.get_by_role("button", name="Priority: normal (edit)").click()
    detail.get_by_label("Priority", exact=True).select_option("high")
    detail.get_by_role("button", name="Save", exact=True).click()
    entries = detail.get_by_role("list", name="History").get_by_role("listitem")
    expect(entries.first).to_contain_text("Alice Member changed Priority from normal to high")

    detail.get_by_role("button", name="Move to Triaged").click()
    expect(entries.first).to_contain_text("New → Triaged by Alice Member")
    detail.get_by_label("Add a comment").fill("Ordered a new roller.")
    detail.get_by_role("button", name="Comment", exact=True).click()
    expect(entries.first).to_contain_text("Alice Member commented")
    expect(entries.first).to_contain_text("Ordered a new roller.")
    expect(entries).to_have_count(3)
    expect(entries.nth(2)).to_contain_text("changed Priority")
    screenshot(page, "card-timeline")
