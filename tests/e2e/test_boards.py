"""Issue 5: kanban boards with real mouse drags, the Move to menu, forms and visibility."""

import csv
import re
import uuid

from playwright.sync_api import Locator, Page, expect

from tests.app_fixtures import new_deal, screenshot


def _tag() -> str:
    return uuid.uuid4().hex[:6]


def _column(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name=name, exact=True)


def _total(column: Locator) -> int:
    text = column.get_by_text(re.compile(r"^Total USD")).inner_text()
    return int(re.sub(r"[^\d]", "", text))


def _new_deal(page: Page, name: str, amount: str) -> None:
    new_deal(page, name, amount)
    expect(_column(page, "Prospecting").get_by_role("article", name=name)).to_be_visible()


def test_member_drags_a_card_along_allowed_transitions_only(page_as):
    page = page_as("alice")
    page.goto("/deals")
    name = f"Drag test {_tag()}"
    _new_deal(page, name, "10000")
    prospecting, qualification = _column(page, "Prospecting"), _column(page, "Qualification")
    before = _total(qualification)

    prospecting.get_by_role("article", name=name).drag_to(qualification)
    expect(qualification.get_by_role("article", name=name)).to_be_visible()
    expect(prospecting.get_by_role("article", name=name)).to_have_count(0)
    expect(qualification.get_by_text(re.compile(r"^Total USD"))).to_have_text(
        f"Total USD {before + 10000:,}"
    )
    page.reload()
    expect(_column(page, "Qualification").get_by_role("article", name=name)).to_be_visible()

    # A drop with no transition puts nothing anywhere and names where it may go.
    qualification = _column(page, "Qualification")
    qualification.get_by_role("article", name=name).drag_to(_column(page, "Closed Won"))
    alert = page.get_by_role("alert").filter(has_text="was not moved")
    expect(alert).to_contain_text('No transition from "Qualification" to "Closed Won"')
    expect(alert).to_contain_text('"Prospecting", "Proposal", "Closed Lost"')
    expect(qualification.get_by_role("article", name=name)).to_be_visible()
    screenshot(page, "board-refused-drop")

    # The card's detail shows where it is, where it may go, and its history.
    qualification.get_by_role("button", name=name).click()
    detail = page.get_by_role("dialog", name=name)
    expect(detail.get_by_text("Current step:")).to_contain_text("Qualification")
    expect(detail.get_by_role("button", name="Move to Proposal")).to_be_visible()
    expect(detail.get_by_role("list", name="History")).to_contain_text(
        "Prospecting → Qualification by Alice Member"
    )
    screenshot(page, "board-card-detail")
    detail.get_by_role("button", name="Close", exact=True).click()
    expect(detail).to_be_hidden()


def test_move_to_menu_offers_only_allowed_steps(page_as):
    page = page_as("alice")
    page.goto("/deals")
    name = f"Menu test {_tag()}"
    _new_deal(page, name, "2000")
    card = _column(page, "Prospecting").get_by_role("article", name=name)
    card.get_by_role("button", name="Move to").click()
    items = page.get_by_role("menuitem")
    expect(items).to_have_text(["Qualification", "Closed Lost"])
    items.filter(has_text="Qualification").click()
    card = _column(page, "Qualification").get_by_role("article", name=name)
    expect(card).to_be_visible()
    card.get_by_role("button", name="Move to").click()
    expect(page.get_by_role("menuitem")).to_have_text(["Prospecting", "Proposal", "Closed Lost"])
    page.get_by_role("menuitem", name="Proposal").click()
    # the seeded process asks for a close date to enter Proposal
    dialog = page.get_by_role("dialog", name="Complete to move")
    dialog.get_by_label("Expected close date").fill("2027-03-31")
    dialog.get_by_role("button", name="Move").click()
    expect(_column(page, "Proposal").get_by_role("article", name=name)).to_be_visible()


def test_new_deal_refuses_bad_input_field_by_field_and_keeps_it(page_as):
    page = page_as("bob")
    page.goto("/deals")
    page.get_by_role("button", name="New deal").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Amount").fill("-5")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.get_by_text("Name is required.", exact=True)).to_be_visible()
    expect(dialog.get_by_text("Amount cannot be negative.", exact=True)).to_be_visible()
    expect(dialog.get_by_label("Amount")).to_have_value("-5")
    dialog.get_by_label("Amount").fill("lots")
    dialog.get_by_role("button", name="Create").click()
    expect(
        dialog.get_by_text("Amount must be a number, such as 12000, 12,000 or 12k.", exact=True)
    ).to_be_visible()
    screenshot(page, "board-new-deal-refused")
    name = f"Good input {_tag()}"
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Amount").fill("2,500")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_be_hidden()
    card = _column(page, "Prospecting").get_by_role("article", name=name)
    expect(card).to_contain_text("USD 2,500")


def test_members_do_not_see_each_others_cards_managers_do(page_as):
    secret = f"Bob only {_tag()}"
    bob = page_as("bob")
    bob.goto("/deals")
    _new_deal(bob, secret, "700")
    alice = page_as("alice")
    alice.goto("/deals")
    alice.get_by_label("Search").fill(secret)
    expect(alice.get_by_role("article")).to_have_count(0)
    expect(alice.get_by_label("Owner")).to_have_count(0)
    manager = page_as("manager")
    manager.goto("/deals")
    manager.get_by_label("Search").fill(secret)
    expect(manager.get_by_role("article", name=secret)).to_be_visible()
    manager.get_by_label("Owner").select_option(label="Alice Member")
    expect(manager.get_by_role("article", name=secret)).to_have_count(0)
    manager.get_by_label("Owner").select_option(label="Bob Member")
    expect(manager.get_by_role("article", name=secret)).to_be_visible()
    # a manager may move anyone's card
    manager.get_by_role("article", name=secret).drag_to(_column(manager, "Qualification"))
    expect(_column(manager, "Qualification").get_by_role("article", name=secret)).to_be_visible()
    screenshot(manager, "board-manager-filtered")


def test_lead_board(page_as):
    page = page_as("alice")
    page.goto("/leads")
    page.get_by_role("button", name="New lead").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(f"Grace {_tag()}")
    dialog.get_by_label("Email").fill("not-an-email")
    dialog.get_by_label("Score").fill("101")
    dialog.get_by_role("button", name="Create").click()
    expect(
        dialog.get_by_text("Enter an email address such as name@example.com.", exact=True)
    ).to_be_visible()
    expect(
        dialog.get_by_text("Score must be a whole number from 0 to 100.", exact=True)
    ).to_be_visible()
    name = dialog.get_by_label("Name", exact=True).input_value()
    dialog.get_by_label("Company").fill("Globex")
    dialog.get_by_label("Email").fill("grace@globex.example.com")
    dialog.get_by_label("Score").fill("80")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_be_hidden()
    card = _column(page, "New Lead").get_by_role("article", name=name)
    expect(card).to_contain_text("Globex · Score 80")
    card.drag_to(_column(page, "Contacted"))
    card = _column(page, "Contacted").get_by_role("article", name=name)
    expect(card).to_be_visible()
    card.get_by_role("button", name="Move to").click()
    page.get_by_role("menuitem", name="Nurturing").click()
    expect(_column(page, "Nurturing").get_by_role("article", name=name)).to_be_visible()
    screenshot(page, "leads-board")


def test_edit_a_deal_from_its_detail(page_as):
    page = page_as("alice")
    page.goto("/deals")
    name = f"Edit me {_tag()}"
    _new_deal(page, name, "1000")
    prospecting = _column(page, "Prospecting")
    before = _total(prospecting)
    prospecting.get_by_role("button", name=name).click()
    detail = page.get_by_role("dialog", name=name)
    # each field is edited in place: Enter saves, a refusal shows beside it
    detail.get_by_role("button", name="Amount: USD 1,000 (edit)").click()
    amount = detail.get_by_label("Amount", exact=True)
    expect(amount).to_be_focused()
    amount.fill("-1")
    amount.press("Enter")
    expect(detail.get_by_text("Amount cannot be negative.", exact=True)).to_be_visible()
    expect(amount).to_have_value("-1")
    amount.fill("12k")  # as people type amounts
    amount.press("Enter")
    expect(detail.get_by_role("button", name="Amount: USD 12,000 (edit)")).to_be_visible()
    # Escape leaves a field as it was, and the card open
    detail.get_by_role("button", name="Currency: USD (edit)").click()
    currency = detail.get_by_label("Currency", exact=True)  # ISO 4217 codes, a list
    currency.select_option("GBP")
    currency.press("Escape")
    expect(currency).to_have_count(0)
    expect(detail.get_by_role("button", name="Currency: USD (edit)")).to_be_visible()
    detail.get_by_role("button", name="Currency: USD (edit)").click()
    currency.select_option("")
    detail.get_by_role("button", name="Save", exact=True).click()
    expect(detail.get_by_text("Currency is required.", exact=True)).to_be_visible()
    currency.select_option("EUR")
    detail.get_by_role("button", name="Save", exact=True).click()
    expect(detail.get_by_text("Amount: EUR 12,000")).to_be_visible()
    screenshot(page, "card-inline-edit")
    detail.get_by_role("button", name="Close", exact=True).click()
    card = prospecting.get_by_role("article", name=name)
    expect(card).to_contain_text("EUR 12,000")
    expect(prospecting.get_by_text(re.compile(r"^Total USD"))).to_have_text(
        f"Total USD {before + 11000:,}"
    )


def test_delete_a_deal_after_confirming(page_as):
    page = page_as("bob")
    page.goto("/deals")
    name = f"Short-lived {_tag()}"
    _new_deal(page, name, "300")
    prospecting = _column(page, "Prospecting")
    count = prospecting.get_by_label("Cards in column")
    before = int(count.inner_text())
    prospecting.get_by_role("button", name=name).click()
    page.get_by_role("dialog", name=name).get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("cannot be undone")
    confirm.get_by_role("button", name="Delete for good").click()
    expect(prospecting.get_by_role("article", name=name)).to_have_count(0)
    expect(count).to_have_text(str(before - 1))
    page.reload()
    expect(_column(page, "Prospecting").get_by_role("article", name=name)).to_have_count(0)


def test_export_csv_holds_every_card_the_filters_keep(page_as, tmp_path):
    page = page_as("alice")
    page.goto("/deals")
    tag = _tag()
    names = [f"Export {tag} {n}" for n in ("one", "two")]
    for name in names:
        _new_deal(page, name, "4200")
    page.get_by_label("Search", exact=True).fill(f"export {tag}")
    expect(_column(page, "Prospecting").get_by_role("article")).to_have_count(2)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    assert download.value.suggested_filename.startswith("deals-")
    saved = tmp_path / "deals.csv"
    download.value.save_as(saved)
    with saved.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert sorted(row["Name"] for row in rows) == names
    assert {(row["Amount"], row["Step"], row["Owner"]) for row in rows} == {
        ("4200.00", "Prospecting", "Alice Member")
    }
    screenshot(page, "board-export-csv")
