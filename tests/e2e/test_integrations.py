"""/admin/wfm/integrations (issue 32.2): an admin makes an inbound endpoint, copies its
secret (shown once), and signed events create a card; a replay changes nothing, a bad
signature is refused, a refused move is listed with its reason and Retry."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from playwright.sync_api import expect
from standardwebhooks.webhooks import Webhook

from tests.app_fixtures import screenshot


def _post(page, address: str, secret: str, event: dict, delivery: str, sign: bool = True):
    body = json.dumps(event)
    now = datetime.now(UTC)
    signature = Webhook(secret).sign(delivery, now, body) if sign else "v1,AAAA"
    headers = {
        "webhook-id": delivery,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }
    return page.request.post(address, data=body, headers=headers)


def test_an_endpoint_takes_signed_events(page_as):
    tag = uuid.uuid4().hex[:6]
    page = page_as("admin")
    page.goto("/admin/wfm/integrations")
    page.get_by_role("button", name="New endpoint").click()
    dialog = page.get_by_role("dialog", name="New endpoint")
    dialog.get_by_label("Name", exact=True).fill(f"Helpdesk {tag}")
    dialog.get_by_label("Source").select_option(label="Generic JSON")
    dialog.get_by_label("Kind of card").select_option(label="Ticket")
    dialog.get_by_label("Their statuses to steps (optional)").fill("wip = Triaged")
    dialog.get_by_role("button", name="Create endpoint").click()
    secret = page.get_by_label("Secret").inner_text()
    assert secret.startswith("whsec_")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=f"Helpdesk {tag}"))
    address = row.get_by_role("cell").last.inner_text().removeprefix("POST ").strip()
    screenshot(page, "integrations-secret")

    made = {
        "external_id": f"HD-{tag}",
        "name": f"Printer jam {tag}",
        "fields": {"priority": "high"},
    }
    first = _post(page, address, secret, made, f"msg-{tag}")
    assert first.status == 200 and first.json()["outcome"] == "created"
    assert _post(page, address, secret, made, f"msg-{tag}").json()["outcome"] == "duplicate"
    assert _post(page, address, secret, made, f"bad-{tag}", sign=False).status == 401
    refused = {"external_id": f"HD-{tag}", "status": "Closed"}  # not a move from New
    assert _post(page, address, secret, refused, f"late-{tag}").status == 202
    moved = {"external_id": f"HD-{tag}", "status": "wip"}
    assert _post(page, address, secret, moved, f"wip-{tag}").json()["outcome"] == "moved"

    page.reload()
    expect(page.get_by_label("Secret")).to_have_count(0)  # shown once only
    events = page.get_by_role("table", name="Events received")
    expect(events.get_by_role("row").filter(has_text=f"HD-{tag}")).to_have_count(3)
    expect(events.get_by_role("button", name=f"Retry HD-{tag}")).to_be_visible()
    screenshot(page, "integrations-events")
    events.get_by_role("button", name=f"Retry HD-{tag}").click()
    expect(page.get_by_text("Refused again")).to_be_visible()

    page.goto("/tickets")
    triaged = page.get_by_role("region", name="Triaged", exact=True)
    expect(triaged.get_by_role("article", name=f"Printer jam {tag}")).to_contain_text(
        f"Helpdesk {tag} (integration)"
    )


def test_members_and_managers_do_not_reach_integrations(page_as):
    manager = page_as("manager")
    manager.goto("/admin/wfm/integrations")
    expect(manager.get_by_role("heading", name="You don't have access")).to_be_visible()
