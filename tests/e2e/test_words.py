"""Words people use (issue 33.6): every page, and a card's panel, read as each role, shows
no role id (wfm_admin), no snake_case field key (expected_close_date) and no Python
exception name (ConnectError) in its visible text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

ROLE_ID = re.compile(r"\bwfm_(admin|manager|member)\b")
FIELD_KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
EXCEPTION = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception)\b|Traceback")
EVERYONE = ["/", "/deals", "/leads", "/tickets", "/analytics", "/search?q=Acme"]
ADMIN = [
    "/admin/wfm/statuses",
    "/admin/wfm/workflows",
    "/admin/wfm/project-types",
    "/admin/wfm/kinds",
    "/admin/wfm/fields",
    "/admin/wfm/calendars",
    "/admin/wfm/webhooks",
    "/admin/wfm/health",
]


def _internal_words(page: Page) -> list[str]:
    # What a person reads: the rendered text of the page and of open dialogs, but for
    # data shown as data: ids in code elements, e-mail addresses.
    text = page.evaluate(
        "() => { const body = document.body.cloneNode(true);"
        " body.querySelectorAll('code, script, style').forEach((e) => e.remove());"
        " return body.innerText; }"
    )
    assert "WFM" in text  # the header's: the page's text was read
    text = re.sub(r"\S+@\S+", "", text)
    return [
        found.group(0)
        for pattern in (ROLE_ID, FIELD_KEY, EXCEPTION)
        for found in pattern.finditer(text)
    ]


def _read(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Loading")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert _internal_words(page) == [], path


@pytest.mark.parametrize("person", ["alice", "manager", "admin"])
def test_no_page_shows_internal_words(page_as, gql, person):
    page = page_as(person)
    for path in EVERYONE + (ADMIN if person == "admin" else []):
        _read(page, path)
    # a card's panel: its fields, moves and timeline
    page.goto("/deals")
    first = page.get_by_role("region", name="Prospecting", exact=True).get_by_role("article")
    first.first.get_by_role("button").first.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert _internal_words(page) == [], "a deal's panel"
    if person == "admin":
        workflows = gql("admin", "{ wfmWorkflows { id name } }")["data"]["wfmWorkflows"]
        for workflow in workflows:
            _read(page, f"/admin/wfm/workflows/{workflow['id']}")
