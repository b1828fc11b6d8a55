"""Import on a board (issue 32.1): a Jira-shaped CSV uploaded, its columns mapped by the
preset, a dry run listing the rows that would fail and why, only the valid rows imported
with a progress bar, the cards on their steps; members see no Import."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.sync_api import expect

from tests.app_fixtures import screenshot

JIRA = Path(__file__).parent.parent / "data" / "jira-issues.csv"


def _tagged_file(tmp_path: Path) -> tuple[Path, str]:
    """The test's Jira export with its own issue keys and summaries (the app's database
    is shared by the session: a second run must not find the first one's cards)."""
    tag = uuid.uuid4().hex[:6]
    text = JIRA.read_text().replace("SUP-", f"S{tag}-").replace("Printer on fire", f"Printer {tag}")
    path = tmp_path / f"jira-{tag}.csv"
    path.write_text(text.replace("VPN drops", f"VPN {tag}"))
    return path, tag


def test_a_jira_export_imported_on_the_tickets_board(page_as, tmp_path):
    path, tag = _tagged_file(tmp_path)
    page = page_as("manager")
    page.goto("/tickets")
    page.get_by_role("button", name="Import", exact=True).click()
    dialog = page.get_by_role("dialog", name="Import Tickets")
    dialog.locator("input[type=file]").set_input_files(str(path))
    dialog.get_by_role("button", name="Upload and preview").click()
    expect(dialog.get_by_text(f"{path.name}: 4 rows")).to_be_visible()
    expect(dialog.get_by_label("Preset")).to_have_value("jira")
    expect(dialog.get_by_label("Summary", exact=True)).to_have_value("name")
    expect(dialog.get_by_label("Status", exact=True)).to_have_value("step")
    dialog.get_by_label("Steps for values (optional)").fill("To Do = New; Done = Closed")
    screenshot(page, "import-mapping")
    dialog.get_by_role("button", name="Dry run").click()

    expect(dialog.get_by_role("status")).to_contain_text("2 of 4 rows can be imported")
    problems = dialog.get_by_role("list", name="Rows that cannot be imported")
    expect(problems).to_contain_text("Line 4: Due date: '31/Feb/26 1:00 PM' is not a date")
    expect(problems).to_contain_text("nobody here has the e-mail or name 'Zed Unknown'")
    screenshot(page, "import-dry-run")
    dialog.get_by_role("radio", name="Only the valid rows").click()
    dialog.get_by_role("button", name="Import", exact=True).click()
    expect(dialog.get_by_role("status")).to_contain_text("Imported 2 new cards", timeout=30_000)
    screenshot(page, "import-done")
    dialog.get_by_role("button", name="Close").click()

    new = page.get_by_role("region", name="New", exact=True)
    expect(new.get_by_role("article", name=f"Printer {tag}")).to_contain_text("Priority urgent")
    progress = page.get_by_role("region", name="In Progress", exact=True)
    expect(progress.get_by_role("article", name=f"VPN {tag}")).to_be_visible()
    new.get_by_role("button", name=f"Printer {tag}").click()
    history = page.get_by_role("list", name="History")
    expect(history).to_contain_text(re.compile(rf"Imported from {path.name}, line 2 onto New"))


def test_members_are_not_offered_import(page_as, phone_as):
    member = page_as("alice")
    member.goto("/tickets")
    expect(member.get_by_role("button", name="New ticket")).to_be_visible()
    expect(member.get_by_role("button", name="Import", exact=True)).to_have_count(0)
    phone = phone_as("manager", "iPhone 13")
    phone.goto("/deals")
    phone.get_by_role("button", name="Filters").click()  # a phone folds the tools there
    phone.get_by_role("button", name="Import", exact=True).click()
    expect(phone.get_by_role("dialog", name="Import Deals")).to_be_visible()
    screenshot(phone, "import-phone")
