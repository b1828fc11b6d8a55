"""A board's address says what it shows (issue 33.1): search, filters and grouping are
in it, so a reload or the link in another browser shows the same board."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_filters_live_in_the_address(page_as):
    manager = page_as("manager")
    manager.goto("/deals")
    manager.get_by_label("Search", exact=True).fill("Acme")
    expect(manager).to_have_url(re.compile(r"[?&]q=Acme"))
    manager.get_by_label("Rotting or past SLA only").click()  # the server's round trip sets it
    expect(manager).to_have_url(re.compile(r"[?&]overdue=1"))
    manager.get_by_label("Group by").select_option(label="Owner")
    expect(manager).to_have_url(re.compile(r"[?&]group=owner"))
    address = manager.url

    manager.reload()
    expect(manager.get_by_label("Search", exact=True)).to_have_value("Acme")
    expect(manager.get_by_label("Rotting or past SLA only")).to_be_checked()
    expect(manager.get_by_label("Group by")).to_have_value("owner")

    other = page_as("admin")
    other.goto(address)
    expect(other.get_by_label("Search", exact=True)).to_have_value("Acme")
    expect(other.get_by_label("Group by")).to_have_value("owner")
    other.get_by_label("Group by").select_option(label="None")
    other.get_by_label("Search", exact=True).fill("")
    other.get_by_label("Rotting or past SLA only").click()
    expect(other).to_have_url(re.compile(r"/deals\?workflow=[0-9a-f-]{36}$"))
    manager.get_by_label("Group by").select_option(label="None")  # leave the board as it was
    manager.get_by_label("Search", exact=True).fill("")
    manager.get_by_label("Rotting or past SLA only").click()
    expect(manager).to_have_url(re.compile(r"/deals\?workflow=[0-9a-f-]{36}$"))
