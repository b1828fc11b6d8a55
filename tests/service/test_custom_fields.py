"""Issue 10: admin-defined custom fields, checked by type on every write, on both
databases, through the services and through GraphQL with PipeCD's names."""

from __future__ import annotations

import pytest

from tests import harness
from tests.api.flows import codes, data
from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.schema import schema
from wfm_app.engine import custom_fields
from wfm_app.engine.custom_fields import CustomFieldCreate, CustomFieldUpdate
from wfm_app.entities import deals, leads, tickets
from wfm_app.errors import Forbidden, ValidationFailed


def define(admin, entity_type="DEAL", **values):
    return custom_fields.create(admin, CustomFieldCreate(entity_type=entity_type, **values))


def test_keys_types_and_values(seeded):
    admin, alice = seeded.admin, seeded.alice
    region = define(
        admin, label="Region", field_type="DROPDOWN", options=["EMEA", "APAC"], required=True
    )
    assert region.key == "region" and region.options == ("EMEA", "APAC")
    assert define(admin, label="Region (old)", field_type="TEXT").key == "region_old"
    define(admin, label="Seats", field_type="NUMBER")
    define(admin, label="Renewal", field_type="DATE")
    define(admin, label="Strategic?", field_type="BOOLEAN")
    define(admin, label="Products", field_type="MULTI_SELECT", options=["Core", "Add-on"])

    with pytest.raises(ValidationFailed) as refused:
        deals.service.create(alice, deals.DealCreate(name="No region"))
    assert refused.value.field_errors == {"custom.region": "Region is required."}

    made = deals.service.create(
        alice,
        deals.DealCreate(
            name="Typed",
            custom_fields={
                "region": "EMEA",
                "custom.seats": "1,200",
                "renewal": "2027-03-01T00:00:00.000Z",
                "strategic": "on",
                "products": ["Core", "Add-on", "Core"],
            },
        ),
    )
    assert made.custom_fields == {
        "region": "EMEA",
        "seats": 1200.0,
        "renewal": "2027-03-01",
        "strategic": True,
        "products": ["Core", "Add-on"],
    }
    bad = {
        "region": "Mars",
        "seats": "lots",
        "renewal": "soon",
        "strategic": "maybe",
        "nothing": "x",
    }
    with pytest.raises(ValidationFailed) as refused:
        deals.service.update(alice, made.id, deals.DealUpdate(custom_fields=bad))
    assert set(refused.value.field_errors) == {f"custom.{k}" for k in bad}
    assert "one of EMEA, APAC" in refused.value.field_errors["custom.region"]
    with pytest.raises(ValidationFailed, match="Region is required"):
        deals.service.update(alice, made.id, deals.DealUpdate(custom_fields={"region": ""}))
    assert deals.service.get_by_id(alice, made.id).custom_fields == made.custom_fields

    # a field deactivated later keeps its values; a new record no longer needs it
    custom_fields.set_active(admin, region.id, False)
    assert deals.service.get_by_id(alice, made.id).custom_fields["region"] == "EMEA"
    assert deals.service.create(alice, deals.DealCreate(name="After")).custom_fields == {}
    with pytest.raises(ValidationFailed, match='no custom field "region"'):
        deals.service.update(alice, made.id, deals.DealUpdate(custom_fields={"region": "APAC"}))
    custom_fields.set_active(admin, region.id, True)
    relabelled = custom_fields.update(admin, region.id, CustomFieldUpdate(label="Sales region"))
    assert relabelled.key == "region" and relabelled.label == "Sales region"
    assert [f.key for f in custom_fields.get_all(alice, "LEAD")] == []


def test_only_admins_define_and_fields_belong_to_one_kind(seeded):
    with pytest.raises(Forbidden):
        define(seeded.manager, label="Sneaky", field_type="TEXT")
    for values, field in (
        ({"entity_type": "PLANET", "label": "X", "field_type": "TEXT"}, "entity_type"),
        ({"entity_type": "LEAD", "label": "X", "field_type": "COLOUR"}, "field_type"),
        ({"entity_type": "LEAD", "label": "X", "field_type": "DROPDOWN"}, "options"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            custom_fields.create(seeded.admin, CustomFieldCreate(**values))
        assert field in refused.value.field_errors
    define(seeded.admin, "TICKET", label="Channel", field_type="TEXT", required=True)
    with pytest.raises(ValidationFailed, match="Channel is required"):
        tickets.service.create(seeded.bob, tickets.TicketCreate(name="Help"))
    lead = leads.service.create(seeded.bob, leads.LeadCreate(name="No channel needed"))
    assert lead.custom_fields == {}


def run(actor, query: str, **variables):
    result = harness.run_async(
        schema.execute(query, variable_values=variables or None, context_value=Context(actor=actor))
    )
    out = {"data": result.data}
    if result.errors:
        out["errors"] = [e.formatted for e in result.errors]
    return out


def test_graphql_with_pipecd_names(seeded):
    created = data(
        run(
            seeded.admin,
            """mutation { createCustomFieldDefinition(input: {entityType: DEAL,
                 fieldLabel: "Region", fieldName: "region", fieldType: DROPDOWN, isRequired: true,
                 dropdownOptions: [{value: "EMEA", label: "EMEA"}, {value: "APAC", label: "APAC"}]})
               { id fieldName fieldLabel fieldType isRequired isActive
                 dropdownOptions { value label } } }""",
        )
    )["createCustomFieldDefinition"]
    assert created["fieldName"] == "region" and created["fieldType"] == "DROPDOWN"
    assert codes(
        run(
            seeded.alice,
            "mutation($id: ID!) { deactivateCustomFieldDefinition(id: $id) { id } }",
            id=created["id"],
        )
    ) == ["FORBIDDEN"]
    listed = data(run(seeded.alice, "{ customFieldDefinitions(entityType: DEAL) { fieldName } }"))
    assert listed["customFieldDefinitions"] == [{"fieldName": "region"}]

    create = """mutation($input: DealInput!) { createDeal(input: $input) { id
        customFieldValues { definition { id fieldName fieldLabel fieldType }
          stringValue numberValue booleanValue dateValue selectedOptionValues } } }"""
    refused = run(seeded.alice, create, input={"name": "No region"})
    assert codes(refused) == ["VALIDATION"]
    assert refused["errors"][0]["extensions"]["fieldErrors"] == {
        "custom.region": "Region is required."
    }
    deal = data(
        run(
            seeded.alice,
            create,
            input={
                "name": "With region",
                "customFields": [{"definitionId": created["id"], "selectedOptionValues": ["APAC"]}],
            },
        )
    )["createDeal"]
    value = deal["customFieldValues"][0]
    assert value["definition"]["fieldLabel"] == "Region"
    assert value["selectedOptionValues"] == ["APAC"] and value["stringValue"] == "APAC"
    inactive = data(
        run(
            seeded.admin,
            "mutation($id: ID!) { deactivateCustomFieldDefinition(id: $id) { isActive } }",
            id=created["id"],
        )
    )
    assert inactive["deactivateCustomFieldDefinition"]["isActive"] is False
    everything = "{ customFieldDefinitions(entityType: DEAL, includeInactive: true) { isActive } }"
    assert data(run(seeded.admin, everything))["customFieldDefinitions"] == [{"isActive": False}]


def test_a_stored_value_orjson_refuses_still_reads(seeded, database):
    """JSONB is read with orjson (wfm_app/db.py), which refuses a number past a double's
    range: one written by hand still reads back, through the standard library."""
    from sqlalchemy import text

    from wfm_app import db

    deal = deals.service.create(seeded.alice, deals.DealCreate(name="Huge"))
    document = '{"region": "EMEA", "units": 1e400}'
    with db.get_engine().begin() as conn:
        conn.execute(
            text("UPDATE deals SET custom_field_values = :doc WHERE id = :id"),
            {"doc": document, "id": deal.id if database == "postgresql" else deal.id.hex},
        )
    read = deals.service.get_by_id(seeded.alice, deal.id)
    assert read is not None
    # PostgreSQL keeps it as the integer 10^400 (SQLite's text reads as infinity)
    units = 10**400 if database == "postgresql" else float("inf")
    assert read.custom_fields == {"region": "EMEA", "units": units}
