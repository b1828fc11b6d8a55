"""The organization's default currency (issue 33.6): an admin picks it beside the custom
fields; New deal then offers it first and preselected."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.app_fixtures import screenshot


def _pick(page, code: str) -> None:
    page.goto("/admin/wfm/fields")
    page.get_by_label("Default currency").select_option(code)
    expect(page.get_by_text(f"New deals start in {code}")).to_be_visible()


def test_new_deals_start_in_the_organizations_currency(page_as):
    admin = page_as("admin")
    _pick(admin, "EUR")
    screenshot(admin, "default-currency")
    try:
        admin.goto("/deals")
        admin.get_by_role("button", name="New deal").click()
        dialog = admin.get_by_role("dialog")
        currency = dialog.get_by_label("Currency", exact=True)
        expect(currency).to_have_value("EUR")
        expect(currency.locator("option").nth(1)).to_have_text("EUR")  # after "Choose…"
        name = f"Euro deal {uuid.uuid4().hex[:6]}"
        dialog.get_by_label("Name", exact=True).fill(name)
        dialog.get_by_label("Amount").fill("12k")
        dialog.get_by_role("button", name="Create").click()
        expect(dialog).to_be_hidden()
        expect(admin.get_by_role("article", name=name)).to_contain_text("EUR 12,000")
    finally:
        _pick(admin, "USD")
