"""Keyboard shortcuts (issue 33.4): ? lists them, n opens New, arrows move between
cards, Enter opens one, m opens its Move to menu."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.app_fixtures import screenshot


def test_the_board_works_from_the_keyboard(page_as):
    page = page_as("manager")
    page.goto("/deals")
    prospecting = page.get_by_role("region", name="Prospecting", exact=True)
    expect(prospecting.get_by_role("article").first).to_be_visible()
    page.locator("body").press("?")
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(shortcuts).to_contain_text("Move the card to another step")
    screenshot(page, "shortcuts")
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()

    page.locator("body").press("n")
    create = page.get_by_role("dialog", name="New deal")
    expect(create).to_be_visible()
    page.keyboard.press("Escape")
    expect(create).to_be_hidden()

    first = prospecting.get_by_role("article").first.get_by_role("button").first
    first.focus()
    page.keyboard.press("ArrowRight")
    qualification = page.get_by_role("region", name="Qualification", exact=True)
    focused = qualification.get_by_role("article").first.get_by_role("button").first
    expect(focused).to_be_focused()
    page.keyboard.press("m")
    expect(page.get_by_role("menu")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("menu")).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    expect(first).to_be_focused()
    name = first.inner_text()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name=name)).to_be_visible()
