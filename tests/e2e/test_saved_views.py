"""Saved views: a manager saves the board's search and owner filter as a published view;
its link opens the same board in another browser (another person); an unpublished view's
link opens nothing for others; a default view opens the board; changing a filter leaves
the view (and the address stops naming it)."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import new_deal, screenshot


def _save_view(page: Page, name: str, *, publish: bool = False) -> str:
    page.get_by_role("button", name="Save view").click()
    dialog = page.get_by_role("dialog", name="Save view")
    dialog.get_by_label("Name", exact=True).fill(name)
    if publish:
        dialog.get_by_label("Publish to everyone").check()
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(f'Saved the view "{name}".')).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]view=[0-9a-f-]{36}"))
    return page.url


def test_a_saved_view_opens_by_link_in_another_browser(page_as):
    tag = uuid.uuid4().hex[:6]
    manager = page_as("manager")
    manager.goto("/deals")
    for name in (f"Kept {tag} one", f"Kept {tag} two"):
        new_deal(manager, name)
    manager.get_by_label("Search", exact=True).fill(f"Kept {tag}")
    manager.get_by_label("Owner").select_option(label="Max Manager")
    expect(manager.get_by_role("article")).to_have_count(2)
    shared = _save_view(manager, f"Team view {tag}", publish=True)
    screenshot(manager, "saved-view-saved")

    admin = page_as("admin")  # another person, another browser context
    admin.goto(shared)
    expect(admin.get_by_label("Search", exact=True)).to_have_value(f"Kept {tag}")
    expect(admin.get_by_label("Owner")).to_have_value(re.compile(r".+"))
    expect(admin.get_by_role("article")).to_have_count(2)
    expect(admin.get_by_label("View", exact=True)).to_contain_text(f"Team view {tag} (shared)")
    screenshot(admin, "saved-view-opened-by-link")
    admin.get_by_role("button", name="Make default").click()
    expect(admin.get_by_text(f'This board now opens with "Team view {tag}".')).to_be_visible()
    # changing a filter leaves the view: the address no longer names it
    admin.get_by_label("Search", exact=True).fill(f"Kept {tag} one")
    expect(admin.get_by_role("article")).to_have_count(1)
    expect(admin).not_to_have_url(re.compile(r"view="))

    again = page_as("admin")  # a new tab of the same person opens with the default
    again.goto("/deals")
    expect(again.get_by_label("Search", exact=True)).to_have_value(f"Kept {tag}")
    expect(again.get_by_role("article")).to_have_count(2)
    # a manager (here the admin) may delete a published view; nobody's board opens with it
    again.get_by_role("button", name="Delete view").click()
    expect(again.get_by_text("The view was deleted.")).to_be_visible()
    expect(again).not_to_have_url(re.compile(r"view="))

    private = _save_view(manager, f"Just mine {tag}")
    bob = page_as("bob")
    bob.goto(private)
    refusal = "This saved view does not exist or is not shared with you."
    expect(bob.get_by_text(refusal)).to_be_visible()
    expect(bob.get_by_label("Search", exact=True)).to_have_value("")
    screenshot(bob, "saved-view-not-shared")
