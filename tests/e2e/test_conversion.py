"""Issue 29 in the browser: a qualified lead's card offers "Convert to deal" with a form
filled in from the lead; converting puts the deal on the deals board and the lead in its
Converted column, and both cards' histories say so."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.api.flows import _steps_of
from tests.app_fixtures import screenshot

CREATE_LEAD = """mutation($input: LeadInput!) { createLead(input: $input) { id } }"""
MOVE_LEAD = """mutation($id: ID!, $to: ID!) {
  updateLeadWFMProgress(leadId: $id, targetWfmWorkflowStepId: $to) { id } }"""


def column(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def test_a_qualified_lead_is_converted_into_a_deal_from_its_card(page_as, gql):
    name = f"Initech expansion {uuid.uuid4().hex[:6]}"
    lead = {
        "name": name,
        "companyName": "Initech",
        "estimatedValue": 18500,
        "estimatedCloseDate": "2027-02-26T00:00:00.000Z",
        "wfmProjectTypeId": "AUTO_DEFAULT_LEAD_QUALIFICATION",
    }
    lead_id = gql("alice", CREATE_LEAD, input=lead)["data"]["createLead"]["id"]
    steps = _steps_of(gql, "Lead Management")
    for step in ("Contacted", "Nurturing", "Qualified"):
        assert "errors" not in gql("alice", MOVE_LEAD, id=lead_id, to=steps[step])

    page = page_as("alice")
    page.goto("/leads")
    column(page, "Qualified").get_by_role("button", name=name).click()
    detail = page.get_by_role("dialog", name=name)
    detail.get_by_role("button", name="Convert to deal").click()
    form = page.get_by_role("dialog", name="Convert to deal")
    expect(form.get_by_label("Deal name")).to_have_value(name)
    expect(form.get_by_label("Amount")).to_have_value("18500.00")
    expect(form.get_by_label("Expected close date")).to_have_value("2027-02-26")
    expect(form).to_contain_text("owner Alice Member")
    screenshot(page, "convert-to-deal")
    form.get_by_role("button", name="Convert").click()
    expect(form).to_be_hidden()
    expect(page.get_by_text(f'"{name}" converted')).to_be_visible()
    expect(detail).to_contain_text("Converted to a deal on")
    expect(detail.get_by_role("list", name="History")).to_contain_text(
        "Qualified → Converted by Alice Member"
    )
    expect(detail.get_by_role("button", name="Convert to deal")).to_have_count(0)
    detail.get_by_role("button", name="Close", exact=True).click()
    expect(column(page, "Converted").get_by_role("article", name=name)).to_be_visible()

    page.goto("/deals")
    deal = column(page, "Prospecting").get_by_role("article", name=name)
    expect(deal).to_contain_text("USD 18,500")
    deal.get_by_role("button", name=name).click()
    deal_detail = page.get_by_role("dialog", name=name)
    history = deal_detail.get_by_role("list", name="History")
    expect(history).to_contain_text("(new) → Prospecting by Alice Member")
    expect(history).to_contain_text(f'Converted from lead "{name}".')
    screenshot(page, "converted-deal")
    deal_detail.get_by_role("button", name="Close", exact=True).click()
    expect(page).to_have_url(re.compile(r"/deals(\?|$)"))  # the board's own address again

    # converting again is refused, and no second deal appears
    again = gql(
        "alice",
        "mutation($id: ID!) { convertLead(id: $id, input: {targetType: DEAL}) { leadId } }",
        id=lead_id,
    )
    assert again["errors"][0]["extensions"]["code"] == "CONFLICT"
    page.reload()
    expect(column(page, "Prospecting").get_by_role("article", name=name)).to_have_count(1)
