"""Issue 13: the e2e app runs scaled out (two app processes behind nginx, the first with
two granian workers, tab state in Redis). A killed worker is replaced and an open page
keeps working; a crashed and restarted app process leaves its open pages working; a tab
whose socket lands on another worker keeps its state."""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.app_fixtures import screenshot
from tests.cluster import Cluster


def _workers(main_pid: int) -> set[int]:
    """The app's backend worker processes (children of its main process)."""
    found = set()
    for pid in Path(f"/proc/{main_pid}/task/{main_pid}/children").read_text().split():
        try:
            if "python" in Path(f"/proc/{pid}/exe").resolve().name:
                found.add(int(pid))
        except OSError:  # gone meanwhile
            continue
    return found


def _column(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def test_a_killed_worker_is_replaced_and_the_open_page_keeps_working(page_as, app_server):
    base_url, app = app_server
    before = _workers(app.pid)
    assert len(before) == 2, before
    page = page_as("alice")
    page.goto("/deals")
    name = f"Survivor {uuid.uuid4().hex[:6]}"
    page.get_by_role("button", name="New deal").click()
    page.get_by_role("dialog").get_by_label("Name", exact=True).fill(name)
    page.get_by_role("dialog").get_by_role("button", name="Create").click()
    expect(_column(page, "Prospecting").get_by_role("article", name=name)).to_be_visible()

    for pid in before:  # every worker, one after the other: the page's own one included
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while len(_workers(app.pid) - {pid}) < 2 or pid in _workers(app.pid):
            assert app.poll() is None, "the backend went down with its worker"
            assert time.monotonic() < deadline, "the killed worker was not replaced"
            time.sleep(0.2)
    assert httpx.get(f"{base_url}/ping", timeout=10).status_code == 200

    # the open page reconnects to a new worker and carries on with its state (Redis)
    card = _column(page, "Prospecting").get_by_role("article", name=name)
    card.get_by_role("button", name="Move to").click()
    page.get_by_role("menuitem", name="Qualification").click()
    expect(_column(page, "Qualification").get_by_role("article", name=name)).to_be_visible(
        timeout=30_000
    )
    screenshot(page, "after-worker-restart")
    page.reload()
    expect(_column(page, "Qualification").get_by_role("article", name=name)).to_be_visible()


def test_open_pages_keep_working_when_their_app_process_crashes_and_restarts(
    page_as, app_cluster: Cluster
):
    page = page_as("alice", "b")  # pinned to the second process while it is up
    page.goto("/deals")
    name = f"Crash {uuid.uuid4().hex[:6]}"
    page.get_by_role("button", name="New deal").click()
    page.get_by_role("dialog").get_by_label("Name", exact=True).fill(name)
    page.get_by_role("dialog").get_by_role("button", name="Create").click()
    card = _column(page, "Prospecting").get_by_role("article", name=name)
    expect(card).to_be_visible()

    app_cluster.restart_second()  # SIGKILL, then started again

    # the socket reconnected (to the first process meanwhile) and the tab kept its state
    card.get_by_role("button", name="Move to").click()
    page.get_by_role("menuitem", name="Qualification").click()
    moved = _column(page, "Qualification").get_by_role("article", name=name)
    expect(moved).to_be_visible(timeout=30_000)
    screenshot(page, "after-app-process-restart")
    page.reload()  # served by the restarted process again
    expect(_column(page, "Qualification").get_by_role("article", name=name)).to_be_visible()
