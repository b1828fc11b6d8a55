"""Issue 30.1: the same pages on a phone (Chromium with Playwright's iPhone 13 and Pixel 7
descriptors: their viewports, touch): Sign in reachable, the header folded into Menu, a
board one column at a time with step tabs, Move to from a bottom sheet, the filters under
Filters, Complete to move and the card detail within the screen, no page wider than the
screen, axe at phone width; a tablet keeps the desktop board."""

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot
from tests.e2e.axe import assert_accessible

PHONES = ["iPhone 13", "Pixel 7"]


def _no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"the page is {wide}px wider than the screen"


@pytest.mark.parametrize("device", PHONES)
def test_sign_in_is_reachable_on_a_phone(phone_as, device):
    page = phone_as(None, device)
    page.goto("/")
    sign_in = page.get_by_role("button", name="Sign in")
    expect(sign_in).to_be_in_viewport()
    sign_in.tap()  # fails when anything lies over it
    expect(page).not_to_have_url("/")
    _no_sideways_scroll(page)


def _swipe(page, dx: int) -> None:
    """A one-finger horizontal swipe across the middle of the board, as real touch input
    (Chromium's DevTools protocol), not synthesized DOM events."""
    box = page.locator("#board").bounding_box()
    assert box is not None
    # near the board's top: toasts (a move's, with Undo) stack over the screen's bottom
    y = max(box["y"], 0) + 40
    x = box["x"] + box["width"] / 2 - dx / 2
    on_board = "([x, y]) => !!document.elementFromPoint(x, y)?.closest('#board')"
    assert page.evaluate(on_board, [x, y]), "the swipe would not start on the board"
    cdp = page.context.new_cdp_session(page)
    steps = (("touchStart", x), ("touchMove", x + dx / 2), ("touchMove", x + dx), ("touchEnd", 0))
    for kind, at in steps:
        points = [] if kind == "touchEnd" else [{"x": at, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
    cdp.detach()


@pytest.mark.parametrize("device", PHONES)
def test_a_board_on_a_phone(phone_as, device):
    page = phone_as("alice", device)
    page.goto("/deals")
    _no_sideways_scroll(page)
    # the header folds into Menu
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    page.get_by_role("button", name="Menu", exact=True).tap()
    menu = page.get_by_role("dialog", name="Menu")
    expect(menu.get_by_role("link", name="Leads")).to_be_visible()
    expect(menu.get_by_role("button", name="Notifications")).to_be_visible()
    expect(menu.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, f"phone-menu-{device.replace(' ', '-')}")
    page.keyboard.press("Escape")

    # New deal, then find it with the filters, which fold under Filters
    name = f"Phone {uuid.uuid4().hex[:6]}"
    page.get_by_role("button", name="New deal").tap()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Expected close date").fill("2027-03-01")
    dialog.get_by_role("button", name="Create").tap()
    expect(dialog).to_be_hidden()
    search = page.get_by_label("Search", exact=True)
    expect(search).to_be_hidden()
    page.get_by_role("button", name="Filters").tap()
    search.fill(name)

    # one column at a time, chosen with the step tabs
    tabs = page.get_by_role("tablist", name="Steps")
    expect(tabs.get_by_role("tab", name="Prospecting")).to_have_attribute("aria-selected", "true")
    prospecting = page.get_by_role("region", name="Prospecting", exact=True)
    qualification = page.get_by_role("region", name="Qualification", exact=True)
    expect(prospecting).to_be_visible()
    expect(qualification).to_be_hidden()
    card = prospecting.get_by_role("article", name=name)
    box = card.get_by_role("button", name="Move to").bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44

    # Move to opens as a bottom sheet with only the allowed steps
    card.get_by_role("button", name="Move to").tap()
    sheet = page.get_by_role("menu")
    expect(sheet.get_by_role("menuitem", name="Qualification")).to_be_visible()
    expect(sheet.get_by_role("menuitem", name="Closed Won")).to_have_count(0)
    sheet_box = sheet.bounding_box()
    viewport = page.viewport_size
    assert sheet_box is not None and viewport is not None
    assert abs(sheet_box["y"] + sheet_box["height"] - viewport["height"]) <= 2  # at the bottom
    screenshot(page, f"phone-move-sheet-{device.replace(' ', '-')}")
    sheet.get_by_role("menuitem", name="Qualification").tap()
    expect(page.get_by_text(f'"{name}" moved to Qualification.')).to_be_visible()
    tabs.get_by_role("tab", name="Qualification").tap()
    expect(qualification.get_by_role("article", name=name)).to_be_visible()
    expect(prospecting).to_be_hidden()
    # a swipe across the board goes to the next step, and back
    _swipe(page, -200)
    expect(tabs.get_by_role("tab", name="Proposal")).to_have_attribute("aria-selected", "true")
    expect(qualification).to_be_hidden()
    _swipe(page, 200)
    expect(qualification.get_by_role("article", name=name)).to_be_visible()
    _no_sideways_scroll(page)
    screenshot(page, f"phone-board-{device.replace(' ', '-')}")
    assert_accessible(page, f"the deals board on {device}")


# Each page, and the text that shows its content has loaded (a row of its table where the
# demo data has some).
PAGES = [
    ("/", "My work"),
    ("/leads", "Leads"),
    ("/tickets", "Tickets"),
    ("/analytics", "Time in step"),
    ("/admin/wfm/statuses", "Closed Won"),
    ("/admin/wfm/workflows", "Standard Sales Process"),
    ("/admin/wfm/project-types", "Support Ticket"),
    ("/admin/wfm/fields", "Custom Fields"),
    ("/admin/wfm/kinds", "Ticket"),
    ("/admin/wfm/calendars", "Calendars"),
    ("/admin/wfm/webhooks", "Webhooks"),
    ("/admin/wfm/health", "Health"),
]


def test_every_page_fits_a_360_px_phone(phone_as):
    page = phone_as("admin", "Galaxy S8")  # 360 x 740
    wider = []
    for path, loaded in PAGES:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_text(loaded, exact=True).filter(visible=True).first).to_be_visible()
        if path.startswith("/admin/wfm/") and path != "/admin/wfm/health":
            listed = page.get_by_role("table").or_(page.get_by_text(re.compile(r"^No .* yet")))
            expect(listed.first).to_be_visible()
        page.wait_for_load_state("networkidle")
        extra = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if extra > 0:
            wider.append(f"{path}: {extra}px")
        screenshot(page, "phone-360" + path.replace("/", "-").rstrip("-"))
    page.goto("/deals")
    page.get_by_role("button", name="New deal").tap()
    dialog = page.get_by_role("dialog")
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    screenshot(page, "phone-new-deal-form")
    assert not wider, "wider than the screen: " + ", ".join(wider)


def _within_screen(page: Page, dialog) -> None:
    box, viewport = dialog.bounding_box(), page.viewport_size
    assert box is not None and viewport is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]


@pytest.mark.parametrize("device", PHONES)
def test_complete_to_move_and_the_card_detail_on_a_phone(phone_as, device):
    page = phone_as("alice", device)
    page.goto("/deals")
    name = f"Phone detail {uuid.uuid4().hex[:6]}"
    page.get_by_role("button", name="New deal").tap()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_role("button", name="Create").tap()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Filters").tap()
    page.get_by_label("Search", exact=True).fill(name)
    tabs = page.get_by_role("tablist", name="Steps")
    for step in ("Qualification", "Proposal"):  # Proposal needs an expected close date
        region = page.get_by_role("region", name=step, exact=True)
        page.get_by_role("article", name=name).get_by_role("button", name="Move to").tap()
        page.get_by_role("menu").get_by_role("menuitem", name=step).tap()
        if step == "Proposal":
            ask = page.get_by_role("dialog", name="Complete to move")
            expect(ask.get_by_text("Expected close date is required").first).to_be_visible()
            _within_screen(page, ask)
            screenshot(page, f"phone-complete-to-move-{device.replace(' ', '-')}")
            ask.get_by_label("Expected close date").fill("2027-05-31")
            ask.get_by_role("button", name="Move").tap()
            expect(ask).to_be_hidden()
        tabs.get_by_role("tab", name=step).tap()
        expect(region.get_by_role("article", name=name)).to_be_visible()
    page.get_by_role("button", name=name).tap()
    detail = page.get_by_role("dialog", name=name)
    expect(detail.get_by_role("list", name="History")).to_be_visible()
    _within_screen(page, detail)
    _no_sideways_scroll(page)
    screenshot(page, f"phone-card-detail-{device.replace(' ', '-')}")


def test_a_tablet_keeps_the_desktop_board(phone_as):
    page = phone_as("alice", "iPad Mini")  # 768 x 1024, touch
    page.goto("/deals")
    expect(page.get_by_role("region", name="Prospecting", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Qualification", exact=True)).to_be_visible()
    expect(page.get_by_role("tablist", name="Steps")).to_be_hidden()
    expect(page.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_in_viewport()
    _no_sideways_scroll(page)
    screenshot(page, "tablet-board")
