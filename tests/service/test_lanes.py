"""Swimlanes (entities/lanes.py): lanes with counts and totals from the database, and a
drop into another lane that sets its value, as an edit or together with the move."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.service.helpers import sales_graph, step_named
from wfm_app.engine import custom_fields
from wfm_app.engine.custom_fields import CustomFieldCreate
from wfm_app.entities import deals, lanes
from wfm_app.entities.deals import DealCreate, DealUpdate
from wfm_app.errors import InvalidTransition, ValidationFailed


def _deal(actor, name, amount):
    return deals.service.create(actor, DealCreate(name=name, amount=Decimal(amount)))


def test_lanes_by_assignee_count_and_total_what_the_filters_keep(seeded):
    graph = sales_graph()
    acme, globex = _deal(seeded.alice, "Acme", 100), _deal(seeded.alice, "Globex", 250)
    _deal(seeded.bob, "Bob's", 7)
    deals.service.update(seeded.manager, acme.id, DealUpdate(assignee_id=seeded.bob.user_id))
    deals.service.update(seeded.manager, globex.id, DealUpdate(assignee_id=seeded.bob.user_id))
    by_assignee = lanes.lanes(seeded.manager, deals.service, graph.id, lanes.ASSIGNEE)
    assert [(lane.label, lane.count, lane.total) for lane in by_assignee] == [
        ("Bob Member", 2, Decimal(350)),
        ("Nobody", 1, Decimal(7)),
    ]
    assert by_assignee[0].key == str(seeded.bob.user_id)
    searched = lanes.lanes(seeded.manager, deals.service, graph.id, "assignee", search="Acme")
    assert [(lane.label, lane.count) for lane in searched] == [("Bob Member", 1), ("Nobody", 0)]
    # a member's lanes hold only what they may see
    mine = lanes.lanes(seeded.alice, deals.service, graph.id, lanes.OWNER)
    assert [(lane.label, lane.count) for lane in mine] == [("Alice Member", 2), ("Nobody", 0)]


def test_a_choice_field_has_a_lane_per_option_even_when_empty(seeded):
    custom_fields.create(
        seeded.admin,
        CustomFieldCreate(
            entity_type="DEAL", label="Region", field_type="DROPDOWN", options=["EMEA", "APAC"]
        ),
    )
    graph = sales_graph()
    deals.service.create(
        seeded.alice,
        DealCreate(name="Far", amount=Decimal(5), custom_fields={"region": "APAC"}),
    )
    keys = [g.key for g in lanes.groupings(seeded.alice, deals.service)]
    assert keys == ["owner", "assignee", "custom.region"]
    found = lanes.lanes(seeded.alice, deals.service, graph.id, "custom.region")
    assert [(lane.key, lane.label, lane.count) for lane in found] == [
        ("EMEA", "EMEA", 0),
        ("APAC", "APAC", 1),
        ("", "No region", 0),
    ]


def test_a_drop_into_another_lane_sets_its_value_with_the_move_or_not_at_all(seeded):
    graph = sales_graph()
    prospecting, qualification = graph.initial_step, step_named(graph, "Qualification")
    closed_won = step_named(graph, "Closed Won")
    acme = _deal(seeded.alice, "Acme", 100)
    bob = str(seeded.bob.user_id)
    same_column = lanes.place(
        seeded.manager, deals.service, acme.id, prospecting.id, prospecting.id, "assignee", "", bob
    )
    assert same_column[0].assignee_id == seeded.bob.user_id and same_column[1] is None
    to = (prospecting.id, qualification.id)
    card, moved = lanes.place(seeded.manager, deals.service, acme.id, *to, "assignee", bob, "")
    assert moved is not None and card.assignee_id is None
    assert card.wfm.step.id == qualification.id
    with pytest.raises(InvalidTransition):  # refused: the lane's value is not kept either
        lanes.place(
            seeded.manager,
            deals.service,
            acme.id,
            qualification.id,
            closed_won.id,
            "assignee",
            "",
            bob,
        )
    kept = deals.service.get_by_id(seeded.manager, acme.id)
    assert kept.assignee_id is None and kept.wfm.step.id == qualification.id


@pytest.mark.parametrize(
    ("group_by", "lane", "field"), [("stage", "x", "group_by"), ("owner", "", "lane")]
)
def test_bad_grouping_or_lane_is_refused_naming_it(seeded, group_by, lane, field):
    graph = sales_graph()
    acme = _deal(seeded.alice, "Acme", 1)
    with pytest.raises(ValidationFailed) as refused:
        lanes.place(
            seeded.alice,
            deals.service,
            acme.id,
            graph.initial_step.id,
            graph.initial_step.id,
            group_by,
            str(seeded.alice.user_id),
            lane,
        )
    assert field in refused.value.field_errors
