from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot


def test_home_page_says_what_this_is(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Work Flow Management")).to_be_visible()
    expect(page).to_have_title("WFM")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    screenshot(page, "home")
