"""Business calendars, as an admin works with them: make one (a mistake first, refused
beside its field with nothing lost), give it to the support workflow, and see the SLA
badges and the analytics count business hours."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot


def _support_calendar(page: Page, label: str) -> None:
    page.goto("/admin/wfm/workflows")
    page.get_by_role("link", name="Support Process").click()
    page.get_by_text("Rename or describe this workflow").click()
    # the editor's values arrive after the page: saving before them sends an empty name
    expect(page.get_by_label("Workflow name")).to_have_value("Support Process")
    page.get_by_label("Business calendar", exact=True).select_option(label=label)
    page.get_by_role("button", name="Save workflow").click()
    expect(page.get_by_text("Workflow saved.")).to_be_visible()


def test_an_admin_makes_a_calendar_and_the_support_sla_counts_business_hours(page_as):
    page = page_as("admin")
    name = f"Support desk {uuid.uuid4().hex[:6]}"
    page.goto("/admin/wfm/calendars")
    expect(page.get_by_role("heading", name="Calendars", level=1)).to_be_visible()
    page.get_by_role("button", name="New calendar").click()
    dialog = page.get_by_role("dialog", name="New calendar")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Time zone").fill("Europe/Berlin")
    expect(dialog.get_by_label("Tuesday hours")).to_have_value("09:00-17:00")  # a start
    dialog.get_by_label("Monday hours").fill("9-5")
    dialog.get_by_label("Public holidays of").select_option(label="Germany")
    dialog.get_by_label("Own holidays").fill("2026-12-24")
    dialog.get_by_role("button", name="Save").click()
    refused = 'Monday: write hours as "09:00-17:00", not "9-5".'
    expect(dialog.get_by_text(refused, exact=True)).to_be_visible()  # beside its field
    expect(dialog.get_by_label("Name")).to_have_value(name)  # nothing lost
    screenshot(page, "calendar-refused")
    dialog.get_by_label("Monday hours").fill("09:00-12:00, 13:00-17:00")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f'Calendar "{name}" saved.')).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))
    expect(row).to_contain_text("Mon 09:00-12:00, 13:00-17:00; Tue to Fri 09:00-17:00")
    expect(row).to_contain_text("39 h a week")
    expect(row).to_contain_text("Germany + 1 own date")
    expect(row).to_contain_text("No workflow yet")
    screenshot(page, "calendars")

    _support_calendar(page, name)
    try:
        expect(page.get_by_text(f"count business hours on {name}.")).to_be_visible()
        screenshot(page, "workflow-calendar")
        # the demo's tickets waiting in New for days are past 8 working hours
        page.goto("/tickets")
        badge = page.get_by_text(re.compile(r"^SLA breached · \d+ business hours$"))
        expect(badge.first).to_be_visible()
        screenshot(page, "tickets-business-hours")
        page.goto("/analytics")
        page.get_by_label("Workflow").select_option(label="Support Process")
        times = page.get_by_role("region", name="Time in step", exact=True)
        new = times.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name="New", exact=True)
        )
        expect(new.get_by_role("cell").last).to_have_text("business hours")
        screenshot(page, "analytics-business-hours")
        page.goto("/admin/wfm/calendars")
        expect(row).to_contain_text("Support Process")
        row.get_by_role("button", name="Archive").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Archive").click()
        expect(page.get_by_role("alert")).to_contain_text("Support Process counts time")
    finally:
        _support_calendar(page, "None: every hour counts")
    page.goto("/admin/wfm/calendars")
    row.get_by_role("button", name="Archive").click()
    question = page.get_by_role("alertdialog", name=f"Archive “{name}”?")
    expect(question).to_contain_text("Workflows and steps can no longer pick it")
    question.get_by_role("button", name="Archive").click()
    expect(page.get_by_text(f'Calendar "{name}" archived.')).to_be_visible()
