"""Issue 16 in the browser: Legal and Finance approve side by side before "Closed Won"."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot

CREATE = (
    'mutation($n: String!) { createDeal(input: {name: $n, expected_close_date: "2027-01-01"}) '
    "{ id } }"
)
MOVE = (
    "mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s)"
    " { id } }"
)


def _column(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def _deal_on_contract_sent(gql, name: str) -> str:
    workflows = gql("admin", "{ wfmWorkflows { name steps { id status { name } } } }")
    sales = next(
        w for w in workflows["data"]["wfmWorkflows"] if w["name"] == "Standard Sales Process"
    )
    step_id = {s["status"]["name"]: s["id"] for s in sales["steps"]}
    deal = gql("alice", CREATE, n=name)["data"]["createDeal"]["id"]
    for step in ("Qualification", "Proposal", "Negotiation", "Contract Sent"):
        assert "errors" not in gql("alice", MOVE, d=deal, s=step_id[step])
    return deal


def _open(page: Page, name: str):
    page.goto("/deals")
    _column(page, "Contract Sent").get_by_role("button", name=name).click()
    return page.get_by_role("dialog", name=name)


def test_legal_then_finance_approve_before_closed_won(page_as, gql):
    name = f"Contract {uuid.uuid4().hex[:6]}"
    manager = page_as("manager")  # signed in first: roles are known from a sign-in
    _deal_on_contract_sent(gql, name)
    manager.goto("/deals")
    card = _column(manager, "Contract Sent").get_by_role("article", name=name)
    badges = card.get_by_role("list", name="Approvals")
    expect(badges).to_contain_text("Your approval: Legal review")  # the manager's to give
    expect(badges).to_contain_text("Finance approval: pending")
    manager.get_by_role("button", name="Notifications").click()
    notes = manager.get_by_role("dialog", name="Notifications")
    expect(notes).to_contain_text(f'"{name}" waits on your approval: Legal review')
    expect(notes).not_to_contain_text(f'"{name}" waits on your approval: Finance')
    manager.keyboard.press("Escape")
    expect(notes).to_be_hidden()

    # "Waiting on me": the manager's Legal review is, nothing in Prospecting is
    manager.get_by_role("checkbox", name="Waiting on me").click()
    expect(_column(manager, "Contract Sent").get_by_role("article", name=name)).to_be_visible()
    expect(_column(manager, "Prospecting").get_by_role("article")).to_have_count(0)
    manager.get_by_role("checkbox", name="Waiting on me").click()
    expect(_column(manager, "Prospecting").get_by_role("article").first).to_be_visible()

    detail = _open(manager, name)
    legal = detail.get_by_role("region", name="Legal review")
    finance = detail.get_by_role("region", name="Finance approval")
    expect(finance.get_by_role("button", name="Approve")).to_have_count(0)
    expect(finance).to_contain_text("Waiting on Admin")
    legal.get_by_label("Comment (optional)").fill("Clauses checked")
    legal.get_by_role("button", name="Approve").click()
    expect(legal).to_contain_text("Legal review: approved")
    expect(legal).to_contain_text("Max Manager")
    expect(legal).to_contain_text("Clauses checked")
    expect(detail.get_by_role("list", name="History")).to_contain_text(
        "Max Manager approved Legal review"
    )
    screenshot(manager, "approvals-legal-approved")

    # still waiting on Finance: the move is refused with a sentence naming it
    detail.get_by_role("button", name="Move to Closed Won").click()
    alert = manager.get_by_role("alert").filter(has_text="was not moved")
    expect(alert).to_contain_text('"Finance approval" (pending)')
    expect(alert).not_to_contain_text("Legal review")
    screenshot(manager, "approvals-move-refused")
    detail.get_by_role("button", name="Close", exact=True).click()
    expect(detail).to_be_hidden()

    admin = page_as("admin")
    detail = _open(admin, name)
    expect(
        detail.get_by_role("region", name="Legal review").get_by_role("button", name="Approve")
    ).to_have_count(0)
    detail.get_by_role("region", name="Finance approval").get_by_role(
        "button", name="Approve"
    ).click()
    expect(detail.get_by_role("region", name="Finance approval")).to_contain_text(
        "Finance approval: approved"
    )

    # the manager's open board shows Finance's decision without a reload (live updates)
    card = _column(manager, "Contract Sent").get_by_role("article", name=name)
    expect(card.get_by_role("list", name="Approvals")).to_contain_text("Finance approval: approved")
    card.get_by_role("button", name="Move to").click()
    manager.get_by_role("menuitem", name="Closed Won").click()
    expect(_column(manager, "Closed Won").get_by_role("article", name=name)).to_be_visible()
    screenshot(manager, "approvals-won")


def test_an_admin_adds_and_removes_a_branch_in_the_workflow_editor(page_as, gql):
    workflows = gql("admin", "{ wfmWorkflows { id name } }")["data"]["wfmWorkflows"]
    sales = next(w for w in workflows if w["name"] == "Standard Sales Process")
    admin = page_as("admin")
    admin.goto(f"/admin/wfm/workflows/{sales['id']}")
    section = admin.get_by_role("form", name="Add a branch")
    table = admin.get_by_role("table", name="Parallel branches")
    expect(table).to_contain_text("Legal review")
    expect(table).to_contain_text("Finance approval")

    # nobody to approve: refused, naming what is missing, nothing added
    section.get_by_label("On step").select_option(label="Closed Won")
    section.get_by_label("Branch name").fill("Sign-off")
    section.get_by_role("button", name="Add branch").click()
    expect(section.get_by_text("Pick at least one role.")).to_be_visible()
    expect(table).not_to_contain_text("Sign-off")

    section.get_by_label("Admin", exact=True).check()
    section.get_by_label("Merge condition").select_option(label="One of them approving is enough")
    section.get_by_role("button", name="Add branch").click()
    row = table.get_by_role("row").filter(has_text="Sign-off")
    expect(row).to_contain_text("Closed Won")
    expect(row).to_contain_text("One of them approving is enough")
    steps = gql(
        "admin",
        "query($w: ID!) { wfmWorkflow(id: $w) { steps { status { name } branches { name } } } }",
        w=sales["id"],
    )["data"]["wfmWorkflow"]["steps"]
    won = next(s for s in steps if s["status"]["name"] == "Closed Won")
    assert won["branches"] == [{"name": "Sign-off"}]
    screenshot(admin, "workflow-editor-branches")

    row.get_by_role("button", name="Remove branch Sign-off").click()
    expect(table).not_to_contain_text("Sign-off")

    # a refused Legal review can be routed back by a rule on the decision
    admin.get_by_role("button", name="New rule").click()
    dialog = admin.get_by_role("dialog", name="New rule")
    rule = f"Back to negotiation {uuid.uuid4().hex[:6]}"
    dialog.get_by_label("Rule name").fill(rule)
    dialog.get_by_label("When").select_option(label="An approval on a card is refused")
    dialog.get_by_label("Approval").select_option(label="Legal review (Contract Sent)")
    dialog.get_by_label("Then").select_option(label="Move it to a step")
    dialog.get_by_label("Target step").select_option(label="Negotiation")
    dialog.get_by_role("button", name="Save rule").click()
    expect(dialog).to_be_hidden()
    rule_row = admin.get_by_role("table", name="Automation rules").get_by_role("row", name=rule)
    expect(rule_row).to_contain_text('When a card has "Legal review" refused on any step')
    expect(rule_row).to_contain_text("Move it to Negotiation")
    rules = gql(
        "admin",
        "query($w: ID!) { workflowAutomationRules(workflowId: $w) { id name } }",
        w=sales["id"],
    )
    made = next(r for r in rules["data"]["workflowAutomationRules"] if r["name"] == rule)
    gql("admin", "mutation($id: ID!) { deleteWorkflowAutomationRule(id: $id) }", id=made["id"])
