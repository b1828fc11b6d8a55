"""Issue 27 in the browser: someone of another organization signs in, gets it made and
seeded (WFM_AUTO_ORGS=1), and sees its own definitions and none of the default
organization's cards, on the board and over GraphQL."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import expect

from tests.app_fixtures import screenshot

CREATE = "mutation($n: String!) { createDeal(input: {name: $n}) { id } }"


def test_another_organization_sees_its_own_board_and_nothing_of_the_default_one(
    page_as, gql, identity_provider
):
    subject = f"globex-{uuid.uuid4().hex[:6]}"
    claims = {"org": "globex", "name": "Gloria Globex", "roles": ["wfm_admin"]}
    httpx.put(f"{identity_provider}/users/{subject}", json=claims).raise_for_status()
    name = f"Default org {uuid.uuid4().hex[:6]}"
    deal_id = gql("alice", CREATE, n=name)["data"]["createDeal"]["id"]

    page = page_as(subject)
    page.goto("/deals")
    expect(page.get_by_role("heading", name="Deals")).to_be_visible()
    # its own seeded workflow: the same step names, and no card of the default organization
    expect(page.get_by_role("region", name="Prospecting", exact=True)).to_be_visible()
    expect(page.get_by_role("article", name=name)).to_have_count(0)
    screenshot(page, "organization-own-board")

    page.goto("/admin/wfm/statuses")
    expect(page.get_by_role("rowheader", name="Prospecting", exact=True)).to_be_visible()

    listed = gql(subject, "{ deals { id } }")["data"]["deals"]
    assert deal_id not in {deal["id"] for deal in listed}
    assert gql(subject, "query($id: ID!) { deal(id: $id) { id } }", id=deal_id)["data"] == {
        "deal": None
    }
    assert gql("alice", "query($id: ID!) { deal(id: $id) { name } }", id=deal_id)["data"] == {
        "deal": {"name": name}
    }
