"""Swimlanes: a deals board grouped by assignee; a drag into another lane of the same
column assigns the card, a drag into another lane of another column moves and unassigns
it at once; a lane collapses; the grouping is kept for the board after a reload, and on
a phone each lane shows the chosen step's cards; cards are selected (and deleted) in lanes
as in columns."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import new_deal, screenshot


def _cell(page: Page, step: str, lane: str):
    return page.get_by_role("region", name=f"{step} · {lane}", exact=True)


def test_swimlanes_by_assignee_with_a_drag_across_lanes(page_as, phone_as):
    tag = uuid.uuid4().hex[:6]
    first, second = f"Lane {tag} first", f"Lane {tag} second"
    manager = page_as("manager")
    manager.goto("/deals")
    for name in (first, second):
        new_deal(manager, name, "1000")
    manager.get_by_label("Search", exact=True).fill(f"Lane {tag}")
    expect(manager.get_by_role("article")).to_have_count(2)
    manager.get_by_role("button", name=first).click()
    detail = manager.get_by_role("dialog", name=first)
    detail.get_by_label("Assigned to").select_option(label="Bob Member")
    expect(manager.get_by_text(f'"{first}" is assigned to Bob Member.')).to_be_visible()
    detail.get_by_role("button", name="Close", exact=True).click()

    manager.get_by_label("Group by").select_option(label="Assignee")
    bobs_lane = manager.get_by_role("button", name="Bob Member")
    expect(bobs_lane).to_contain_text("1 card")
    expect(bobs_lane).to_contain_text("Total USD 1,000")
    expect(_cell(manager, "Prospecting", "Bob Member").get_by_role("article")).to_have_count(1)
    expect(_cell(manager, "Prospecting", "Nobody").get_by_role("article")).to_have_count(1)

    # the same column, another lane: the card is assigned (an edit)
    manager.get_by_role("article", name=second).drag_to(_cell(manager, "Prospecting", "Bob Member"))
    expect(manager.get_by_text(f'"{second}" is now in Bob Member.')).to_be_visible()
    expect(_cell(manager, "Prospecting", "Bob Member").get_by_role("article")).to_have_count(2)
    expect(bobs_lane).to_contain_text("2 cards")
    screenshot(manager, "swimlanes-by-assignee")

    # another column and another lane: moved and unassigned together
    manager.get_by_role("article", name=first).drag_to(_cell(manager, "Qualification", "Nobody"))
    expect(manager.get_by_text(f'"{first}" moved to Qualification.')).to_be_visible()
    moved = _cell(manager, "Qualification", "Nobody").get_by_role("article", name=first)
    expect(moved).to_be_visible()
    expect(moved).not_to_contain_text("Assigned to")

    # a lane collapses; the grouping stays for this board after a reload
    bobs_lane.click()
    expect(bobs_lane).to_have_attribute("aria-expanded", "false")
    expect(_cell(manager, "Prospecting", "Bob Member")).to_have_count(0)
    manager.reload()
    expect(manager.get_by_label("Group by")).to_have_value("assignee")
    expect(manager.get_by_role("button", name="Nobody")).to_be_visible()
    screenshot(manager, "swimlanes-after-reload")

    # on a phone: the step tabs pick the column each lane shows
    phone = phone_as("manager", "Pixel 7")
    phone.goto("/deals")
    phone.get_by_role("button", name="Filters").tap()
    phone.get_by_label("Search", exact=True).fill(f"Lane {tag}")
    phone.get_by_label("Group by").select_option(label="Assignee")
    phone.get_by_role("button", name="Filters").tap()
    phone.get_by_role("tab", name="Qualification").tap()
    expect(_cell(phone, "Qualification", "Nobody").get_by_role("article")).to_have_count(1)
    expect(_cell(phone, "Prospecting", "Bob Member")).to_be_hidden()
    screenshot(phone, "swimlanes-phone")

    # the cards go again (so no other test finds Bob with more work), selected in lanes
    bobs_lane.click()  # open again (a collapsed lane stays so in the tab, reloads too)
    expect(bobs_lane).to_have_attribute("aria-expanded", "true")
    manager.get_by_role("button", name="Select", exact=True).click()
    for name in (first, second):
        box = manager.get_by_role("checkbox", name=f"Select {name}")
        box.click()
        expect(box).to_be_checked()
    manager.get_by_role("button", name="Delete selected").click()
    manager.get_by_role("button", name="Delete for good").click()
    expect(manager.get_by_role("article")).to_have_count(0)
