"""Issue 11 (engine part): conditions on transitions and WIP limits, checked inside the
move's transaction, on both databases."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.service.helpers import count, sales_graph, step_named
from wfm_app import db
from wfm_app.engine import custom_fields, rules, steps, transitions
from wfm_app.engine.custom_fields import CustomFieldCreate
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.rules import MoveRequest
from wfm_app.engine.schemas import StepUpdate, TransitionUpdate
from wfm_app.entities import deals
from wfm_app.errors import ConditionFailed, ValidationFailed, WipLimitReached

CLOSE_DATE = {
    "field": "expected_close_date",
    "condition": "not_null",
    "error_message": "Expected close date is required",
}


def _edge(graph, source: str, target: str):
    return graph.transition(step_named(graph, source).id, step_named(graph, target).id)


def _condition(admin, source: str, target: str, conditions: dict) -> None:
    transitions.update_transition(
        admin, _edge(sales_graph(), source, target).id, TransitionUpdate(conditions=conditions)
    )


@pytest.mark.parametrize(
    ("operator", "actual", "expected", "holds"),
    [
        ("not_null", "x", None, True),
        ("not_null", "", None, False),
        ("equals", "EMEA", "EMEA", True),
        ("equals", Decimal("5"), 5, True),
        ("not_equals", "EMEA", "APAC", True),
        ("gt", Decimal("1000.00"), 999, True),
        ("gte", 1000, "1000", True),
        ("lt", "2027-01-01", "2026-12-31", False),
        ("lte", 5, 5, True),
        ("in", "EMEA", ["EMEA", "APAC"], True),
        ("not_in", "EMEA", ["EMEA", "APAC"], False),
        ("gt", None, 1, False),
    ],
)
def test_every_operator(operator, actual, expected, holds):
    assert rules._holds(operator, actual, expected) is holds


def test_conditions_are_checked_when_saved(seeded):
    seeded_conditions = _edge(sales_graph(), "Qualification", "Proposal").conditions
    assert seeded_conditions == {"required_fields": [CLOSE_DATE]}  # the spec's example
    for bad, sentence in (
        ({"required_fields": [{"field": "colour", "condition": "not_null"}]}, "not a field"),
        ({"required_fields": [{"field": "amount", "condition": "bigger"}]}, "not a condition"),
        ({"required_fields": [{"field": "amount", "condition": "in", "value": 3}]}, "a list"),
        ({"allowed_roles": ["wfm_boss"]}, "Unknown role"),
        ({"require_reason": True}, "know no"),
    ):
        with pytest.raises(ValidationFailed, match=sentence) as refused:
            _condition(seeded.admin, "Qualification", "Proposal", bad)
        assert "conditions" in refused.value.field_errors
    assert _edge(sales_graph(), "Qualification", "Proposal").conditions == seeded_conditions


def test_a_move_needs_what_its_transition_requires(seeded):
    admin, alice = seeded.admin, seeded.alice
    custom_fields.create(
        admin,
        CustomFieldCreate(
            entity_type="DEAL", label="Region", field_type="DROPDOWN", options=["EMEA", "APAC"]
        ),
    )
    amount_rule = {
        "field": "amount",
        "condition": "gte",
        "value": 1000,
        "error_message": "At least 1,000",
    }
    region_rule = {
        "field": "custom.region",
        "condition": "in",
        "value": ["EMEA"],
        "error_message": "EMEA only",
    }
    _condition(
        admin,
        "Qualification",
        "Proposal",
        {"required_fields": [CLOSE_DATE, amount_rule, region_rule], "require_comment": True},
    )
    graph = sales_graph()
    deal = deals.service.create(alice, deals.DealCreate(name="Gated", amount=Decimal(500)))
    deals.service.move(alice, deal.id, step_named(graph, "Qualification").id)
    proposal = step_named(graph, "Proposal").id

    with pytest.raises(ConditionFailed) as refused:
        deals.service.move(alice, deal.id, proposal)
    assert [item["field"] for item in refused.value.unmet] == [
        "expected_close_date",
        "amount",
        "custom.region",
        "comment",
    ]
    assert refused.value.unmet[0] == {
        "field": "expected_close_date",
        "label": "Expected close date",
        "message": "Expected close date is required",
    }
    # values given with the move are saved and checked in the same transaction
    with pytest.raises(ConditionFailed):
        deals.service.move(
            alice,
            deal.id,
            proposal,
            request=MoveRequest(values={"expected_close_date": "2027-01-31"}, comment="ok"),
        )
    assert deals.service.get_by_id(alice, deal.id).expected_close_date is None  # rolled back
    moved = deals.service.move(
        alice,
        deal.id,
        proposal,
        request=MoveRequest(
            values={"expected_close_date": "2027-01-31", "amount": "1500", "custom.region": "EMEA"},
            comment="Customer confirmed the budget",
        ),
    )
    assert moved.wfm.step_name == "Proposal" and moved.custom_fields == {"region": "EMEA"}
    last = deals.service.history(alice, deal.id)[-1]
    assert last.comment == "Customer confirmed the budget"
    assert last.values["amount"] == "1500" and last.override is False


def test_only_allowed_roles_take_a_transition(seeded):
    _condition(seeded.admin, "Prospecting", "Qualification", {"allowed_roles": ["wfm_manager"]})
    deal = deals.service.create(seeded.alice, deals.DealCreate(name="Needs a manager"))
    target = step_named(sales_graph(), "Qualification").id
    with pytest.raises(ConditionFailed, match="Only wfm_manager"):
        deals.service.move(seeded.alice, deal.id, target)
    assert deals.service.move(seeded.manager, deal.id, target).wfm.step_name == "Qualification"


def _limit(admin, step_name: str, limit: int, policy: str) -> None:
    step = step_named(sales_graph(), step_name)
    metadata = {**step.metadata, "wip_limit": limit, "wip_policy": policy}
    steps.update_step(admin, step.id, StepUpdate(metadata=metadata))


def test_wip_limits_warn_or_block_and_a_manager_may_override(seeded):
    with pytest.raises(ValidationFailed, match="WIP limit must be"):
        _limit(seeded.admin, "Qualification", 0, "block")
    _limit(seeded.admin, "Qualification", 1, "block")
    graph = sales_graph()
    target = step_named(graph, "Qualification").id
    first, second = (
        deals.service.create(seeded.alice, deals.DealCreate(name=n)) for n in ("One", "Two")
    )
    deals.service.move(seeded.alice, first.id, target)
    with pytest.raises(WipLimitReached, match="limit of 1"):
        deals.service.move(seeded.alice, second.id, target)
    with pytest.raises(WipLimitReached):  # a member cannot override
        deals.service.move(
            seeded.alice, second.id, target, request=MoveRequest(override=True, comment="please")
        )
    moved = deals.service.move(
        seeded.manager, second.id, target, request=MoveRequest(override=True, comment="Quarter end")
    )
    assert moved.wfm.step_name == "Qualification"
    assert deals.service.history(seeded.manager, second.id)[-1].override is True
    _limit(seeded.admin, "Qualification", 1, "warn")
    third = deals.service.create(seeded.alice, deals.DealCreate(name="Three"))
    result = deals.service.move_command(seeded.alice, third.id, target)
    assert result.card.wfm.step_name == "Qualification"
    assert "holds 2 of its limit of 1" in (result.notice or "")
    assert result.loads == {target: 3}  # the board's WIP label, from the move's result


def test_sixteen_movers_into_a_block_column_with_room_for_three(seeded):
    graph = sales_graph()
    target = step_named(graph, "Qualification").id
    _limit(seeded.admin, "Qualification", 3, "block")
    made = [deals.service.create(seeded.alice, deals.DealCreate(name=f"R{i}")) for i in range(16)]
    outcomes: list[object] = []
    guard = threading.Lock()

    def attempt(deal_id):
        try:
            result: object = deals.service.move(seeded.alice, deal_id, target)
        except WipLimitReached as error:
            result = error
        with guard:
            outcomes.append(result)

    blocker = db.get_engine().connect()  # hold every card so all movers start together
    transaction = blocker.begin()
    if blocker.dialect.name == "postgresql":
        blocker.execute(select(WfmProject.id).with_for_update())
    threads = [threading.Thread(target=attempt, args=(deal.id,)) for deal in made]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    transaction.rollback()
    blocker.close()
    for thread in threads:
        thread.join(timeout=60)
    refused = [o for o in outcomes if isinstance(o, WipLimitReached)]
    assert len(outcomes) == 16 and len(refused) == 13
    assert count(WfmProjectHistory) == 3
    assert count(WfmProject, WfmProject.current_step_id == target) == 3


def test_graphql_answers_condition_failed_and_takes_values(seeded):
    from tests.api.flows import codes, data
    from tests.service.test_custom_fields import run

    edge = _edge(sales_graph(), "Qualification", "Proposal")
    saved = data(
        run(
            seeded.admin,
            """mutation($id: ID!, $c: JSON) { updateWFMWorkflowTransition(id: $id,
                 input: {conditions: $c}) { conditions } }""",
            id=str(edge.id),
            c={"required_fields": [CLOSE_DATE]},
        )
    )
    assert saved["updateWFMWorkflowTransition"]["conditions"]["required_fields"] == [CLOSE_DATE]
    deal = deals.service.create(seeded.alice, deals.DealCreate(name="Via API"))
    deals.service.move(seeded.alice, deal.id, step_named(sales_graph(), "Qualification").id)
    move = """mutation($d: ID!, $s: ID!, $v: JSON, $c: String) {
        updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s, values: $v, comment: $c)
        { expected_close_date currentWfmStatus { name } history { comment } } }"""
    proposal = str(step_named(sales_graph(), "Proposal").id)
    refused = run(seeded.alice, move, d=str(deal.id), s=proposal)
    assert codes(refused) == ["CONDITION_FAILED"]
    assert refused["errors"][0]["extensions"]["unmet"] == [
        {
            "field": "expected_close_date",
            "label": "Expected close date",
            "message": "Expected close date is required",
        }
    ]
    moved = data(
        run(
            seeded.alice,
            move,
            d=str(deal.id),
            s=proposal,
            v={"expected_close_date": "2027-02-01"},
            c="Dated now",
        )
    )["updateDealWFMProgress"]
    assert moved["expected_close_date"] == "2027-02-01"
    assert moved["currentWfmStatus"]["name"] == "Proposal"
    assert moved["history"][-1]["comment"] == "Dated now"
    _limit(seeded.admin, "Negotiation", 1, "block")
    other = deals.service.create(
        seeded.bob, deals.DealCreate(name="Other", expected_close_date="2027-03-01")
    )
    for step in ("Qualification", "Proposal", "Negotiation"):
        deals.service.move(seeded.bob, other.id, step_named(sales_graph(), step).id)
    full = run(
        seeded.alice, move, d=str(deal.id), s=str(step_named(sales_graph(), "Negotiation").id)
    )
    assert codes(full) == ["WIP_LIMIT"] and "limit of 1" in full["errors"][0]["message"]
