"""Issue 18: axe-core on every page and dialog, as a member and as an admin (serious or
critical findings fail), and a keyboard-only walk of "Move to" checking where focus is."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible

DIALOG = "[role=dialog]"


def _dialog(page: Page, opener: str, what: str, *, name: str | None = None) -> None:
    """Open a dialog with the button ``opener``, check it, close it with Escape."""
    page.get_by_role("button", name=opener, exact=True).first.click()
    dialog = page.get_by_role("dialog", name=name) if name else page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    assert_accessible(page, what, DIALOG)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def _board(page: Page, path: str, noun: str) -> None:
    page.goto(path)
    expect(page.get_by_role("region", name="Prospecting").or_(page.get_by_role("region").first))
    expect(page.get_by_role("button", name=f"New {noun}")).to_be_visible()
    expect(page.get_by_role("article").first).to_be_visible()
    assert_accessible(page, path)
    _dialog(page, f"New {noun}", f"{path}: New {noun}")
    page.get_by_role("article").first.get_by_role("button").first.click()
    detail = page.get_by_role("dialog")
    expect(detail.get_by_role("heading", name="History")).to_be_visible()
    assert_accessible(page, f"{path}: card detail", DIALOG)
    page.keyboard.press("Escape")
    expect(detail).to_be_hidden()


def _common(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    assert_accessible(page, "/")
    page.get_by_role("button", name="Notifications").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert_accessible(page, "notifications", DIALOG)
    page.keyboard.press("Escape")
    _board(page, "/deals", "deal")
    _board(page, "/leads", "lead")
    _board(page, "/tickets", "ticket")
    # a card waiting on approvals (its detail's Approvals section) and "Complete to move"
    page.goto("/deals")
    waiting = page.get_by_role("region", name="Contract Sent", exact=True).get_by_role("article")
    waiting.first.get_by_role("button").first.click()
    expect(page.get_by_role("dialog").get_by_role("heading", name="Approvals")).to_be_visible()
    assert_accessible(page, "/deals: card detail with approvals", DIALOG)
    page.keyboard.press("Escape")
    qualification = page.get_by_role("region", name="Qualification", exact=True)
    qualification.get_by_role("article").first.get_by_role("button", name="Move to").click()
    page.get_by_role("menuitem", name="Closed Lost").click()  # asks for a reason
    expect(page.get_by_role("dialog", name="Complete to move")).to_be_visible()
    assert_accessible(page, "/deals: Complete to move", DIALOG)
    page.keyboard.press("Escape")
    page.goto("/analytics")
    expect(page.get_by_role("heading", name="Funnel")).to_be_visible()
    assert_accessible(page, "/analytics")


def test_every_page_and_dialog_as_a_member(page_as):
    _common(page_as("alice"))


def test_every_page_and_dialog_as_an_admin(page_as, gql):
    admin = page_as("admin")
    _common(admin)
    for path, new in (
        ("/admin/wfm/statuses", "New status"),
        ("/admin/wfm/project-types", "New project type"),
        ("/admin/wfm/fields", "New field"),
        ("/admin/wfm/workflows", "New workflow"),
    ):
        admin.goto(path)
        expect(admin.get_by_role("button", name=new)).to_be_visible()
        assert_accessible(admin, path)
        _dialog(admin, new, f"{path}: {new}")
    _dialog(admin, "Import", "/admin/wfm/workflows: Import")
    admin.goto("/admin/wfm/webhooks")
    expect(admin.get_by_role("heading", name="Webhooks").first).to_be_visible()
    assert_accessible(admin, "/admin/wfm/webhooks")

    workflows = gql("admin", "{ wfmWorkflows { id name } }")["data"]["wfmWorkflows"]
    sales = next(w for w in workflows if w["name"] == "Standard Sales Process")
    admin.goto(f"/admin/wfm/workflows/{sales['id']}")
    expect(admin.get_by_role("heading", name="Parallel branches")).to_be_visible()
    assert_accessible(admin, "workflow editor")
    _dialog(admin, "Edit", "workflow editor: Edit step")
    _dialog(admin, "Edit conditions", "workflow editor: Edit conditions")
    _dialog(admin, "New rule", "workflow editor: New rule")
    # the demo's cards are on it: reshaping asks first (Escape: nothing changes)
    question = "Change a workflow cards are on?"
    _dialog(admin, "Move down", "workflow editor: a live version's question", name=question)


CREATE = "mutation($n: String!) { createDeal(input: {name: $n}) { id } }"


def _focused_name(page: Page) -> str:
    return str(
        page.evaluate(
            "() => { const e = document.activeElement; return e ? "
            "(e.getAttribute('aria-label') || e.textContent || e.tagName).trim() : '' }"
        )
    )


def test_a_keyboard_user_moves_a_card_and_focus_follows_it(page_as, gql):
    name = f"Keys {uuid.uuid4().hex[:6]}"
    gql("alice", CREATE, n=name)
    page = page_as("alice")
    page.goto("/deals")
    expect(page.get_by_role("article", name=name)).to_be_visible()
    # the skip link is the first stop and lands on the board
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the board")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#board")).to_be_focused()

    card = page.get_by_role("region", name="Prospecting", exact=True).get_by_role(
        "article", name=name
    )
    card.get_by_role("button", name="Move to").focus()
    page.keyboard.press("Enter")
    # the menu opens on its first item: Qualification
    expect(page.get_by_role("menuitem", name="Qualification")).to_be_focused()
    page.keyboard.press("Enter")
    moved = page.get_by_role("region", name="Qualification", exact=True).get_by_role(
        "article", name=name
    )
    expect(moved).to_be_visible()
    # focus is on the moved card, in its new column: Enter opens it, not another card
    expect(moved.get_by_role("button", name=name)).to_be_focused()

    page.keyboard.press("Enter")
    detail = page.get_by_role("dialog", name=name)
    expect(detail).to_be_visible()
    detail.get_by_role("button", name="Move to Prospecting").focus()
    page.keyboard.press("Enter")
    expect(detail).to_contain_text("Current step: Prospecting")
    # not on another "Move to" button: a second Enter must not move it again
    expect(detail.get_by_text("Current step:")).to_be_focused()
    page.keyboard.press("Escape")
    expect(detail).to_be_hidden()
    # the dialog gives focus back to what opened it: the card, in its new column
    back = page.get_by_role("region", name="Prospecting", exact=True).get_by_role(
        "article", name=name
    )
    expect(back.get_by_role("button", name=name)).to_be_focused()

    # a refused form focuses its first invalid field
    page.get_by_role("button", name="New deal").click()
    form = page.get_by_role("dialog", name="New deal")
    form.get_by_role("button", name="Create").click()
    expect(form.get_by_label("Name", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="New deal")).to_be_focused()


def test_a_refused_drop_is_said_once_and_a_drop_target_shows_while_dragging(page_as, gql):
    name = f"Refused {uuid.uuid4().hex[:6]}"
    gql("alice", CREATE, n=name)
    page = page_as("alice")
    page.goto("/deals")
    prospecting = page.get_by_role("region", name="Prospecting", exact=True)
    card = prospecting.get_by_role("article", name=name)
    expect(card).to_be_visible()

    # while a card is dragged over a column, the column says so visibly
    won = page.locator("[data-drag-over]").filter(has=page.get_by_role("region", name="Closed Won"))
    won.dispatch_event("dragover", {"dataTransfer": page.evaluate_handle("new DataTransfer()")})
    expect(won).to_have_attribute("data-drag-over", "true")
    section = won.get_by_role("region", name="Closed Won")
    assert section.evaluate("e => getComputedStyle(e).outlineStyle") == "dashed"
    won.dispatch_event("dragleave")
    expect(won).to_have_attribute("data-drag-over", "false")

    card.drag_to(page.get_by_role("region", name="Closed Won", exact=True))
    alert = page.get_by_role("alert")
    expect(alert).to_have_count(1)  # one announcement: no toast beside it
    expect(alert).to_contain_text(f'"{name}" was not moved. No transition from "Prospecting"')
    expect(page.locator("[data-sonner-toast]")).to_have_count(0)
    alert.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_role("alert")).to_have_count(0)

    # a success toast reads at AA contrast
    card.get_by_role("button", name="Move to").click()
    page.get_by_role("menuitem", name="Qualification").click()
    expect(page.locator("[data-sonner-toast]").first).to_contain_text("moved to Qualification")
    assert_accessible(page, "a toast", "[data-sonner-toaster]")
