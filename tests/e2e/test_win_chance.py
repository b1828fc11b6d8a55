"""The learned win chance in the workflow editor: Learn now says what was learned (or
why nothing was), and the switch for weighted totals is kept."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot

SWITCH = "Weighted totals use the win chance learned from closed cards"


def _sales_editor(page: Page) -> None:
    page.goto("/admin/wfm/workflows")
    page.get_by_role("link", name="Standard Sales Process").click()
    expect(page.get_by_role("heading", name="Standard Sales Process")).to_be_visible()


def _switch(page: Page, on: bool) -> None:
    page.get_by_text("Rename or describe this workflow").click()
    page.get_by_label(SWITCH).set_checked(on)
    page.get_by_role("button", name="Save workflow").click()
    expect(page.get_by_text("Workflow saved.")).to_be_visible()


def test_an_admin_learns_the_win_chance_and_turns_it_on(page_as):
    page = page_as("admin")
    _sales_editor(page)
    page.get_by_role("button", name="Learn now").click()
    expect(page.get_by_text("Win chance learned.")).to_be_visible()
    said = re.compile(r"Learned from \d+ closed cards|Not enough closed cards yet: \d+")
    expect(page.get_by_text(said)).to_be_visible()
    _switch(page, True)
    try:
        page.reload()
        page.get_by_text("Rename or describe this workflow").click()
        expect(page.get_by_label(SWITCH)).to_be_checked()
        screenshot(page, "workflow-win-chance")
        page.goto("/deals")  # the board still adds up (fixed probabilities where nothing
        # was learned for a step)
        expect(page.get_by_role("region", name="Prospecting", exact=True)).to_contain_text(
            "Weighted"
        )
    finally:
        _sales_editor(page)
        _switch(page, False)
