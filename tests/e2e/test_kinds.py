"""Issue 25 in the browser: an admin makes the kind "Purchase request" with a number field
"Cost" on a new workflow; a member creates one on /boards/purchase-request, drags it, is
refused a move off the workflow with the allowed steps named, and finds it in analytics
and My work; another member does not see it."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot

STATUS = "mutation($n: String!) { createWFMStatus(input: {name: $n}) { id } }"
WORKFLOW = "mutation($n: String!) { createWFMWorkflow(input: {name: $n}) { id } }"
STEP = (
    "mutation($w: ID!, $s: ID!, $o: Int, $i: Boolean, $f: Boolean, $m: JSON) "
    "{ createWFMWorkflowStep(input: {workflowId: $w, statusId: $s, stepOrder: $o, "
    "isInitialStep: $i, isFinalStep: $f, metadata: $m}) { id } }"
)
TRANSITION = (
    "mutation($w: ID!, $a: ID!, $b: ID!) { createWFMWorkflowTransition(input: "
    "{workflowId: $w, fromStepId: $a, toStepId: $b}) { id } }"
)
PROJECT_TYPE = (
    "mutation($n: String!, $w: ID!) { createWFMProjectType(input: {name: $n, "
    "defaultWorkflowId: $w}) { id } }"
)
STEPS = ["Requested", "Approved", "Ordered", "Rejected"]


def _data(answer: dict, key: str) -> dict:
    assert "errors" not in answer, answer
    return answer["data"][key]


def _purchasing(gql, name: str) -> None:
    """A new workflow Requested -> Approved -> Ordered (or Rejected) and its project type."""
    workflow = _data(gql("admin", WORKFLOW, n=name), "createWFMWorkflow")["id"]
    steps = []
    for order, step in enumerate(STEPS, start=1):
        status = _data(gql("admin", STATUS, n=f"{name}: {step}"), "createWFMStatus")["id"]
        made = gql(
            "admin",
            STEP,
            w=workflow,
            s=status,
            o=order,
            i=order == 1,
            f=order >= 3,
            m={"name": step},
        )
        steps.append(_data(made, "createWFMWorkflowStep")["id"])
    for a, b in ((0, 1), (1, 2), (0, 3), (1, 3)):
        _data(
            gql("admin", TRANSITION, w=workflow, a=steps[a], b=steps[b]),
            "createWFMWorkflowTransition",
        )
    _data(gql("admin", PROJECT_TYPE, n=name, w=workflow), "createWFMProjectType")


def _column(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def test_an_admin_makes_a_kind_and_members_work_on_its_board(page_as, gql):
    process = f"Purchasing {uuid.uuid4().hex[:6]}"
    _purchasing(gql, process)

    admin = page_as("admin")
    admin.goto("/admin/wfm/kinds")
    expect(admin.get_by_role("heading", name="Kinds", level=1)).to_be_visible()
    expect(admin.get_by_role("row", name="Deals")).to_contain_text("Built in")
    admin.get_by_role("button", name="New kind").click()
    dialog = admin.get_by_role("dialog", name="New kind")
    dialog.get_by_label("Name", exact=True).fill("Purchase request")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text("Pick a project type.").first).to_be_visible()  # nothing lost
    expect(dialog.get_by_label("Name", exact=True)).to_have_value("Purchase request")
    dialog.get_by_label("Project type").select_option(label=process)
    screenshot(admin, "kind-new")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    row = admin.get_by_role("row", name="Purchase request")
    expect(row.get_by_role("link", name="/boards/purchase-request")).to_be_visible()
    # the header's navigation has the new board at once
    expect(
        admin.get_by_role("navigation", name="Main").get_by_role("link", name="Purchase requests")
    ).to_be_visible()
    screenshot(admin, "kinds-list")

    admin.goto("/admin/wfm/fields")
    admin.get_by_role("button", name="New field").click()
    field = admin.get_by_role("dialog")
    field.get_by_label("Entity").select_option(label="Purchase request")
    field.get_by_label("Type").select_option(label="Number")
    field.get_by_label("Label").fill("Cost")
    field.get_by_role("button", name="Save").click()
    expect(field).to_be_hidden()

    alice = page_as("alice")
    alice.goto("/")
    alice.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Purchase requests"
    ).click()
    expect(alice).to_have_url(re.compile(r"/boards/purchase-request$"))
    expect(alice.get_by_role("heading", name="Purchase requests", level=1)).to_be_visible()
    alice.get_by_role("button", name="New purchase request").click()
    create = alice.get_by_role("dialog", name="New purchase request")
    name = f"New laptops {uuid.uuid4().hex[:4]}"
    create.get_by_label("Name", exact=True).fill(name)
    create.get_by_label("Cost").fill("a lot")
    create.get_by_role("button", name="Create").click()
    expect(create.get_by_text("Cost must be a number.", exact=True)).to_be_visible()
    create.get_by_label("Cost").fill("2400")
    create.get_by_role("button", name="Create").click()
    expect(create).to_be_hidden()
    card = _column(alice, "Requested").get_by_role("article", name=name)
    expect(card).to_be_visible()

    card.drag_to(_column(alice, "Approved"))
    moved = _column(alice, "Approved").get_by_role("article", name=name)
    expect(moved).to_be_visible()
    moved.drag_to(_column(alice, "Requested"))  # no way back on this workflow
    alert = alice.get_by_role("alert")
    expect(alert).to_contain_text('No transition from "Approved" to "Requested"')
    expect(alert).to_contain_text('"Ordered", "Rejected"')
    expect(moved).to_be_visible()
    screenshot(alice, "kind-board-refused-move")
    moved.get_by_role("button", name=name).click()
    detail = alice.get_by_role("dialog", name=name)
    expect(detail.get_by_text("Cost: 2400")).to_be_visible()
    expect(detail.get_by_role("list", name="History")).to_contain_text("Requested → Approved")
    alice.keyboard.press("Escape")
    expect(detail).to_be_hidden()  # and the board's own address back (a goto now would race it)
    expect(alice).to_have_url(re.compile(r"/boards/purchase-request(\?|$)"))

    alice.goto("/")
    expect(alice.get_by_role("link", name=name)).to_be_visible()  # My work
    alice.goto("/analytics")
    alice.get_by_label("Workflow").select_option(label=process)
    funnel = (
        alice.get_by_role("region", name="Funnel", exact=True)
        .get_by_role("row")
        .filter(has=alice.get_by_role("rowheader", name="Approved", exact=True))
    )
    expect(funnel.get_by_role("cell").first).to_have_text("1")
    screenshot(alice, "kind-in-analytics")

    bob = page_as("bob")
    bob.goto("/boards/purchase-request")
    expect(bob.get_by_role("heading", name="Purchase requests", level=1)).to_be_visible()
    expect(_column(bob, "Approved")).to_be_visible()
    expect(bob.get_by_role("article", name=name)).to_have_count(0)
    bob.goto("/boards/no-such-kind")
    expect(bob.get_by_role("heading", name="No such board", level=1)).to_be_visible()
