"""Monte Carlo forecasts (engine/analytics/forecast.py) on a history whose answer is known:
one card reached Closed Won on each of the last 20 days, so every trial finishes 10 open
cards in exactly 10 days and 7 cards in 7; an uneven history gives spread but repeats
with the same seed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from tests.api.in_process import run
from tests.service.helpers import sales_graph, step_named
from wfm_app import db
from wfm_app.engine.analytics import forecast
from wfm_app.engine.models import WfmProject
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import ValidationFailed

NOW = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
TODAY = datetime.combine(NOW.date(), datetime.min.time(), UTC)


def _history(people, finished_on_days_ago: list[int], open_cards: int) -> None:
    graph = sales_graph()
    won = step_named(graph, "Closed Won").id
    first = max(finished_on_days_ago)
    made = []
    for n, days_ago in enumerate([*finished_on_days_ago, *[None] * open_cards]):
        deal = deals.service.create(people.alice, DealCreate(name=f"D{n}", amount=Decimal(1)))
        made.append((deal.wfm.wfm_project_id, days_ago))
    with db.get_engine().begin() as conn:
        for project_id, days_ago in made:
            values: dict = {"created_at": TODAY - timedelta(days=first)}
            if days_ago is not None:
                values |= {
                    "current_step_id": won,
                    "step_entered_at": TODAY - timedelta(days=days_ago) + timedelta(hours=12),
                }
            conn.execute(update(WfmProject).where(WfmProject.id == project_id).values(**values))


def test_a_steady_history_gives_exact_dates_and_counts(seeded):
    _history(seeded, list(range(1, 21)), open_cards=10)
    graph = sales_graph()
    answer = forecast.forecast(
        seeded.manager, graph.id, by_date=NOW.date() + timedelta(days=7), now=NOW
    )
    assert answer.note == ""
    assert (answer.window_start, answer.window_end) == (
        (TODAY - timedelta(days=20)).date(),
        (TODAY - timedelta(days=1)).date(),
    )
    assert (answer.finished_in_window, answer.cards) == (20, 10)
    in_ten = NOW.date() + timedelta(days=10)
    assert answer.done_by == [(50, in_ten), (85, in_ten), (95, in_ten)]
    assert answer.done_by_date == [(50, 7), (85, 7), (95, 7)]
    # a column's cards, or a number asked for
    prospecting = graph.initial_step.id
    assert forecast.forecast(seeded.manager, graph.id, step_id=prospecting, now=NOW).cards == 10
    three = forecast.forecast(seeded.manager, graph.id, cards=3, now=NOW)
    assert three.done_by[0] == (50, NOW.date() + timedelta(days=3))


def test_an_uneven_history_spreads_and_repeats_with_its_seed(seeded):
    # two cards every other day over 20 days: 20 finished, a mean of one a day
    _history(seeded, [d for d in range(1, 21) for _ in range(2) if d % 2 == 0], open_cards=10)
    graph = sales_graph()
    first = forecast.forecast(seeded.manager, graph.id, now=NOW, seed=7)
    again = forecast.forecast(seeded.manager, graph.id, now=NOW, seed=7)
    assert first == again
    days = [(when - NOW.date()).days for _p, when in first.done_by if when is not None]
    assert len(days) == 3 and days[0] <= days[1] <= days[2]
    assert 8 <= days[0] <= 12 and days[2] > days[0]  # around ten days, later when unlucky


def test_too_little_history_says_so(seeded):
    _history(seeded, [1, 2], open_cards=1)
    answer = forecast.forecast(seeded.manager, sales_graph().id, now=NOW)
    assert answer.done_by == [] and "a forecast needs at least 14" in answer.note


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"cards": 0}, "cards"),
        ({"window_days": 3}, "windowDays"),
        ({"by_date": NOW.date()}, "byDate"),
        ({"card_ids": []}, "cardIds"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_arguments_are_refused_naming_them(seeded, arguments, field):
    with pytest.raises(ValidationFailed) as refused:
        forecast.forecast(seeded.manager, sales_graph().id, now=NOW, **arguments)
    assert field in refused.value.field_errors


def test_graphql_answers_the_same_and_refuses_a_members_peek(seeded):
    _history(seeded, list(range(1, 21)), open_cards=10)
    query = """query($w: ID!, $by: Date, $owner: ID) {
      wfmForecast(workflowId: $w, byDate: $by, ownerId: $owner) {
        windowStart windowEnd finishedInWindow cards note
        doneBy { percent date } doneByDate { percent count }
      }
    }"""
    graph = sales_graph()
    by = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    answer = run(seeded.manager, query, w=str(graph.id), by=by)["data"]["wfmForecast"]
    assert (answer["finishedInWindow"], answer["cards"], answer["note"]) == (20, 10, "")
    in_ten = (datetime.now(UTC).date() + timedelta(days=10)).isoformat()
    assert answer["doneBy"] == [{"percent": p, "date": in_ten} for p in (50, 85, 95)]
    assert answer["doneByDate"] == [{"percent": p, "count": 7} for p in (50, 85, 95)]
    peek = run(seeded.bob, query, w=str(graph.id), owner=str(seeded.alice.user_id))
    assert peek["errors"][0]["extensions"]["code"] == "FORBIDDEN"
