"""Every card has its own address (issue 33.1): opening a card shows /deals/<id>, Back
closes it, the address opens the same card for someone else, and the card is a side
panel beside the board (the whole screen on a phone)."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import new_deal, screenshot

CARD_URL = re.compile(r"/deals/[0-9a-f-]{36}$")


def _open(page: Page, name: str) -> None:
    column = page.get_by_role("region", name="Prospecting", exact=True)
    column.get_by_role("button", name=name).click()
    expect(page.get_by_role("dialog", name=name)).to_be_visible()


def test_a_card_has_an_address_back_closes_it_and_a_link_opens_it(page_as):
    alice = page_as("alice")
    alice.goto("/deals")
    name = f"Linked deal {uuid.uuid4().hex[:6]}"
    new_deal(alice, name)
    _open(alice, name)
    expect(alice).to_have_url(CARD_URL)
    alice.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
    panel, viewport = alice.get_by_role("dialog", name=name).bounding_box(), alice.viewport_size
    assert panel is not None and viewport is not None
    assert panel["x"] > viewport["width"] / 2  # beside the board, which stays in sight
    assert panel["x"] + panel["width"] >= viewport["width"] - 1
    assert panel["height"] >= viewport["height"] - 1
    screenshot(alice, "card-side-panel")
    address = alice.url

    alice.go_back()
    expect(alice.get_by_role("dialog", name=name)).to_be_hidden()
    expect(alice).to_have_url(re.compile(r"/deals$"))
    _open(alice, name)  # the board was not left: its cards are still there
    alice.get_by_role("button", name="Close", exact=True).click()
    expect(alice.get_by_role("dialog", name=name)).to_be_hidden()
    expect(alice).to_have_url(re.compile(r"/deals$"))

    manager = page_as("manager")
    manager.goto(address)
    expect(manager.get_by_role("dialog", name=name)).to_be_visible()
    manager.get_by_role("button", name="Close", exact=True).click()
    expect(manager).to_have_url(re.compile(r"/deals$"))
    column = manager.get_by_role("region", name="Prospecting", exact=True)
    expect(column.get_by_role("article", name=name)).to_be_visible()  # the board behind it


def test_on_a_phone_the_card_fills_the_screen(phone_as):
    phone = phone_as("alice", "iPhone 13")
    phone.goto("/deals")
    phone.get_by_role("tab", name="Prospecting").tap()
    card = phone.get_by_role("region", name="Prospecting", exact=True).get_by_role("article")
    card.first.get_by_role("button").first.tap()
    dialog = phone.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(phone).to_have_url(CARD_URL)
    phone.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
    box, viewport = dialog.bounding_box(), phone.viewport_size
    assert box is not None and viewport is not None
    assert box["x"] <= 2 and box["width"] >= viewport["width"] - 4
    screenshot(phone, "phone-card-panel")
