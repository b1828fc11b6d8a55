"""Issue 13 in the browser: a move appears on another viewer's open board without a
reload (board or API), only for viewers allowed to see the card, with the owner and the
manager on two different app processes behind nginx (tests/cluster.py)."""

from __future__ import annotations

import uuid

import psutil
from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot
from tests.cluster import Cluster

CREATE = 'mutation($n: String!) { createDeal(input: {name: $n, expected_close_date: "2027-05-31"}) { id } }'
MOVE = "mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s) { id } }"
STEPS = '{ wfmProjectTypeByName(name: "Sales Deal") { defaultWorkflow { steps { id status { name } } } } }'


def _column(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def _sockets_on(process: psutil.Process, port: int) -> int:
    """Established connections to ``port`` held by the process and its workers."""
    family = [process, *process.children(recursive=True)]
    return sum(
        1
        for member in family
        for connection in member.net_connections(kind="tcp")
        if connection.status == psutil.CONN_ESTABLISHED and connection.laddr.port == port
    )


def test_moves_reach_other_open_boards_without_a_reload(page_as, gql, app_cluster: Cluster):
    # the owner's tab on the second app process, the manager's and Bob's on the first
    owner, manager, other = page_as("alice", "b"), page_as("manager", "a"), page_as("bob", "a")
    name = f"Live {uuid.uuid4().hex[:6]}"
    steps = gql("alice", STEPS)["data"]["wfmProjectTypeByName"]["defaultWorkflow"]["steps"]
    step = {s["status"]["name"]: s["id"] for s in steps}
    for page in (owner, manager, other):
        page.goto("/deals")
        expect(_column(page, "Prospecting")).to_be_visible()
    second = psutil.Process(app_cluster.second.pid)
    assert _sockets_on(second, app_cluster.second_port) >= 1  # the owner's event socket

    deal = gql("alice", CREATE, n=name)["data"]["createDeal"]["id"]  # over the API
    expect(_column(manager, "Prospecting").get_by_role("article", name=name)).to_be_visible()
    expect(_column(owner, "Prospecting").get_by_role("article", name=name)).to_be_visible()

    # the owner moves it on the board; the manager sees it arrive, with the counts
    qualification = _column(manager, "Qualification")
    before = int(qualification.get_by_label("Cards in column").inner_text())
    card = _column(owner, "Prospecting").get_by_role("article", name=name)
    card.get_by_role("button", name="Move to").click()
    owner.get_by_role("menuitem", name="Qualification").click()
    expect(qualification.get_by_role("article", name=name)).to_be_visible()
    expect(_column(manager, "Prospecting").get_by_role("article", name=name)).to_have_count(0)
    expect(qualification.get_by_label("Cards in column")).to_have_text(str(before + 1))
    screenshot(manager, "live-board-manager")

    # a move over the API reaches both boards; the manager's open menu stays open
    _column(manager, "Qualification").get_by_role("button", name="Move to").first.click()
    menu = manager.get_by_role("menu")
    expect(menu).to_be_visible()
    gql("alice", MOVE, d=deal, s=step["Proposal"])
    expect(_column(owner, "Proposal").get_by_role("article", name=name)).to_be_visible()
    expect(menu).to_be_visible()
    manager.keyboard.press("Escape")
    expect(_column(manager, "Proposal").get_by_role("article", name=name)).to_be_visible()

    # Bob may not see Alice's deal: it never reaches his board
    other.wait_for_timeout(1000)
    expect(other.get_by_role("article", name=name)).to_have_count(0)
    other.reload()
    expect(_column(other, "Proposal")).to_be_visible()
    expect(other.get_by_role("article", name=name)).to_have_count(0)
