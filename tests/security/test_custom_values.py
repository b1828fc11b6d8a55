"""Issue 24.6 (values): a custom value is stored as typed or refused with a VALIDATION
error naming ``custom.<key>``: TEXT takes only text, NUMBER refuses what would overflow or
underflow, and a kind has at most 200 active custom fields."""

from __future__ import annotations

import pytest

from tests.api.in_process import run
from tests.service.helpers import sales_graph, step_named
from wfm_app.engine import custom_fields
from wfm_app.engine.custom_fields import MAX_ACTIVE_PER_KIND, CustomFieldCreate
from wfm_app.engine.rules import MoveRequest
from wfm_app.entities import deals
from wfm_app.errors import ValidationFailed


@pytest.fixture
def fields(seeded):
    for label, field_type in (("Region", "TEXT"), ("Seats", "NUMBER")):
        custom_fields.create(
            seeded.admin, CustomFieldCreate(entity_type="DEAL", label=label, field_type=field_type)
        )
    return seeded


def refused(call) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.field_errors


def test_text_takes_only_text_even_through_a_move(fields):
    alice = fields.alice
    deal = deals.service.create(alice, deals.DealCreate(name="Typed"))
    target = step_named(sales_graph(), "Qualification").id
    for value in ({"nested": "object"}, ["a", "list"], 42, True):
        errors = refused(
            lambda v=value: deals.service.move(
                alice, deal.id, target, request=MoveRequest(values={"custom.region": v})
            )
        )
        assert errors == {"custom.region": "Region must be text."}
    kept = deals.service.get_by_id(alice, deal.id)
    assert kept.custom_fields == {} and kept.wfm.step_name == "Prospecting"  # nothing changed
    moved = deals.service.move(
        alice, deal.id, target, request=MoveRequest(values={"custom.region": "EMEA"})
    )
    assert moved.custom_fields == {"region": "EMEA"}


def test_numbers_that_would_overflow_or_underflow_are_refused(fields):
    alice = fields.alice
    deal = deals.service.create(alice, deals.DealCreate(name="Counted"))

    def set_seats(value):
        return deals.service.update(
            alice, deal.id, deals.DealUpdate(custom_fields={"custom.seats": value})
        )

    for value in ("1e-400", "-1e-400", 1e-320, "1e400", "1e15", "NaN", "Infinity", "1" * 65):
        assert "custom.seats" in refused(lambda v=value: set_seats(v)), value
    for value in ({"n": 1}, [1], True):
        assert refused(lambda v=value: set_seats(v)) == {"custom.seats": "Seats must be a number."}
    assert set_seats("1e-300").custom_fields["seats"] == 1e-300
    assert set_seats("12,500").custom_fields["seats"] == 12500.0
    assert set_seats(0).custom_fields["seats"] == 0.0


def test_graphql_names_the_field(fields):
    deal = deals.service.create(fields.alice, deals.DealCreate(name="Over the API"))
    answer = run(
        fields.alice,
        "mutation($id: ID!, $s: ID!, $v: JSON) "
        "{ updateDealWFMProgress(dealId: $id, targetWfmWorkflowStepId: $s, values: $v) { id } }",
        id=str(deal.id),
        s=str(step_named(sales_graph(), "Qualification").id),
        v={"custom.region": {"$gt": ""}},
    )
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert error["extensions"]["fieldErrors"] == {"custom.region": "Region must be text."}


def test_at_most_200_active_custom_fields_per_kind(fields):
    admin = fields.admin
    for n in range(MAX_ACTIVE_PER_KIND - 2):  # Region and Seats are two already
        custom_fields.create(
            admin, CustomFieldCreate(entity_type="DEAL", label=f"Field {n}", field_type="TEXT")
        )
    errors = refused(
        lambda: custom_fields.create(
            admin, CustomFieldCreate(entity_type="DEAL", label="One too many", field_type="TEXT")
        )
    )
    assert "at most 200 active" in errors["entity_type"]
    # another kind has room of its own; deactivating one makes room, reactivating needs it
    custom_fields.create(
        admin, CustomFieldCreate(entity_type="LEAD", label="Fine", field_type="TEXT")
    )
    first = custom_fields.get_all(admin, "DEAL")[0]
    custom_fields.set_active(admin, first.id, False)
    spare = custom_fields.create(
        admin, CustomFieldCreate(entity_type="DEAL", label="Now it fits", field_type="TEXT")
    )
    assert (
        "at most 200 active"
        in refused(lambda: custom_fields.set_active(admin, first.id, True))["entity_type"]
    )
    assert spare.active
