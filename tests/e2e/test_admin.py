"""Issue 4: an admin builds a workflow from nothing and sees it on a deal board."""

import re
import uuid

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot


def _new_status(page: Page, name: str, color: str) -> None:
    page.get_by_role("button", name="New status").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Description").fill(f"{name} work")
    dialog.get_by_label("Hex color").fill(color)
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("rowheader", name=name)).to_be_visible()


def _add_step(
    page: Page,
    status: str,
    name: str,
    probability: str,
    outcome: str,
    *,
    initial: bool = False,
    final: bool = False,
) -> None:
    page.get_by_label("Status", exact=True).select_option(label=status)
    page.get_by_label("Step name").fill(name)
    page.get_by_label("Probability (%)").fill(probability)
    page.get_by_label("Outcome").select_option(label=outcome)
    if initial:
        page.get_by_label("Initial step").check()
    if final:
        page.get_by_label("Final step").check()
    page.get_by_role("button", name="Add step").click()
    expect(page.get_by_label("Step name")).to_have_value("")  # saved, form cleared
    expect(
        page.get_by_role("list", name="Steps").get_by_role("listitem", name=name)
    ).to_be_visible()


def _step_names(page: Page) -> list[str]:
    items = page.get_by_role("list", name="Steps").get_by_role("listitem")
    return [items.nth(i).get_attribute("aria-label") for i in range(items.count())]


def _add_transition(page: Page, source: str, target: str, name: str = "") -> None:
    page.get_by_label("From", exact=True).select_option(label=source)
    page.get_by_label("To", exact=True).select_option(label=target)
    page.get_by_label("Transition name (optional)").fill(name)
    page.get_by_role("button", name="Add transition").click()
    if name:  # a saved transition shows in the list and the form is cleared for the next one
        expect(page.get_by_role("row").filter(has_text=name)).to_have_count(1)
        expect(page.get_by_label("From", exact=True)).to_have_value("")


def test_admin_builds_a_workflow_and_sees_it_on_the_deals_board(page_as):
    tag = uuid.uuid4().hex[:5]
    intake, review, done = f"Intake {tag}", f"Review {tag}", f"Done {tag}"
    page = page_as("admin")

    page.goto("/admin/wfm/statuses")
    for name, color in ((intake, "#0EA5E9"), (review, "#A855F7"), (done, "#22C55E")):
        _new_status(page, name, color)
    # A duplicate name is refused beside the field, and the dialog keeps what was typed.
    page.get_by_role("button", name="New status").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(intake.upper())
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert").first).to_contain_text("already exists")
    expect(dialog.get_by_label("Name", exact=True)).to_have_value(intake.upper())
    dialog.get_by_role("button", name="Cancel").click()
    screenshot(page, "admin-statuses")

    page.get_by_role("link", name="Workflows").click()
    page.get_by_role("button", name="New workflow").click()
    page.get_by_role("dialog").get_by_label("Name", exact=True).fill(f"Audit {tag}")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"Audit {tag}")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="no steps yet")).to_be_visible()

    _add_step(page, review, "Review", "50", "Open")
    _add_step(page, intake, "Intake", "10", "Open", initial=True)
    _add_step(page, done, "Done", "100", "Won", final=True)
    assert _step_names(page) == ["Review", "Intake", "Done"]
    # Drag "Intake" onto "Review": it takes Review's place.
    steps = page.get_by_role("list", name="Steps")
    steps.get_by_role("listitem", name="Intake").drag_to(
        steps.get_by_role("listitem", name="Review")
    )
    expect(steps.get_by_role("listitem").first).to_have_attribute("aria-label", "Intake")
    assert _step_names(page) == ["Intake", "Review", "Done"]
    steps.get_by_role("listitem", name="Intake").get_by_role("button", name="Move down").click()
    expect(steps.get_by_role("listitem").first).to_have_attribute("aria-label", "Review")
    steps.get_by_role("listitem", name="Intake").get_by_role("button", name="Move up").click()
    expect(steps.get_by_role("listitem").first).to_have_attribute("aria-label", "Intake")

    warnings = page.get_by_role("status").filter(has_text="needs attention")
    expect(warnings).to_contain_text('"Review" cannot be reached from the initial step "Intake"')
    _add_transition(page, "Intake", "Review", "Start review")
    _add_transition(page, "Review", "Done", "Approve")
    _add_transition(page, "Intake", "Review")
    expect(page.get_by_role("alert").first).to_contain_text("already has a transition")
    expect(warnings).to_be_hidden()
    expect(page.get_by_role("img", name=re.compile("Workflow diagram"))).to_be_visible()
    screenshot(page, "admin-workflow-editor")

    # A new workflow is a draft until published: no board offers it, then every deal board.
    expect(page.get_by_text("This is a draft: no card uses it")).to_be_visible()
    page.get_by_role("button", name="Publish…").click()
    question = page.get_by_role("alertdialog", name="Publish this draft?")
    changes = question.get_by_role("list", name="What changes")
    expect(changes).to_contain_text('Step "Intake" added.')
    expect(changes).to_contain_text('Transition "Review → Done" added.')
    screenshot(page, "admin-workflow-first-publish")
    question.get_by_role("button", name="Publish", exact=True).click()
    expect(question).to_be_hidden()
    expect(page.get_by_text("This is a draft: no card uses it")).to_be_hidden()

    page.get_by_role("link", name="Project Types").click()
    page.get_by_role("button", name="New project type").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(f"Audit deal {tag}")
    dialog.get_by_label("Icon").select_option(label="Document")
    dialog.get_by_label("Default workflow").select_option(label=f"Audit {tag}")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("rowheader", name=f"Audit deal {tag}")).to_be_visible()
    audit = page.get_by_role("row").filter(has_text=f"Audit deal {tag}")
    expect(audit.get_by_role("img", name="Document")).to_be_visible()  # an icon, not its name
    screenshot(page, "admin-project-types")

    page.goto("/deals")
    page.get_by_role("button", name="New deal").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(f"Audit of Acme {tag}")
    dialog.get_by_label("Amount").fill("1200")
    dialog.get_by_label("Project type").select_option(label=f"Audit deal {tag}")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_be_hidden()
    page.get_by_label("Workflow").select_option(label=f"Audit {tag}")
    for column in ("Intake", "Review", "Done"):
        expect(page.get_by_role("region", name=column, exact=True)).to_be_visible()
    expect(
        page.get_by_role("region", name="Intake", exact=True).get_by_role(
            "article", name=f"Audit of Acme {tag}"
        )
    ).to_be_visible()

    # Refusals with the engine's sentence: a step with work on it, a status in use.
    page.goto("/admin/wfm/workflows")
    page.get_by_role("link", name=f"Audit {tag}").click()
    page.get_by_role("list", name="Steps").get_by_role("listitem", name="Intake").get_by_role(
        "button", name="Remove"
    ).click()
    expect(page.get_by_role("alert").first).to_contain_text('1 project is at step "Intake"')
    page.get_by_role("link", name="Statuses").click()
    page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=intake)).get_by_role(
        "button", name="Delete"
    ).click()
    expect(page.get_by_role("alert").first).to_contain_text(f'used by a step of "Audit {tag}"')


def test_workflows_list_and_members_refused(page_as):
    page = page_as("admin")
    page.goto("/admin/wfm/workflows")
    expect(page.get_by_role("rowheader", name="Standard Sales Process")).to_be_visible()
    screenshot(page, "admin-workflows")
    member = page_as("alice")
    for path in ("/admin/wfm/statuses", "/admin/wfm/project-types"):
        member.goto(path)
        expect(member.get_by_role("heading", name="You don't have access")).to_be_visible()


def test_step_dialog_edits_flags_and_metadata(page_as):
    page = page_as("admin")
    tag = uuid.uuid4().hex[:5]
    page.goto("/admin/wfm/statuses")
    _new_status(page, f"Solo {tag}", "#334455")
    page.get_by_role("link", name="Workflows").click()
    page.get_by_role("button", name="New workflow").click()
    page.get_by_role("dialog").get_by_label("Name", exact=True).fill(f"Solo flow {tag}")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"Solo flow {tag}")).to_be_visible()
    editor = page.url
    page.goto("/admin/wfm/workflows")
    drafted = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=f"Solo flow {tag}")
    )
    expect(drafted).to_contain_text("Draft")
    # A workflow without steps (and no project type on it) is not offered on a board.
    page.goto("/deals")
    picker = page.get_by_label("Workflow")
    expect(picker.locator("option", has_text="Standard Sales Process")).to_have_count(1)
    expect(picker.locator("option", has_text=f"Solo flow {tag}")).to_have_count(0)
    expect(picker.locator("option", has_text="Support Process")).to_have_count(0)
    page.goto(editor)
    page.get_by_text("Rename or describe this workflow").click()
    page.get_by_label("Workflow name").fill(f"Single flow {tag}")
    page.get_by_label("Workflow description").fill("One step, for tests")
    page.get_by_role("button", name="Save workflow").click()
    expect(page.get_by_role("heading", name=f"Single flow {tag}")).to_be_visible()
    _add_step(page, f"Solo {tag}", "Only", "10", "Open", initial=True)

    page.get_by_role("listitem", name="Only").get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit step")
    settings = dialog.get_by_label("Settings for integrations (JSON)")
    settings.fill('{"team": "tier2"')
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text(re.compile("Not valid JSON"))).to_be_visible()
    expect(dialog.get_by_label("Settings for integrations (JSON)")).to_have_value(
        '{"team": "tier2"'
    )
    dialog.get_by_label("Settings for integrations (JSON)").fill('{"team": "tier2"}')
    dialog.get_by_label("SLA (hours)").fill("4")
    dialog.get_by_label("Probability (%)").fill("150")
    dialog.get_by_role("button", name="Save").click()
    expect(
        dialog.get_by_text("Probability must be a number from 0 to 100.", exact=True)
    ).to_be_visible()
    dialog.get_by_label("Probability (%)").fill("30")
    dialog.get_by_label("Step name").fill("Single step")
    dialog.get_by_label("Final step").check()
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    step = page.get_by_role("list", name="Steps").get_by_role("listitem", name="Single step")
    expect(step).to_contain_text("Probability 30% SLA 4 hours Open")
    expect(step).to_contain_text("Final")
    page.get_by_role("listitem", name="Single step").get_by_role("button", name="Edit").click()
    expect(
        page.get_by_role("dialog", name="Edit step").get_by_label(
            "Settings for integrations (JSON)"
        )
    ).to_have_value(re.compile('"team": "tier2"'))


def test_a_step_makes_its_status_on_the_spot(page_as, gql):
    """ "Add step" with no status picked makes one named as the step (issue 33.10); the
    statuses page then names the workflow that uses it, linked."""
    tag = uuid.uuid4().hex[:6]
    made = gql(
        "admin",
        "mutation($n: String!) { createWFMWorkflow(input: {name: $n}) { id } }",
        n=f"Inline {tag}",
    )["data"]["createWFMWorkflow"]["id"]
    page = page_as("admin")
    page.goto(f"/admin/wfm/workflows/{made}")
    expect(page.get_by_label("Status", exact=True)).to_have_value("")  # "A new one, ..."
    page.get_by_label("Step name").fill(f"Escalated {tag}")
    page.get_by_label("Initial step").check()
    page.get_by_role("button", name="Add step").click()
    expect(page.get_by_role("list", name="Steps")).to_contain_text(f"Escalated {tag}")
    page.goto("/admin/wfm/statuses")
    row = page.get_by_role("row").filter(has_text=f"Escalated {tag}")
    link = row.get_by_role("link", name=f"Inline {tag}")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name=f"Inline {tag}")).to_be_visible()
