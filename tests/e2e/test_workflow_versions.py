"""Issue 15 in the browser: an admin drafts a new version with an extra step while the
board keeps the live one, publishes it, migrates the cards with the dry run shown, and
the cards are in the new version's columns."""

from __future__ import annotations

import itertools
import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot
from tests.e2e.axe import assert_accessible

STATUSES = "{ wfmStatuses { id name } }"
WORKFLOW = "mutation($n: String!) { createWFMWorkflow(input: {name: $n}) { id } }"
STEP = """mutation($w: ID!, $s: ID!, $i: Boolean, $f: Boolean) { createWFMWorkflowStep(input:
  {workflowId: $w, statusId: $s, isInitialStep: $i, isFinalStep: $f}) { id } }"""
TRANSITION = """mutation($w: ID!, $a: ID!, $b: ID!) { createWFMWorkflowTransition(input:
  {workflowId: $w, fromStepId: $a, toStepId: $b}) { id } }"""
TYPE = """mutation($n: String!, $w: ID!) { createWFMProjectType(input:
  {name: $n, defaultWorkflowId: $w}) { id } }"""
DEAL = (
    "mutation($n: String!, $t: ID!) { createDeal(input: {name: $n, wfmProjectTypeId: $t}) { id } }"
)


def _column(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


MOVE = """mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d,
  targetWfmWorkflowStepId: $s) { id } }"""


def _release_workflow(gql, name: str) -> tuple[str, list[str], list[str]]:
    """The workflow, its steps (Prospecting, Qualification, Proposal) and two deals."""
    status = {s["name"]: s["id"] for s in gql("admin", STATUSES)["data"]["wfmStatuses"]}
    workflow = gql("admin", WORKFLOW, n=name)["data"]["createWFMWorkflow"]["id"]
    ids = [
        gql("admin", STEP, w=workflow, s=status[s], i=i, f=f)["data"]["createWFMWorkflowStep"]["id"]
        for s, i, f in (
            ("Prospecting", True, False),
            ("Qualification", False, False),
            ("Proposal", False, True),
        )
    ]
    for a, b in itertools.pairwise(ids):
        gql("admin", TRANSITION, w=workflow, a=a, b=b)
    kind = gql("admin", TYPE, n=name, w=workflow)["data"]["createWFMProjectType"]["id"]
    deals = [
        gql("alice", DEAL, n=f"{card} {name}", t=kind)["data"]["createDeal"]["id"]
        for card in ("First", "Second")
    ]
    return workflow, ids, deals


def test_draft_publish_and_migrate_cards(page_as, gql):
    name = f"Release {uuid.uuid4().hex[:6]}"
    workflow, old_steps, deals = _release_workflow(gql, name)
    admin = page_as("admin")
    admin.goto(f"/admin/wfm/workflows/{workflow}")
    admin.get_by_role("button", name="New draft").click()
    expect(admin.get_by_role("heading", name=f"{name} (draft v2)")).to_be_visible()
    admin.get_by_label("Status", exact=True).select_option(label="Negotiation")
    admin.get_by_role("button", name="Add step").click()
    steps = admin.get_by_role("list", name="Steps")
    expect(steps).to_contain_text("Negotiation")
    for origin, target in (("Qualification", "Negotiation"), ("Negotiation", "Proposal")):
        admin.get_by_label("From", exact=True).select_option(label=origin)
        admin.get_by_label("To", exact=True).select_option(label=target)
        admin.get_by_role("button", name="Add transition").click()
        expect(
            admin.get_by_role("row").filter(has_text=origin).filter(has_text=target).first
        ).to_be_visible()
        # the form clears after a save, a step after the new row: choosing the next pair
        # before then had it cleared under the choice (CI's parallel run)
        expect(admin.get_by_label("From", exact=True)).to_have_value("")

    # the board still shows the live version
    member = page_as("alice")
    member.goto("/deals")
    expect(_column(member, "Prospecting")).to_be_visible()  # the page is live
    member.get_by_label("Workflow").select_option(label=name)
    expect(
        _column(member, "Prospecting").get_by_role("article", name=f"First {name}")
    ).to_be_visible()
    expect(_column(member, "Negotiation")).to_have_count(0)

    admin.get_by_role("button", name="Publish…").click()
    question = admin.get_by_role("alertdialog", name="Publish this draft?")
    changes = question.get_by_role("list", name="What changes")
    expect(changes).to_contain_text('Step "Negotiation" added.')
    expect(changes).to_contain_text('Transition "Qualification → Negotiation" added.')
    expect(changes).to_contain_text("on the current version until you migrate")
    screenshot(admin, "publish-summary")
    question.get_by_role("button", name="Publish", exact=True).click()
    expect(admin.get_by_text("is live (version 2)")).to_be_visible()
    member.reload()
    expect(_column(member, "Prospecting")).to_be_visible()
    # the board picks only live versions: the tab's workflow, superseded, became its v2
    picker = member.get_by_label("Workflow")
    expect(picker.locator("option", has_text=f"{name} (v1)")).to_have_count(0)
    expect(picker.locator("option", has_text=f"{name} (draft")).to_have_count(0)
    expect(member.get_by_role("status").filter(has_text="older versions")).to_contain_text(
        f"2 card(s) are still on older versions of this workflow ({name} (v1))"
    )
    # the new version's board shows them in the columns of their status already
    expect(_column(member, "Negotiation")).to_be_visible()
    expect(
        _column(member, "Prospecting").get_by_role("article", name=f"First {name}")
    ).to_be_visible()
    # a move on the old version reaches the new version's open board, in its column
    gql("alice", MOVE, d=deals[0], s=old_steps[1])
    card = _column(member, "Qualification").get_by_role("article", name=f"First {name}")
    expect(card).to_be_visible()
    # its detail offers the moves of its column and names its history's steps
    card.get_by_role("button", name=f"First {name}").click()
    detail = member.get_by_role("dialog")
    expect(detail.get_by_role("button", name="Move to Negotiation")).to_be_visible()
    expect(detail).to_contain_text("Prospecting")
    expect(detail).not_to_contain_text("(removed step)")
    member.keyboard.press("Escape")
    admin.get_by_role("button", name=f"Migrate cards from {name} (v1)").click()
    dialog = admin.get_by_role("dialog", name="Migrate cards")
    dialog.get_by_role("button", name="Dry run").click()
    expect(dialog.get_by_role("list", name="What would happen")).to_contain_text(
        '1 from "Prospecting" to "Prospecting"'
    )
    expect(dialog.get_by_role("list", name="What would happen")).to_contain_text(
        '1 from "Qualification" to "Qualification"'
    )
    screenshot(admin, "migrate-dry-run")
    assert_accessible(admin, "Migrate cards, after its dry run", "[role=dialog]")
    dialog.get_by_role("button", name="Apply").click()
    expect(admin.get_by_text("2 cards migrated.")).to_be_visible()

    member.reload()
    expect(_column(member, "Prospecting")).to_be_visible()
    member.get_by_label("Workflow").select_option(label=name)
    expect(_column(member, "Negotiation")).to_be_visible()
    expect(
        _column(member, "Prospecting").get_by_role("article", name=f"Second {name}")
    ).to_be_visible()
    screenshot(member, "board-after-migration")


def test_reshaping_a_live_workflow_with_cards_asks_and_defaults_to_a_draft(page_as, gql):
    name = f"Support {uuid.uuid4().hex[:6]}"
    workflow, _, _ = _release_workflow(gql, name)
    admin = page_as("admin")
    admin.goto(f"/admin/wfm/workflows/{workflow}")
    expect(admin.get_by_text("2 card(s) run on this version")).to_be_visible()
    steps = admin.get_by_role("list", name="Steps")

    # Cancel: nothing changes, and the form keeps what was picked
    status = admin.get_by_label("Status", exact=True)
    negotiation = status.locator("option", has_text="Negotiation").get_attribute("value")
    status.select_option(label="Negotiation")
    admin.get_by_role("button", name="Add step").click()
    question = admin.get_by_role("dialog", name="Change a workflow cards are on?")
    expect(question).to_contain_text("2 card(s) run on this version")
    expect(question.get_by_role("button", name="Edit in a draft")).to_be_focused()
    screenshot(admin, "live-edit-question")
    assert_accessible(admin, "the live version's question", "[role=dialog]")
    question.get_by_role("button", name="Cancel").click()
    expect(question).to_be_hidden()
    expect(steps.get_by_role("listitem")).to_have_count(3)
    expect(status).to_have_value(negotiation or "")

    # Edit in a draft: the step lands on the draft; the live board keeps its columns
    admin.get_by_role("button", name="Add step").click()
    question.get_by_role("button", name="Edit in a draft").click()
    expect(admin.get_by_role("heading", name=f"{name} (draft v2)")).to_be_visible()
    expect(steps.get_by_role("listitem", name="Negotiation")).to_be_visible()
    expect(admin.get_by_text("Made in this draft")).to_be_visible()
    screenshot(admin, "live-edit-went-to-draft")
    member = page_as("alice")
    member.goto("/deals")
    expect(_column(member, "Prospecting")).to_be_visible()
    member.get_by_label("Workflow").select_option(label=name)
    expect(
        _column(member, "Prospecting").get_by_role("article", name=f"First {name}")
    ).to_be_visible()
    expect(_column(member, "Negotiation")).to_have_count(0)

    # A step cards are on is refused in place, with the engine's reason, without asking
    admin.goto(f"/admin/wfm/workflows/{workflow}")
    # the tab's kept state (the draft's page) shows until the load answers: wait for it
    expect(admin.get_by_text("2 card(s) run on this version")).to_be_visible()
    steps.get_by_role("listitem", name="Prospecting").get_by_role("button", name="Remove").click()
    expect(admin.get_by_role("alert").first).to_contain_text('2 projects are at step "Prospecting"')
    expect(question).to_be_hidden()

    # Change it now: the live version itself, and no second question on this visit
    steps.get_by_role("listitem", name="Proposal").get_by_role("button", name="Move up").click()
    question.get_by_role("button", name="Change it now").click()
    expect(steps.get_by_role("listitem").nth(1)).to_have_attribute("aria-label", "Proposal")
    steps.get_by_role("listitem", name="Proposal").get_by_role("button", name="Move down").click()
    expect(steps.get_by_role("listitem").nth(1)).to_have_attribute("aria-label", "Qualification")
    expect(question).to_be_hidden()
    member.reload()
    expect(_column(member, "Negotiation")).to_have_count(0)
