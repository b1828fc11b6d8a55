"""Issue 30.3: "Select" on a board, then act on the selected cards: a bulk move where
some cards are refused says which and why, and the refused stay selected."""

import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot


def _new_deal(page: Page, name: str, closing: str | None) -> None:
    page.get_by_role("button", name="New deal").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Amount").fill("1000")
    if closing:
        dialog.get_by_label("Expected close date").fill(closing)
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_be_hidden()


def test_a_bulk_move_moves_what_it_may_and_says_why_not_for_the_rest(page_as):
    page = page_as("alice")
    page.goto("/deals")
    tag = uuid.uuid4().hex[:6]
    names = {n: f"Bulk {tag} {n}" for n in ("Acme", "Globex", "Initech")}
    for key, name in names.items():
        _new_deal(page, name, None if key == "Initech" else "2027-03-01")
    page.get_by_label("Search", exact=True).fill(f"bulk {tag}")
    prospecting = page.get_by_role("region", name="Prospecting", exact=True)
    expect(prospecting.get_by_role("article")).to_have_count(3)

    page.get_by_role("button", name="Select", exact=True).click()
    bar = page.get_by_role("toolbar", name="Selected cards")
    prospecting.get_by_role("button", name="Select all in Prospecting").click()
    expect(bar.get_by_role("status")).to_have_text("3 selected")
    bar.get_by_role("button", name="Move selected to").click()
    page.get_by_role("menuitem", name="Qualification").click()
    expect(page.get_by_text("3 moved.")).to_be_visible()
    qualification = page.get_by_role("region", name="Qualification", exact=True)
    expect(qualification.get_by_role("article")).to_have_count(3)
    expect(bar.get_by_role("status")).to_have_text("0 selected")

    for name in names.values():
        qualification.get_by_role("checkbox", name=f"Select {name}").click()
    expect(bar.get_by_role("status")).to_have_text("3 selected")
    bar.get_by_role("button", name="Move selected to").click()
    page.get_by_role("menuitem", name="Proposal").click()
    said = page.get_by_text("2 moved; 1 not moved:")
    expect(said).to_be_visible()
    expect(said).to_contain_text(f"({names['Initech']})")
    proposal = page.get_by_role("region", name="Proposal", exact=True)
    expect(proposal.get_by_role("article")).to_have_count(2)
    expect(qualification.get_by_role("article", name=names["Initech"])).to_be_visible()
    # the refused card stays selected, ready for another try
    expect(bar.get_by_role("status")).to_have_text("1 selected")
    expect(qualification.get_by_role("checkbox", name=f"Select {names['Initech']}")).to_be_checked()
    screenshot(page, "board-bulk-move")


def test_undo_a_move_from_its_toast_and_with_ctrl_z(page_as):
    page = page_as("alice")
    page.goto("/deals")
    tag = uuid.uuid4().hex[:6]
    name = f"Undo {tag}"
    _new_deal(page, name, "2027-03-01")
    prospecting = page.get_by_role("region", name="Prospecting", exact=True)
    qualification = page.get_by_role("region", name="Qualification", exact=True)

    prospecting.get_by_role("article", name=name).get_by_role("button", name="Move to").click()
    page.get_by_role("menuitem", name="Qualification").click()
    expect(qualification.get_by_role("article", name=name)).to_be_visible()
    page.get_by_role("button", name="Undo", exact=True).click()
    expect(page.get_by_text(f'"{name}" moved back.')).to_be_visible()
    expect(prospecting.get_by_role("article", name=name)).to_be_visible()
    screenshot(page, "board-undo-move")

    # again, then Ctrl+Z (focus on the page, not in a field)
    prospecting.get_by_role("article", name=name).get_by_role("button", name="Move to").click()
    page.get_by_role("menuitem", name="Qualification").click()
    expect(qualification.get_by_role("article", name=name)).to_be_visible()
    page.get_by_role("heading", name="Deals", exact=True).click()
    page.keyboard.press("Control+z")
    expect(prospecting.get_by_role("article", name=name)).to_be_visible()
    prospecting.get_by_role("button", name=name).click()
    history = page.get_by_role("dialog", name=name).get_by_role("list", name="History")
    expect(history).to_contain_text("undo of the move before")


def test_undo_a_bulk_move(page_as):
    page = page_as("alice")
    page.goto("/deals")
    tag = uuid.uuid4().hex[:6]
    for n in ("one", "two"):
        _new_deal(page, f"Batch {tag} {n}", "2027-03-01")
    page.get_by_label("Search", exact=True).fill(f"batch {tag}")
    prospecting = page.get_by_role("region", name="Prospecting", exact=True)
    expect(prospecting.get_by_role("article")).to_have_count(2)
    page.get_by_role("button", name="Select", exact=True).click()
    prospecting.get_by_role("button", name="Select all in Prospecting").click()
    page.get_by_role("toolbar", name="Selected cards").get_by_role(
        "button", name="Move selected to"
    ).click()
    page.get_by_role("menuitem", name="Qualification").click()
    expect(page.get_by_text("2 moved.")).to_be_visible()
    page.get_by_role("button", name="Undo", exact=True).click()
    expect(page.get_by_text("2 moved back.")).to_be_visible()
    expect(prospecting.get_by_role("article")).to_have_count(2)
    screenshot(page, "board-undo-bulk")


def _undo_restores_step(page: Page, on: bool) -> None:
    """The admin's setting on the Standard Sales Process (Admin, Workflows, the editor)."""
    page.goto("/admin/wfm/workflows")
    page.get_by_role("link", name="Standard Sales Process").click()
    page.get_by_text("Rename or describe this workflow").click()
    # the editor's values arrive after the page: saving before them sends an empty name
    expect(page.get_by_label("Workflow name")).to_have_value("Standard Sales Process")
    page.get_by_label("Undo restores the exact previous step").set_checked(on)
    page.get_by_role("button", name="Save workflow").click()
    expect(page.get_by_text("Workflow saved.")).to_be_visible()


def test_undo_restores_the_exact_step_where_the_admin_allows_it(page_as):
    page = page_as("admin")
    _undo_restores_step(page, True)
    try:
        page.goto("/deals")
        name = f"Lost by mistake {uuid.uuid4().hex[:6]}"
        _new_deal(page, name, None)
        prospecting = page.get_by_role("region", name="Prospecting", exact=True)
        card = prospecting.get_by_role("article", name=name)
        card.get_by_role("button", name="Move to").click()
        page.get_by_role("menuitem", name="Closed Lost").click()
        ask = page.get_by_role("dialog", name="Complete to move")
        ask.get_by_label("Reason").fill("Clicked the wrong step")
        ask.get_by_role("button", name="Move").click()
        lost = page.get_by_role("region", name="Closed Lost", exact=True)
        expect(lost.get_by_role("article", name=name)).to_be_visible()
        # no transition leads back from a final step: the workflow's setting is the way
        page.get_by_role("button", name="Undo", exact=True).click()
        expect(page.get_by_text(f'"{name}" moved back.')).to_be_visible()
        expect(prospecting.get_by_role("article", name=name)).to_be_visible()
        screenshot(page, "board-undo-restores-step")
    finally:
        _undo_restores_step(page, False)
