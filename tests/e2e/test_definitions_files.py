"""Issue 15 in the browser: the workflows page's Export and Import (dry run first)."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.app_fixtures import screenshot
from tests.security.test_import_bombs import alias_bomb

STATUSES = "{ wfmStatuses { name color } }"


def test_an_admin_exports_and_imports_definitions_with_a_dry_run_first(page_as, gql, tmp_path):
    page = page_as("admin")
    page.goto("/admin/wfm/workflows")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    saved = tmp_path / "defs.yaml"
    download.value.save_as(saved)
    text = saved.read_text()
    assert download.value.suggested_filename == "wfm-definitions.yaml"
    assert "- name: Standard Sales Process" in text and "automation_rules:" in text

    page.get_by_role("button", name="Import").click()
    dialog = page.get_by_role("dialog", name="Import definitions")
    box = dialog.get_by_label("Definitions (YAML)")
    box.fill("statuses: [unclosed")
    dialog.get_by_role("button", name="Dry run").click()
    expect(dialog.get_by_role("alert")).to_contain_text("not valid YAML")
    expect(dialog.get_by_role("button", name="Import")).to_be_disabled()
    box.fill(alias_bomb(9))  # 10**9 nodes in under a kilobyte: refused as it is read
    dialog.get_by_role("button", name="Dry run").click()
    expect(dialog.get_by_role("alert")).to_contain_text("uses a YAML alias")
    expect(dialog.get_by_role("button", name="Import")).to_be_disabled()

    name = f"Imported {uuid.uuid4().hex[:6]}"
    box.fill(f"statuses:\n- name: {name}\n  color: '#123456'\n")
    dialog.get_by_role("button", name="Dry run").click()
    changes = dialog.get_by_role("list", name="What would change")
    expect(changes).to_contain_text(f'status "{name}" created')
    screenshot(page, "import-dry-run")
    assert name not in str(gql("admin", STATUSES))  # a dry run writes nothing
    dialog.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Definitions imported: 1 change(s).")).to_be_visible()
    assert {"name": name, "color": "#123456"} in gql("admin", STATUSES)["data"]["wfmStatuses"]
