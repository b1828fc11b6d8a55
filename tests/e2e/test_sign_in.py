"""Issue 3: sign-in through the real provider, roles, refusals, sign-out."""

import re

from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot, sign_in


def test_visitor_is_sent_to_sign_in_and_comes_back(page: Page):
    page.goto("/deals")
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()  # the provider's form
    sign_in(page, "alice")
    expect(page).to_have_url(re.compile(r"/deals/?$"))
    header = page.get_by_role("banner")
    expect(header.get_by_text("Alice Member")).to_be_visible()
    expect(header.get_by_label("Role")).to_have_text("Member")
    expect(page.get_by_role("region", name="Prospecting")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "wfm_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    screenshot(page, "signed-in-member-deals")


def test_each_role_sees_what_it_may(page_as):
    admin = page_as("admin")
    admin.goto("/admin/wfm/statuses")
    expect(admin.get_by_role("heading", name="Statuses", level=1)).to_be_visible()
    expect(admin.get_by_role("banner").get_by_label("Role")).to_have_text("Admin")
    expect(admin.get_by_role("link", name="Admin")).to_be_visible()

    for subject, role in (("manager", "Manager"), ("bob", "Member")):
        page = page_as(subject)
        page.goto("/admin/wfm/workflows")
        expect(page.get_by_role("heading", name="You don't have access")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("You don't have access")
        expect(page.get_by_role("banner").get_by_label("Role")).to_have_text(role)
        expect(page.get_by_role("link", name="Admin")).to_have_count(0)
        if subject == "bob":
            screenshot(page, "member-refused-admin")


def test_tampered_session_cookie_means_signed_out(page: Page, app_url: str):
    page.context.add_cookies([{"name": "wfm_session", "value": "forged-token", "url": app_url}])
    page.goto("/leads")
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()


def test_sign_out_ends_the_session(page: Page, app_url: str):
    # A session of its own: page_as("bob")'s saved one is shared by later tests.
    page.goto("/deals")
    sign_in(page, "bob")
    expect(page.get_by_role("region", name="Prospecting")).to_be_visible()
    cookie_before = next(c for c in page.context.cookies() if c["name"] == "wfm_session")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()  # the provider's logout form
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    # The old cookie value is dead on the server, even if replayed.
    page.context.add_cookies(
        [{"name": "wfm_session", "value": cookie_before["value"], "url": app_url}]
    )
    page.goto("/deals")
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
