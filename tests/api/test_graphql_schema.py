"""The GraphQL schema run in-process with real actors on the real databases."""

from __future__ import annotations

import pytest

from tests.api import automation_flow, flows, pipecd_client, pipecd_lists
from tests.api.flows import codes
from tests.api.in_process import run
from tests.statements import statements_sent
from wfm_app import db
from wfm_app.engine import statuses
from wfm_app.entities import deals


def test_deals_with_nested_wfm_data_cost_a_constant_number_of_queries(seeded):
    query = """{ deals { name wfmProject { currentStep { status { name } }
                 workflow { steps { id } } projectType { name } createdByUser { display_name } } } }"""

    def statements() -> tuple[int, int]:
        with statements_sent() as seen:
            answer = run(seeded.manager, query)
        assert "errors" not in answer, answer
        return len(answer["data"]["deals"]), len(seen)

    with db.unit_of_work():
        for i in range(10):
            deals.service.create(seeded.alice, deals.DealCreate(name=f"Deal {i}"))
    run(seeded.manager, query)  # warm the definitions cache
    ten = statements()
    with db.unit_of_work():
        for i in range(90):
            deals.service.create(seeded.bob, deals.DealCreate(name=f"More {i}"))
    hundred = statements()
    assert ten[0] == 10 and hundred[0] == 100
    # deals, their projects, their creators (plus BEGINs on SQLite): the same for 10 or 100
    assert hundred[1] == ten[1] <= 6, (ten, hundred)


def test_query_depth_and_size_are_capped(seeded):
    fine = "{ deals { wfmProject { projectType { defaultWorkflow { steps { status { createdByUser { id } } } } } } } }"
    assert "errors" not in run(seeded.admin, fine)
    too_deep = "{ deals { wfmProject { projectType { defaultWorkflow { transitions { fromStep { status { createdByUser { id } } } } } } } } }"
    answer = run(seeded.admin, too_deep)
    assert answer["data"] is None and "exceeds maximum operation depth" in str(answer["errors"])
    many = "{ " + " ".join(f"a{i}: wfmStatuses {{ name }}" for i in range(40)) + " }"
    assert "aliases" in str(run(seeded.admin, many)["errors"])
    # more than MAX_TOKENS (4,000) tokens: refused while parsing, before any rule runs
    long = "{ " + " ".join(f"t{i}: __typename" for i in range(1400)) + " }"
    answer = run(seeded.admin, long)
    assert answer["data"] is None and "more than 4000 tokens" in str(answer["errors"]), answer


@pytest.fixture
def call(seeded):
    actors = {
        "admin": seeded.admin,
        "manager": seeded.manager,
        "alice": seeded.alice,
        "bob": seeded.bob,
    }
    return lambda who, query, **variables: run(actors[who] if who else None, query, **variables)


def test_definitions_operations(call):
    flows.definitions_flow(call, "in-process")


def test_entity_operations_and_history(call):
    flows.entities_flow(call, "in-process")


def test_automation_operations(call):
    automation_flow.automation_flow(call, "in-process")


def test_every_error_code(call):
    flows.errors_flow(call, "in-process")


def test_internal_errors_are_masked(seeded, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(statuses, "get_all", broken)
    internal = run(seeded.admin, "{ wfmStatuses { name } }")
    assert codes(internal) == ["INTERNAL_SERVER_ERROR"]
    assert "secret" not in str(internal)


def test_pipecd_client_operations(call):
    pipecd_client.pipecd_flow(call, "in-process")


def test_pipecd_filtered_lists(call):
    pipecd_lists.lists_flow(call, "in-process")
