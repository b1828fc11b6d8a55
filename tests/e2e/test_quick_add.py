""" "Add a card" at the top of a column (issue 33.4): a name and Enter put the card on that
step, the field stays open for the next; an empty name is refused beside it."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect


def test_cards_are_added_at_the_top_of_a_column(page_as):
    from tests.app_fixtures import screenshot

    page = page_as("alice")
    page.goto("/deals")
    proposal = page.get_by_role("region", name="Proposal", exact=True)
    proposal.get_by_role("button", name="Add a card").click()
    field = proposal.get_by_role("textbox", name="Name of the new card in Proposal")
    expect(field).to_be_focused()
    names = [f"Quick {n} {uuid.uuid4().hex[:5]}" for n in (1, 2)]
    for name in names:
        field.fill(name)
        field.press("Enter")
        expect(proposal.get_by_role("article", name=name)).to_be_visible()
        expect(field).to_have_value("")  # open for the next one
    screenshot(page, "quick-add")
    field.press("Enter")  # nothing typed
    expect(proposal.get_by_role("alert")).to_contain_text("Name")
    field.press("Escape")
    expect(proposal.get_by_role("button", name="Add a card")).to_be_visible()
    page.reload()  # they were saved on that step
    for name in names:
        expect(proposal.get_by_role("article", name=name)).to_be_visible()
