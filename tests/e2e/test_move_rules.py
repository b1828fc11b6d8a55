"""Issue 11 in the browser: a drop that asks for what is missing, and a full column."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot


def _column(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def test_a_drop_into_proposal_asks_for_the_close_date(page_as):
    page = page_as("alice")
    page.goto("/deals")
    name = f"Undated {uuid.uuid4().hex[:6]}"
    page.get_by_role("button", name="New deal").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_be_hidden()
    _column(page, "Prospecting").get_by_role("article", name=name).drag_to(
        _column(page, "Qualification")
    )
    card = _column(page, "Qualification").get_by_role("article", name=name)
    expect(card).to_be_visible()

    card.drag_to(_column(page, "Proposal"))
    ask = page.get_by_role("dialog", name="Complete to move")
    expect(ask.get_by_text("Expected close date is required").first).to_be_visible()
    screenshot(page, "complete-to-move")
    ask.get_by_role("button", name="Cancel").click()
    expect(ask).to_be_hidden()
    expect(_column(page, "Qualification").get_by_role("article", name=name)).to_be_visible()

    _column(page, "Qualification").get_by_role("article", name=name).drag_to(
        _column(page, "Proposal")
    )
    ask = page.get_by_role("dialog", name="Complete to move")
    ask.get_by_label("Expected close date").fill("2027-04-30")
    ask.get_by_role("button", name="Move").click()
    expect(ask).to_be_hidden()
    expect(_column(page, "Proposal").get_by_role("article", name=name)).to_be_visible()
    expect(_column(page, "Qualification").get_by_role("article", name=name)).to_have_count(0)
    # the history says what the move set
    _column(page, "Proposal").get_by_role("button", name=name).click()
    history = page.get_by_role("dialog", name=name).get_by_role("list", name="History")
    expect(history).to_contain_text("Qualification → Proposal")
    expect(history).to_contain_text("set Expected close date = 2027-04-30")


CREATE = 'mutation($n: String!) { createDeal(input: {name: $n, expected_close_date: "2027-01-01"}) { id } }'
MOVE = "mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s) { id } }"
STEP = (
    "mutation($id: ID!, $m: JSON) { updateWFMWorkflowStep(id: $id, input: {metadata: $m}) { id } }"
)


def test_a_full_block_column_refuses_with_the_limit(page_as, gql):
    page, manager = page_as("alice"), page_as("manager")
    workflows = gql("admin", "{ wfmWorkflows { name steps { id metadata status { name } } } }")
    sales = next(
        w for w in workflows["data"]["wfmWorkflows"] if w["name"] == "Standard Sales Process"
    )
    step_id = {s["status"]["name"]: s["id"] for s in sales["steps"]}
    contract = next(s for s in sales["steps"] if s["status"]["name"] == "Contract Sent")
    tag = uuid.uuid4().hex[:6]
    first, second = (
        gql("alice", CREATE, n=f"{label} {tag}")["data"]["createDeal"]["id"]
        for label in ("Fits", "Blocked")
    )
    for deal in (first, second):
        for name in ("Qualification", "Proposal", "Negotiation"):
            gql("alice", MOVE, d=deal, s=step_id[name])
    gql("alice", MOVE, d=first, s=step_id["Contract Sent"])
    everyone = gql("manager", "{ deals { currentWfmStep { id } } }")["data"]["deals"]
    load = sum(1 for d in everyone if d["currentWfmStep"]["id"] == contract["id"])
    full = {**contract["metadata"], "wip_limit": load, "wip_policy": "block"}
    try:
        gql("admin", STEP, id=contract["id"], m=full)
        page.goto("/deals")
        expect(page.get_by_role("banner").get_by_label("Role")).to_have_text("Member")
        expect(_column(page, "Contract Sent").get_by_text(f"WIP {load} / {load}")).to_be_visible()
        card = _column(page, "Negotiation").get_by_role("article", name=f"Blocked {tag}")
        card.get_by_role("button", name="Move to").click()
        page.get_by_role("menuitem", name="Contract Sent").click()
        alert = page.get_by_role("alert").filter(has_text="was not moved")
        expect(alert).to_contain_text(f"limit of {load}")
        expect(
            _column(page, "Negotiation").get_by_role("article", name=f"Blocked {tag}")
        ).to_be_visible()
        screenshot(page, "wip-limit-refused")

        # a manager may move it anyway, with a reason that the history keeps
        manager.goto("/deals")
        card = _column(manager, "Negotiation").get_by_role("article", name=f"Blocked {tag}")
        card.get_by_role("button", name="Move to").click()
        manager.get_by_role("menuitem", name="Contract Sent").click()
        ask = manager.get_by_role("dialog", name="Complete to move")
        expect(ask).to_contain_text(f"limit of {load}")
        ask.get_by_label("Reason").fill("Signed today, the board can wait")
        ask.get_by_role("button", name="Move").click()
        expect(
            _column(manager, "Contract Sent").get_by_role("article", name=f"Blocked {tag}")
        ).to_be_visible()
        history = gql(
            "manager",
            "query($id: ID!) { deal(id: $id) { history { comment override } } }",
            id=second,
        )
        assert history["data"]["deal"]["history"][-1] == {
            "comment": "Signed today, the board can wait",
            "override": True,
        }
    finally:
        gql("admin", STEP, id=contract["id"], m=contract["metadata"])


TRANSITIONS = "{ wfmWorkflows { id name transitions { id conditions fromStep { status { name } } toStep { status { name } } } } }"
UPDATE_TRANSITION = "mutation($id: ID!, $c: JSON) { updateWFMWorkflowTransition(id: $id, input: {conditions: $c}) { id } }"


def test_admin_edits_conditions_and_wip_in_the_workflow_editor(page_as, gql):
    admin = page_as("admin")
    workflows = gql("admin", TRANSITIONS)["data"]["wfmWorkflows"]
    sales = next(w for w in workflows if w["name"] == "Standard Sales Process")
    edge = next(
        t
        for t in sales["transitions"]
        if (t["fromStep"]["status"]["name"], t["toStep"]["status"]["name"])
        == ("Qualification", "Proposal")
    )
    try:
        admin.goto(f"/admin/wfm/workflows/{sales['id']}")
        row = (
            admin.get_by_role("row")
            .filter(has_text="Qualification")
            .filter(has_text="Proposal")
            .first
        )
        expect(row).to_contain_text("Expected close date is filled in")
        row.get_by_role("button", name="Edit conditions").click()
        dialog = admin.get_by_role("dialog")
        expect(dialog.get_by_role("list", name="Conditions")).to_contain_text("Expected close date")
        dialog.get_by_label("Field").select_option(label="Amount")
        dialog.get_by_label("Condition", exact=True).select_option(label="is at least")
        dialog.get_by_label("Value (a list: comma-separated)").fill("100")
        dialog.get_by_label("Message").fill("Proposals start at 100")
        dialog.get_by_label("Require a reason").check()
        screenshot(admin, "edit-conditions")
        dialog.get_by_role("button", name="Save").click()
        expect(dialog).to_be_hidden()
        expect(row).to_contain_text("Amount is at least 100")
        expect(row).to_contain_text("a reason")

        # a step's WIP limit and policy sit in its dialog
        admin.get_by_role("listitem").filter(has_text="Negotiation").get_by_role(
            "button", name="Edit"
        ).first.click()
        step = admin.get_by_role("dialog", name="Edit step")
        expect(step.get_by_label("WIP limit")).to_have_value("10")
        expect(step.get_by_label("WIP policy")).to_have_value("warn")
        step.get_by_role("button", name="Cancel").click()
    finally:
        gql("admin", UPDATE_TRANSITION, id=edge["id"], c=edge["conditions"])
