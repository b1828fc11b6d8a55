"""What an edit changed is in the card's history (issue 33.5): each field from and to,
who and when, custom fields and people included; an edit that changes nothing leaves no
entry; PipeCD's Deal.history carries them as DEAL_UPDATED; a ticket has a description;
two organizations kept apart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.api.in_process import run
from tests.service.test_organizations import organization
from wfm_app.db import unit_of_work
from wfm_app.engine import custom_fields
from wfm_app.engine.field_changes import FieldChange
from wfm_app.engine.inputs import MAX_TEXT_LENGTH
from wfm_app.entities import deals, tickets
from wfm_app.entities.deals import DealCreate, DealUpdate
from wfm_app.errors import NotFound
from wfm_app.sqltypes import table_of
from wfm_app.tenancy import acting_in


def _edits(actor, deal_id) -> list[tuple[str | None, dict]]:
    history = deals.service.history(actor, deal_id, edits=True)
    return [(e.changed_by_name, e.values) for e in history if e.kind == "update"]


def test_an_edit_records_each_field_from_and_to(seeded) -> None:
    deal = deals.service.create(seeded.alice, DealCreate(name="Acme", amount=Decimal(12000)))
    deals.service.update(
        seeded.alice,
        deal.id,
        DealUpdate(amount=Decimal(15000), expected_close_date=date(2027, 1, 31)),
    )
    deals.service.update(seeded.alice, deal.id, DealUpdate(amount=Decimal(15000)))  # no change
    deals.service.update(seeded.manager, deal.id, DealUpdate(owner_id=seeded.manager.user_id))
    assert _edits(seeded.manager, deal.id) == [
        (
            "Alice Member",
            {
                "amount": {"old": "12000.00", "new": "15000.00"},
                "expected_close_date": {"old": None, "new": "2027-01-31"},
            },
        ),
        (
            "Max Manager",
            {"owner_id": {"old": str(seeded.alice.user_id), "new": str(seeded.manager.user_id)}},
        ),
    ]
    # moves only, unless asked: analytics and the API's generic history are unchanged
    assert all(e.kind != "update" for e in deals.service.history(seeded.manager, deal.id))


def test_custom_fields_are_compared_key_by_key(seeded) -> None:
    custom_fields.create(
        seeded.admin,
        custom_fields.CustomFieldCreate(
            entity_type="DEAL", key="region", label="Region", field_type="TEXT"
        ),
    )
    deal = deals.service.create(
        seeded.alice, DealCreate(name="Globex", custom_fields={"region": "EMEA"})
    )
    deals.service.update(seeded.alice, deal.id, DealUpdate(custom_fields={"region": "APAC"}))
    assert _edits(seeded.alice, deal.id) == [
        ("Alice Member", {"custom_fields.region": {"old": "EMEA", "new": "APAC"}})
    ]


def test_deal_history_in_the_api_carries_edits_as_deal_updated(seeded) -> None:
    deal = deals.service.create(seeded.alice, DealCreate(name="Initech", amount=Decimal(100)))
    deals.service.update(seeded.alice, deal.id, DealUpdate(name="Initech renewal"))
    found = run(
        seeded.alice,
        "query($id: ID!) { deal(id: $id) { history { eventType changes } } }",
        id=str(deal.id),
    )
    assert found["data"]["deal"]["history"] == [
        {
            "eventType": "DEAL_UPDATED",
            "changes": {"name": {"old": "Initech", "new": "Initech renewal"}},
        }
    ]


def test_a_ticket_has_a_description(seeded) -> None:
    ticket = tickets.service.create(
        seeded.alice,
        tickets.TicketCreate(name="Printer", description="It jams on A3.\nEvery time."),
    )
    assert tickets.service.get_by_id(seeded.alice, ticket.id).description == (
        "It jams on A3.\nEvery time."
    )
    changed = run(
        seeded.alice,
        'mutation($id: ID!) { updateTicket(id: $id, input: {description: "Fixed?"}) '
        "{ description } }",
        id=str(ticket.id),
    )
    assert changed["data"]["updateTicket"] == {"description": "Fixed?"}
    too_long = run(
        seeded.alice,
        "mutation($id: ID!, $d: String!) { updateTicket(id: $id, input: {description: $d}) "
        "{ description } }",
        id=str(ticket.id),
        d="x" * (MAX_TEXT_LENGTH + 1),
    )
    refused = too_long["errors"][0]["extensions"]
    assert refused["code"] == "VALIDATION" and "description" in refused["fieldErrors"]


def test_each_organization_sees_only_its_own_edits(database) -> None:
    acme, globex = organization("acme"), organization("globex")
    with acting_in(acme.id):
        deal = deals.service.create(acme.admin, DealCreate(name="Acme deal"))
        deals.service.update(acme.admin, deal.id, DealUpdate(name="Acme deal 2"))
    with acting_in(globex.id):
        with pytest.raises(NotFound):
            deals.service.history(globex.admin, deal.id, edits=True)
        with unit_of_work() as uow:  # row-level security: not even a count
            rows = uow.session.execute(select(func.count()).select_from(table_of(FieldChange)))
            assert rows.scalar_one() == 0
    with acting_in(acme.id):
        assert len(_edits(acme.admin, deal.id)) == 1
