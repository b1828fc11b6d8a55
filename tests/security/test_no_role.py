"""Issue 9.2: a person the provider knows but who holds no WFM role gets nothing."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.api.flows import codes
from tests.app_fixtures import screenshot, sign_in


def test_no_role_gets_forbidden_over_graphql(gql):
    # "nobody" exists at the development provider with no roles claim at all
    for query in (
        "{ wfmStatuses { name } }",
        "{ wfmWorkflows { id } }",
        "{ deals { id } }",
        'mutation { createDeal(input: {name: "Sneaky"}) { id } }',
    ):
        answer = gql("nobody", query)
        assert answer["data"] is None and codes(answer) == ["FORBIDDEN"], answer
        assert "ask an administrator" in answer["errors"][0]["message"]


def test_no_role_sees_a_page_saying_so(page: Page):
    page.goto("/")
    page.get_by_role("button", name="Sign in").click()
    sign_in(page, "nobody")
    expect(page.get_by_role("alert")).to_contain_text("no access to WFM yet")
    expect(page.get_by_role("alert")).to_contain_text("Ask an administrator")
    expect(page.get_by_role("banner").get_by_label("Role")).to_have_text("No access")
    expect(page.get_by_role("link", name="Open the deals board")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_count(0)
    screenshot(page, "no-role-home")
    page.goto("/deals")
    expect(page.get_by_role("heading", name="You don't have access")).to_be_visible()
    expect(page.get_by_role("region", name="Prospecting")).to_have_count(0)
