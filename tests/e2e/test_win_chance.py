"""The learned win chance in the workflow editor: Learn now says what was learned (or
why nothing was), and the switch for weighted totals is kept."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot
from tests.e2e.test_custom_fields_tickets import deactivate_deal_field

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


PREDICTS = "Predicts the win chance (single choice, yes/no or number)"


def test_an_admin_marks_a_field_as_a_win_predictor(page_as, phone_as, gql):
    page = page_as("admin")
    label = f"Region {uuid.uuid4().hex[:6]}"
    page.goto("/admin/wfm/fields")
    page.get_by_role("button", name="New field").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Entity").select_option(label="Deal")
    dialog.get_by_label("Label").fill(label)
    dialog.get_by_label(PREDICTS).check()  # on a text field: refused beside the box
    dialog.get_by_role("button", name="Save").click()
    refusal = "Only a single choice, a yes/no or a number field can predict the win chance."
    box = dialog.get_by_label(PREDICTS)
    expect(box).to_have_accessible_description(refusal)  # said beside it
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_be_checked()  # nothing lost
    expect(dialog.get_by_label("Label")).to_have_value(label)
    screenshot(page, "win-predictor-refused")
    dialog.get_by_label("Type").select_option(label="Single choice")
    dialog.get_by_label("Options (comma-separated, for choice fields)").fill("EMEA, APAC")
    dialog.get_by_role("button", name="Save").click()
    try:
        expect(dialog).to_be_hidden()
        row = page.get_by_role("row").filter(has_text=label)
        expect(row.get_by_role("cell", name="Predictor", exact=True)).to_be_visible()
        screenshot(page, "win-predictor-listed")
        row.get_by_role("button", name="Edit").click()
        expect(page.get_by_role("dialog").get_by_label(PREDICTS)).to_be_checked()
        page.get_by_role("dialog").get_by_role("button", name="Cancel").click()

        _sales_editor(page)  # the editor says what became of the mark
        page.get_by_role("button", name="Learn now").click()
        expect(page.get_by_text("Win chance learned.")).to_be_visible()
        said = re.compile(
            rf"Not used yet: {label} \(fewer than 10 closed cards with a value\)"
            r"|Not enough closed cards yet"
        )
        expect(page.get_by_text(said)).to_be_visible()
        screenshot(page, "win-predictor-editor-note")

        phone = phone_as("admin", "iPhone 13")
        phone.goto("/admin/wfm/fields")
        phone.get_by_role("row").filter(has_text=label).get_by_role("button", name="Edit").click()
        box = phone.get_by_role("dialog").get_by_label(PREDICTS)
        expect(box).to_be_checked()
        box.scroll_into_view_if_needed()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a 390 px phone"
        phone.screenshot(path=str(screenshot(phone, "win-predictor-phone")))
    finally:
        deactivate_deal_field(gql, label)
