"""Issue 25: kinds are data. An admin makes a kind with no code; its cards ride on the
same engine as deals: create, move (refused off the workflow's transitions), board,
custom fields, access, history, automation, analytics and My work; the generic API
serves it and the built-in kinds alike."""

from __future__ import annotations

import uuid

import pytest

from tests.api.in_process import run
from tests.service.helpers import make_process, step_named
from wfm_app.engine import analytics, custom_fields, definitions, kinds, my_work, portable
from wfm_app.engine.custom_fields import CustomFieldCreate
from wfm_app.entities import items, service_by_key
from wfm_app.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed


@pytest.fixture
def purchasing(seeded):
    """The kind "Purchase request" on a workflow Requested -> Approved -> Ordered (or
    Rejected), with a NUMBER field "Cost"."""
    project_type = make_process(
        seeded.admin,
        "Purchasing",
        ["Requested", "Approved", "Ordered", "Rejected"],
        [(0, 1), (1, 2), (0, 3), (1, 3)],
    )
    kind = kinds.create(
        seeded.admin,
        kinds.KindCreate(name="Purchase request", project_type_id=project_type.id),
    )
    custom_fields.create(
        seeded.admin,
        CustomFieldCreate(entity_type=kind.entity_type, label="Cost", field_type="NUMBER"),
    )
    return seeded, kind


def test_an_admins_kind_rides_on_the_engine(purchasing):
    people, kind = purchasing
    assert (kind.key, kind.entity_type, kind.plural_name, kind.board_path) == (
        "purchase-request",
        "PURCHASE_REQUEST",
        "Purchase requests",
        "/boards/purchase-request",
    )
    service = service_by_key("purchase-request")
    assert service is not None and service.kind.noun == "purchase request"
    alice, bob = people.alice, people.bob
    made = service.create(
        alice, service.kind.create_model(name="New laptops", custom_fields={"cost": "2400"})
    )
    assert made.wfm.step_name == "Requested" and made.custom_fields == {"cost": 2400.0}
    graph = definitions.graph(made.wfm.workflow_id)
    moved = service.move(alice, made.id, step_named(graph, "Approved").id)
    assert moved.wfm.step_name == "Approved"
    with pytest.raises(InvalidTransition, match='"Ordered", "Rejected"'):
        service.move(alice, made.id, step_named(graph, "Requested").id)
    board = service.board(alice)
    assert [c.step.display_name for c in board.columns] == [
        "Requested",
        "Approved",
        "Ordered",
        "Rejected",
    ]
    assert [card.name for card in board.columns[1].cards] == ["New laptops"]
    assert service.get_by_id(bob, made.id) is None and service.board(bob).columns[1].cards == []
    with pytest.raises(ValidationFailed, match="Cost must be a number"):
        service.update(alice, made.id, service.kind.update_model(custom_fields={"cost": "lots"}))
    # My work and analytics see it like any other card
    cards, _count = my_work.open_cards(alice)
    assert "New laptops" in [card.name for card in cards]
    entered = {f.step_id: f.entered for f in analytics.of(alice, graph.id).funnel}
    assert entered[step_named(graph, "Approved").id] == 1


def test_kinds_are_checked_and_only_admins_make_them(purchasing):
    people, kind = purchasing
    with pytest.raises(Forbidden):
        kinds.create(
            people.manager,
            kinds.KindCreate(name="Hire", project_type_id=kind.project_type_id),
        )
    with pytest.raises(ValidationFailed) as taken:  # one project type, one kind
        kinds.create(
            people.admin, kinds.KindCreate(name="Other", project_type_id=kind.project_type_id)
        )
    assert "Purchase requests' own" in taken.value.field_errors["project_type_id"]
    other = make_process(people.admin, "Hiring", ["Applied", "Hired"], [(0, 1)])
    for bad_key, field in (("Bad Key", "key"), ("deals", "key"), ("9lives", "key")):
        with pytest.raises(ValidationFailed) as refused:
            kinds.create(
                people.admin,
                kinds.KindCreate(name="Candidate", key=bad_key, project_type_id=other.id),
            )
        assert field in refused.value.field_errors
    with pytest.raises(Conflict):
        kinds.create(
            people.admin,
            kinds.KindCreate(name="Purchase request", key="pr", project_type_id=other.id),
        )
    renamed = kinds.update(people.admin, "purchase-request", kinds.KindUpdate(name="Purchase"))
    assert renamed.name == "Purchase" and service_by_key("purchase-request").kind.noun == "purchase"
    archived = kinds.update(people.admin, "purchase-request", kinds.KindUpdate(is_archived=True))
    assert archived.is_archived
    listed = [k.key for k in kinds.get_all(people.alice)]
    assert listed == ["deal", "lead", "ticket"]  # archived kinds leave the pickers
    assert items.service_for("PURCHASE_REQUEST") is not None  # its cards still work


NODES = "nodes { id name kind values ownerId assignedToUserId currentWfmStep { id } }"


def test_the_generic_api_serves_an_admins_kind_and_a_built_in_one(purchasing):
    people, _kind = purchasing
    alice, bob = people.alice, people.bob
    made = run(
        alice,
        'mutation($v: JSON) { createItem(kind: "purchase-request", '
        'input: {name: "Chairs", values: $v}) { id kind values } }',
        v={"cost": 300},
    )["data"]["createItem"]
    assert made["kind"] == "purchase-request" and made["values"] == {"cost": 300.0}
    deal = run(
        alice,
        'mutation($v: JSON) { createItem(kind: "deal", input: {name: "Big one", values: $v})'
        " { id values } }",
        v={"amount": "1500", "currency": "EUR"},
    )["data"]["createItem"]
    assert deal["values"]["amount"] == 1500.0 and deal["values"]["currency"] == "EUR"
    listed = run(
        alice,
        f'{{ items(kind: "purchase-request", first: 1) {{ {NODES} totalCount '
        "pageInfo { hasNextPage endCursor } } }",
    )["data"]["items"]
    assert listed["totalCount"] == 1 and listed["nodes"][0]["name"] == "Chairs"
    assert listed["pageInfo"]["hasNextPage"] is False
    assert run(bob, '{ items(kind: "purchase-request") { totalCount } }')["data"]["items"] == {
        "totalCount": 0
    }
    step = definitions.graph(
        service_by_key("purchase-request").get_by_id(alice, uuid.UUID(made["id"])).wfm.workflow_id
    )
    approved = str(step_named(step, "Approved").id)
    moved = run(
        alice,
        "mutation($i: ID!, $s: ID!) { updateItemWFMProgress(itemId: $i, "
        "targetWfmWorkflowStepId: $s, values: {cost: 320}) { values currentWfmStep { id } } }",
        i=made["id"],
        s=approved,
    )["data"]["updateItemWFMProgress"]
    assert moved == {"values": {"cost": 320.0}, "currentWfmStep": {"id": approved}}
    refused = run(bob, "mutation($i: ID!) { deleteItem(id: $i) }", i=made["id"])
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    bad = run(alice, '{ items(kind: "nope") { totalCount } }')
    assert bad["errors"][0]["extensions"]["code"] == "VALIDATION"
    kinds_listed = run(alice, "{ wfmEntityKinds { key builtIn boardPath } }")["data"]
    assert {
        "key": "purchase-request",
        "builtIn": False,
        "boardPath": "/boards/purchase-request",
    } in kinds_listed["wfmEntityKinds"]
    assert run(alice, "mutation($i: ID!) { deleteItem(id: $i) }", i=made["id"])["data"] == {
        "deleteItem": True
    }


def test_custom_fields_name_an_admins_kind_by_its_key(purchasing):
    people, _kind = purchasing
    made = run(
        people.admin,
        'mutation { createCustomFieldDefinition(input: {kind: "purchase-request", '
        'fieldLabel: "Vendor", fieldType: TEXT}) { kind entityType fieldName } }',
    )["data"]["createCustomFieldDefinition"]
    assert made == {"kind": "purchase-request", "entityType": None, "fieldName": "vendor"}
    listed = run(
        people.alice, '{ customFieldDefinitions(kind: "purchase-request") { fieldLabel } }'
    )["data"]["customFieldDefinitions"]
    assert [f["fieldLabel"] for f in listed] == ["Cost", "Vendor"]
    deal_fields = run(people.alice, "{ customFieldDefinitions(entityType: DEAL) { kind } }")
    assert "errors" not in deal_fields
    clash = run(
        people.admin,
        'mutation { createCustomFieldDefinition(input: {kind: "purchase-request", '
        'entityType: DEAL, fieldLabel: "X", fieldType: TEXT}) { kind } }',
    )
    assert clash["errors"][0]["extensions"]["fieldErrors"]["kind"].startswith("entityType DEAL")


def test_kinds_and_their_fields_travel_in_the_definitions_file(purchasing):
    people, _kind = purchasing
    document = portable.export(people.admin)
    [kind_doc] = document["kinds"]
    assert kind_doc == {
        "key": "purchase-request",
        "name": "Purchase request",
        "plural_name": "Purchase requests",
        "project_type": "Purchasing",
    }
    assert {"entity_type": "PURCHASE_REQUEST", "key": "cost"}.items() <= next(
        f for f in document["custom_fields"] if f["entity_type"] == "PURCHASE_REQUEST"
    ).items()
    assert portable.import_definitions(people.admin, document, dry_run=True).changes == []

    make_process(people.admin, "Hiring", ["Applied", "Hired"], [(0, 1)])
    kind_doc["name"] = "Purchase order"
    document["kinds"].append(
        {
            "key": "candidate",
            "name": "Candidate",
            "plural_name": "Candidates",
            "project_type": "Hiring",
            "archived": True,
        }
    )
    report = portable.import_definitions(people.admin, document)
    assert report.changes == ['kind "purchase-request" updated', 'kind "candidate" created']
    made = {k.key: k for k in kinds.get_all(people.admin, include_archived=True)}
    assert made["purchase-request"].name == "Purchase order" and made["candidate"].is_archived
