"""Issue 14 in the browser: the analytics page as a manager and as a member (headings,
a figure from a data table against the API's, the CSV download), and "My work"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot

SECTIONS = (
    "Time in step",
    "Funnel",
    "Cumulative flow",
    "Throughput",
    "Cycle time",
    "Aging work in progress",
    "Transitions",
)
FUNNEL = """query($w: ID!, $from: DateTime, $to: DateTime, $owner: ID) {
  wfmAnalytics(workflowId: $w, from: $from, to: $to, ownerId: $owner) {
    funnel { step { status { name } } entered reachedNext }
  }
}"""
BOTTLENECKS = """query($w: ID!, $from: DateTime, $to: DateTime) {
  wfmAnalytics(workflowId: $w, from: $from, to: $to) { bottlenecks { sentence } }
}"""
FORECAST = """query($w: ID!) {
  wfmForecast(workflowId: $w) { cards note doneBy { percent date } }
}"""
SALES = '{ wfmProjectTypeByName(name: "Sales Deal") { defaultWorkflow { id } } }'


def _section(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def _until_yesterday(page: Page) -> tuple[str, str]:
    """Show only days before today: the demo history, which tests running now do not
    change. Returns the API's range for the same days."""
    today = datetime.now(UTC).date()
    start, end = today - timedelta(days=90), today - timedelta(days=1)
    page.get_by_label("From").fill(start.isoformat())
    page.get_by_label("To").fill(end.isoformat())
    return f"{start.isoformat()}T00:00:00Z", f"{today.isoformat()}T00:00:00Z"


def _entered_in_prospecting(gql, subject: str, start: str, end: str, **owner: str) -> str:
    workflow = gql(subject, SALES)["data"]["wfmProjectTypeByName"]["defaultWorkflow"]["id"]
    answer = gql(subject, FUNNEL, w=workflow, **{"from": start, "to": end}, **owner)
    funnel = answer["data"]["wfmAnalytics"]["funnel"]
    return str(next(f["entered"] for f in funnel if f["step"]["status"]["name"] == "Prospecting"))


def _row(page: Page, section: str, first_cell: str):
    return (
        _section(page, section)
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=first_cell, exact=True))
    )


def test_a_manager_reads_the_charts_tables_and_downloads_csv(page_as, gql, tmp_path):
    page = page_as("manager")
    page.goto("/analytics")
    expect(page.get_by_role("heading", name="Analytics", level=1)).to_be_visible()
    for name in SECTIONS:
        expect(_section(page, name).get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_label("Owner")).to_be_visible()  # managers may pick anyone's work
    start, end = _until_yesterday(page)

    expected = _entered_in_prospecting(gql, "manager", start, end)
    prospecting = _row(page, "Funnel", "Prospecting")
    expect(prospecting.get_by_role("cell").first).to_have_text(expected)
    assert int(expected) > 0  # the demo's history spreads over the last 90 days
    expect(_section(page, "Aging work in progress").get_by_role("link").first).to_be_visible()
    moves = (
        _section(page, "Transitions")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name="Prospecting", exact=True))
    )
    expect(moves.get_by_role("cell").nth(1)).not_to_have_text("")  # Prospecting -> Qualification

    # time in step in hours, or in days (a switch): the same stays, a 24th of the figure
    times = _row(page, "Time in step", "Qualification")
    expect(times.get_by_role("cell").last).to_have_text("hours")
    hours = float(times.get_by_role("cell").nth(1).inner_text())
    page.get_by_label("Show time in").select_option(label="Days")
    expect(times.get_by_role("cell").last).to_have_text("days")
    assert abs(float(times.get_by_role("cell").nth(1).inner_text()) - hours / 24) <= 0.06
    page.get_by_label("Show time in").select_option(label="Hours")

    # Bottlenecks, in words, the same as the API's for the same days
    workflow = gql("manager", SALES)["data"]["wfmProjectTypeByName"]["defaultWorkflow"]["id"]
    answer = gql("manager", BOTTLENECKS, w=workflow, **{"from": start, "to": end})
    said = [b["sentence"] for b in answer["data"]["wfmAnalytics"]["bottlenecks"]]
    bottlenecks = _section(page, "Bottlenecks")
    expect(bottlenecks).to_contain_text("Compared with the previous 90 days")
    if said:
        expect(bottlenecks.get_by_role("listitem")).to_have_text(said)
    else:
        expect(bottlenecks).to_contain_text("No step grew slower or fuller")

    # the forecast: the same trials (seed 0) as the API's, and "how many by" a day picked
    ahead = gql("manager", FORECAST, w=workflow)["data"]["wfmForecast"]
    forecast = _section(page, "Forecast")
    if ahead["note"]:
        expect(forecast).to_contain_text(ahead["note"])
    else:
        median = ahead["doneBy"][0]["date"]
        expect(forecast.get_by_role("listitem").first).to_contain_text(
            f"The {ahead['cards']} open card(s) done: 50 % by {median}"
        )
        day = (datetime.now(UTC).date() + timedelta(days=14)).isoformat()
        page.get_by_label("How many done by").fill(day)
        expect(forecast).to_contain_text(f"Done by {day}: at least ")
    screenshot(page, "analytics-manager")

    with page.expect_download() as download:
        _section(page, "Funnel").get_by_role("button", name="Download CSV").click()
    saved = tmp_path / "funnel.csv"
    download.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0] == "step,entered,reached_next,reached_won"
    assert lines[1].startswith(f"Prospecting,{expected},")
    assert download.value.suggested_filename.startswith("funnel-")


def test_a_member_sees_their_own_work_only(page_as, gql):
    page = page_as("alice")
    page.goto("/analytics")
    expect(page.get_by_role("heading", name="Analytics", level=1)).to_be_visible()
    expect(page.get_by_text("Your own work")).to_be_visible()
    expect(page.get_by_label("Owner")).to_have_count(0)
    start, end = _until_yesterday(page)
    expected = _entered_in_prospecting(gql, "alice", start, end)
    everyone = _entered_in_prospecting(gql, "manager", start, end)
    assert int(expected) < int(everyone)  # Alice's share of the demo, not everyone's
    expect(_row(page, "Funnel", "Prospecting").get_by_role("cell").first).to_have_text(expected)
    screenshot(page, "analytics-member")


def test_home_page_is_my_work(page_as):
    member = page_as("alice")
    member.goto("/")
    mine = member.get_by_role("region", name="My work")
    expect(mine.get_by_role("heading", name="My work")).to_be_visible()
    expect(mine.get_by_role("row").nth(1).get_by_role("link")).to_be_visible()
    expect(mine.get_by_role("link", name="Open the deals board")).to_be_visible()
    expect(member.get_by_role("region", name="Pipeline")).to_have_count(0)
    expect(member.get_by_role("heading", name="Latest notifications")).to_be_visible()
    screenshot(member, "home-member")

    manager = page_as("manager")
    manager.goto("/")
    pipeline = manager.get_by_role("region", name="Pipeline")
    expect(pipeline.get_by_text("Open pipeline (USD)")).to_be_visible()
    expect(pipeline.get_by_text("Median time to close", exact=False)).to_be_visible()
    screenshot(manager, "home-manager")
    # a card of "My work" opens on its board
    link = mine.get_by_role("row").nth(1).get_by_role("link")
    name = link.inner_text()
    link.click()
    expect(member.get_by_role("dialog")).to_contain_text(name)
