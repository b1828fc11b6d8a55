"""Issue 17 in the browser: a manager assigns Alice's deal to Bob, who then sees it on
his board, filters to it and moves it like its owner."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot

CREATE = (
    'mutation($n: String!) { createDeal(input: {name: $n, expected_close_date: "2027-01-01"}) '
    "{ id } }"
)


def _column(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def test_a_manager_assigns_a_deal_and_the_assignee_moves_it(page_as, gql):
    name = f"Assigned {uuid.uuid4().hex[:6]}"
    gql("alice", CREATE, n=name)
    bob = page_as("bob")
    bob.goto("/deals")
    expect(bob.get_by_role("heading", name="Deals")).to_be_visible()
    expect(bob.get_by_role("article", name=name)).to_have_count(0)  # Alice's, not his

    manager = page_as("manager")
    manager.goto("/deals")
    _column(manager, "Prospecting").get_by_role("button", name=name).click()
    detail = manager.get_by_role("dialog", name=name)
    detail.get_by_label("Assigned to").select_option(label="Bob Member")
    # the saved choice stays shown (the select follows the server's answer, not only the click)
    expect(detail.get_by_label("Assigned to").locator("option:checked")).to_have_text("Bob Member")
    card = _column(manager, "Prospecting").get_by_role("article", name=name)
    expect(manager.get_by_text(f'"{name}" is assigned to Bob Member.')).to_be_visible()
    detail.get_by_role("button", name="Close", exact=True).click()
    expect(card).to_contain_text("Assigned to Bob Member")
    # the assignee's picture (Bob's provider gives one) beside the owner's initials
    expect(card.locator(".wfm-picture")).to_be_visible()
    screenshot(manager, "assignee-on-card")

    # Bob's board follows live: the card arrives; "Me" narrows the board to it
    card = _column(bob, "Prospecting").get_by_role("article", name=name)
    expect(card).to_be_visible()
    bob.get_by_label("Assignee").select_option(label="Me")
    expect(_column(bob, "Prospecting").get_by_role("article")).to_have_count(1)
    card.get_by_role("button", name="Move to").click()
    bob.get_by_role("menuitem", name="Qualification").click()
    expect(_column(bob, "Qualification").get_by_role("article", name=name)).to_be_visible()
    screenshot(bob, "assignee-moves")

    # Bob may drop it but not hand it to someone else: his choices are nobody and himself
    _column(bob, "Qualification").get_by_role("button", name=name).click()
    options = bob.get_by_role("dialog", name=name).get_by_label("Assigned to")
    expect(options.locator("option")).to_have_text(["Nobody", "Me"])
    # ...and works it like its owner, but it stays Alice's: no Delete for him (issue 24)
    bob_detail = bob.get_by_role("dialog", name=name)
    expect(bob_detail.get_by_text("Owner:")).to_contain_text("Alice Member")
    expect(bob_detail.get_by_role("button", name="Delete")).to_have_count(0)
    screenshot(bob, "assignee-no-delete")
    alice = page_as("alice")
    alice.goto("/deals")
    _column(alice, "Qualification").get_by_role("button", name=name).click()
    expect(
        alice.get_by_role("dialog", name=name).get_by_role("button", name="Delete")
    ).to_be_visible()
