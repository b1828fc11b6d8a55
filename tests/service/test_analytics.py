"""Issue 14: analytics from the move history, on PostgreSQL and SQLite, against a fixed
history whose figures are worked out by hand below.

The Standard Sales Process; T0 = Monday 2026-03-02 00:00 UTC; "now" = T0 + 240 h.
Hours after T0 (P Prospecting, Q Qualification, Pr Proposal, W Closed Won, L Closed Lost):

  A (Alice)  created 0 on P;  P->Q 10;  Q->Pr 30;  Pr->W 50
  B (Alice)  created 24 on P; P->Q 44;  Q->P 50 (rework);  P->Q 54   (still on Q)
  C (Alice)  created 48 on P; P->L 60
  D (Bob)    created 72 on P                                         (still on P)

Stays in hours: P: A 10, B 20, B 4, C 12, D 168 (current); Q: A 20, B 6, B 186
(current); Pr: A 20; W: A 190; L: C 180.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, insert, update

from tests.service.helpers import sales_graph, step_named
from wfm_app import db
from wfm_app.auth.actor import Actor
from wfm_app.engine import analytics
from wfm_app.engine.analytics import bottlenecks
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import Forbidden, ValidationFailed

T0 = datetime(2026, 3, 2, tzinfo=UTC)
NOW = T0 + timedelta(hours=240)
END = datetime(2026, 3, 12, tzinfo=UTC)

STORY = {  # name: (owner, created hour, [(from, to, hour)])
    "A": ("alice", 0, [("P", "Q", 10), ("Q", "Pr", 30), ("Pr", "W", 50)]),
    "B": ("alice", 24, [("P", "Q", 44), ("Q", "P", 50), ("P", "Q", 54)]),
    "C": ("alice", 48, [("P", "L", 60)]),
    "D": ("bob", 72, []),
}
NAMES = {
    "P": "Prospecting",
    "Q": "Qualification",
    "Pr": "Proposal",
    "W": "Closed Won",
    "L": "Closed Lost",
}


@pytest.fixture
def story(seeded):
    graph = sales_graph()
    step = {short: step_named(graph, name).id for short, name in NAMES.items()}
    made = {}
    for name, (owner, created, moves) in STORY.items():
        deal = deals.service.create(
            getattr(seeded, owner), DealCreate(name=name, amount=Decimal(1000))
        )
        made[name] = deal.wfm.wfm_project_id
        last = moves[-1] if moves else None
        with db.get_engine().begin() as conn:
            conn.execute(
                update(WfmProject)
                .where(WfmProject.id == made[name])
                .values(
                    created_at=T0 + timedelta(hours=created),
                    current_step_id=step[last[1]] if last else step["P"],
                    step_entered_at=T0 + timedelta(hours=last[2] if last else created),
                )
            )
            conn.execute(
                delete(WfmProjectHistory).where(WfmProjectHistory.wfm_project_id == made[name])
            )
            entered = created
            for origin, target, hour in moves:
                conn.execute(
                    insert(WfmProjectHistory).values(
                        id=uuid.uuid4(),
                        wfm_project_id=made[name],
                        from_step_id=step[origin],
                        to_step_id=step[target],
                        changed_at=T0 + timedelta(hours=hour),
                        from_entered_at=T0 + timedelta(hours=entered),
                    )
                )
                entered = hour
    return graph, step, made, seeded


def _of(actor: Actor, graph, **kwargs) -> analytics.Analytics:
    return analytics.of(
        actor, graph.id, kwargs.pop("start", T0), kwargs.pop("end", END), now=NOW, **kwargs
    )


def _times(report: analytics.Analytics, step) -> dict[str, tuple[int, float, float, float]]:
    names = {v: k for k, v in step.items()}
    return {
        names[t.step_id]: (
            t.count,
            round(t.mean_hours, 3),
            round(t.median_hours, 3),
            round(t.p85_hours, 3),
        )
        for t in report.time_in_step
    }


def test_time_in_step_for_a_manager_counts_current_stays_until_now(story):
    graph, step, _made, people = story
    report = _of(people.manager, graph)
    assert _times(report, step) == {
        # P: 4 10 12 20 168 -> mean 42.8, median 12, p85 = 20 + 0.4 * (168 - 20)
        "P": (5, 42.8, 12.0, 79.2),
        # Q: 6 20 186 -> mean 70.667, median 20, p85 = 20 + 0.7 * (186 - 20)
        "Q": (3, 70.667, 20.0, 136.2),
        "Pr": (1, 20.0, 20.0, 20.0),
        "W": (1, 190.0, 190.0, 190.0),
        "L": (1, 180.0, 180.0, 180.0),
    }


def test_a_member_sees_their_own_work_only_and_may_not_ask_for_someone_elses(story):
    graph, step, _made, people = story
    mine = _of(people.alice, graph)
    # P without Bob's D: 4 10 12 20 -> mean 11.5, median 11, p85 = 12 + 0.55 * 8
    assert _times(mine, step)["P"] == (4, 11.5, 11.0, 16.4)
    assert mine.funnel[0].entered == 3
    with pytest.raises(Forbidden):
        _of(people.bob, graph, owner_id=people.alice.user_id)
    bobs = _of(people.manager, graph, owner_id=people.bob.user_id)
    assert _times(bobs, step) == {"P": (1, 168.0, 168.0, 168.0)}


def test_funnel_counts_who_entered_and_who_got_further_or_won(story):
    graph, step, _made, people = story
    funnel = {
        f.step_id: (f.entered, f.reached_next, f.reached_won)
        for f in _of(people.manager, graph).funnel
    }
    assert funnel[step["P"]] == (4, 2, 1)  # A and B went on (C only lost), A won
    assert funnel[step["Q"]] == (2, 1, 1)  # B went back to P: not further
    assert funnel[step["Pr"]] == (1, 1, 1)
    assert funnel[step["W"]] == (1, 0, 1)
    assert funnel[step["L"]] == (1, 0, 0)
    assert funnel[step_named(graph, "Negotiation").id] == (0, 0, 0)


def test_cumulative_flow_is_cards_per_step_at_the_end_of_each_day(story):
    graph, step, _made, people = story
    flow = _of(people.manager, graph).cumulative_flow
    assert [day.day for day in flow] == [date(2026, 3, 2) + timedelta(days=n) for n in range(10)]
    table = [
        {short: dict(day.counts)[step[short]] for short in ("P", "Q", "Pr", "W", "L")}
        for day in flow
    ]
    assert table[0] == {"P": 0, "Q": 1, "Pr": 0, "W": 0, "L": 0}  # A on Q
    assert table[1] == {"P": 0, "Q": 1, "Pr": 1, "W": 0, "L": 0}  # B on Q, A on Pr
    assert table[2] == {"P": 0, "Q": 1, "Pr": 0, "W": 1, "L": 1}  # A won, C lost
    assert table[3] == table[9] == {"P": 1, "Q": 1, "Pr": 0, "W": 1, "L": 1}  # D arrived


def test_throughput_cycle_time_aging_and_transitions(story):
    graph, step, _made, people = story
    report = _of(people.manager, graph)
    assert [(w.week_start, w.finished) for w in report.throughput] == [
        (date(2026, 3, 2), 2),  # A won and C lost on Wednesday
        (date(2026, 3, 9), 0),
    ]
    cycle = report.cycle_time  # A 50 h, C 12 h
    assert (cycle.count, cycle.p50_hours, round(cycle.p85_hours or 0, 3)) == (2, 31.0, 44.3)
    assert dict(cycle.buckets)["under 1 day"] == 1 and dict(cycle.buckets)["1-3 days"] == 1
    assert [(c.name, c.step_id, round(c.hours_in_step, 3)) for c in report.aging] == [
        ("B", step["Q"], 186.0),
        ("D", step["P"], 168.0),
    ]
    assert report.open_cards == 2 and report.aging[0].entity_type == "DEAL"
    moves = {(t.from_step_id, t.to_step_id): (t.count, t.backwards) for t in report.transitions}
    assert moves == {
        (step["P"], step["Q"]): (3, False),
        (step["Q"], step["Pr"]): (1, False),
        (step["Pr"], step["W"]): (1, False),
        (step["Q"], step["P"]): (1, True),
        (step["P"], step["L"]): (1, False),
    }


def test_the_date_range_selects_stays_and_moves_that_began_in_it(story):
    graph, step, _made, people = story
    later = _of(people.manager, graph, start=T0 + timedelta(hours=48))
    # From hour 48: P stays B 4, C 12, D 168 (p85 = 12 + 0.7 * 156); Q: B 186; W: A 190.
    assert _times(later, step)["P"] == (3, 61.333, 12.0, 121.2)
    moves = {(t.from_step_id, t.to_step_id): t.count for t in later.transitions}
    assert moves == {
        (step["Pr"], step["W"]): 1,
        (step["Q"], step["P"]): 1,
        (step["P"], step["Q"]): 1,
        (step["P"], step["L"]): 1,
    }


def test_bad_ranges_are_refused_naming_the_field(story):
    graph, _step, _made, people = story
    with pytest.raises(ValidationFailed) as backwards:
        _of(people.manager, graph, start=END, end=T0)
    assert "from" in backwards.value.field_errors
    with pytest.raises(ValidationFailed) as too_long:
        _of(people.manager, graph, start=T0 - timedelta(days=2000))
    assert "from" in too_long.value.field_errors


ANALYTICS = """query($w: ID!, $from: DateTime, $to: DateTime, $owner: ID) {
  wfmAnalytics(workflowId: $w, from: $from, to: $to, ownerId: $owner) {
    timeInStep { step { id } count meanHours medianHours p85Hours }
    funnel { step { id } entered reachedNext }
    cumulativeFlow { day counts { step { id } count } }
    throughput { weekStart finished }
    cycleTimeHours { p50 p85 }
    aging { project { id } step { id } hoursInStep }
    transitions { fromStep { id } toStep { id } count }
    bottlenecks { step { id } sentence queue previousQueue }
  }
}"""


def _graphql(actor: Actor, **variables):
    from tests import harness
    from wfm_app.api.graphql.context import Context
    from wfm_app.api.graphql.schema import schema

    context = Context(actor=actor)
    return harness.run_async(
        schema.execute(ANALYTICS, variable_values=variables, context_value=context)
    )


def test_graphql_gives_the_same_figures_checked_like_the_page(story):
    graph, step, made, people = story
    # "now" is the real now here, so only figures that do not depend on it are compared
    result = _graphql(
        people.manager, w=str(graph.id), **{"from": T0.isoformat(), "to": END.isoformat()}
    )
    assert result.errors is None, result.errors
    data = result.data["wfmAnalytics"]
    funnel = {f["step"]["id"]: (f["entered"], f["reachedNext"]) for f in data["funnel"]}
    assert funnel[str(step["P"])] == (4, 2) and funnel[str(step["Q"])] == (2, 1)
    assert data["cycleTimeHours"] == {"p50": 31.0, "p85": 44.3}
    assert [w["finished"] for w in data["throughput"]] == [2, 0]
    assert {(t["fromStep"]["id"], t["toStep"]["id"]): t["count"] for t in data["transitions"]}[
        (str(step["P"]), str(step["Q"]))
    ] == 3
    assert [a["project"]["id"] for a in data["aging"]] == [str(made["B"]), str(made["D"])]
    flow = data["cumulativeFlow"][2]["counts"]
    assert {c["step"]["id"]: c["count"] for c in flow}[str(step["W"])] == 1

    refused = _graphql(people.bob, w=str(graph.id), owner=str(people.alice.user_id))
    assert refused.errors[0].extensions["code"] == "FORBIDDEN"
    backwards = _graphql(
        people.manager, w=str(graph.id), **{"from": END.isoformat(), "to": T0.isoformat()}
    )
    assert backwards.errors[0].extensions["code"] == "VALIDATION"
    assert "from" in str(backwards.errors[0].extensions)


def test_bottlenecks_name_the_steps_that_grew_slower_or_fuller(story, monkeypatch):
    """This period [T0+48h, T0+96h) against [T0, T0+48h). Queues: at 48 h B is on Q and
    A on Pr; at 96 h D is on P and B on Q. Stays that began in each period: P 10 20 (p85
    18.5 h) then 4 12 168 (121.2 h); Q 20 6 (17.9 h) then 186 (current, until now)."""
    graph, step, _made, people = story
    period = {"start": T0 + timedelta(hours=48), "end": T0 + timedelta(hours=96)}
    assert [b.sentence for b in _of(people.manager, graph, **period).bottlenecks] == [
        "Prospecting: queue 1 card, up from 0."  # two stays before: no percentile said
    ]
    # the same over GraphQL (its "now" is the real one: only the queues are compared)
    asked = {"from": period["start"].isoformat(), "to": period["end"].isoformat()}
    answer = _graphql(people.manager, w=str(graph.id), **asked).data["wfmAnalytics"]
    assert answer["bottlenecks"] == [
        {
            "step": {"id": str(step["P"])},
            "sentence": "Prospecting: queue 1 card, up from 0.",
            "queue": 1,
            "previousQueue": 0,
        }
    ]
    monkeypatch.setattr(bottlenecks, "MIN_STAYS", 1)
    found = _of(people.manager, graph, **period).bottlenecks
    assert [b.sentence for b in found] == [
        "Qualification: 85th percentile 7.8 days, up from 0.7.",
        "Prospecting: 85th percentile 5.0 days, up from 0.8; queue 1 card, up from 0.",
    ]
    assert (found[1].queue, found[1].previous_queue) == (1, 0)
    # nothing grew for Bob's work alone over the first days
    assert (
        _of(
            people.manager, graph, owner_id=people.bob.user_id, end=T0 + timedelta(hours=48)
        ).bottlenecks
        == []
    )
