"""A document with several operations runs only the one the request names, as the GraphQL
spec says; naming none is a VALIDATION error about operationName, and nothing runs."""

from __future__ import annotations

from tests import harness
from tests.service.helpers import count
from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.schema import schema
from wfm_app.engine.models import Status

CREATE_THEN_READ = (
    'mutation Create { createWFMStatus(input: {name: "Named later"}) { id } } '
    "query Read { wfmStatuses { name } }"
)


def _execute(actor, query: str, operation_name: object = None):
    return harness.run_async(
        schema.execute(query, operation_name=operation_name, context_value=Context(actor=actor))
    )


def _statuses_named(name: str) -> int:
    return count(Status, Status.name == name)


def test_several_operations_and_no_name_is_refused_before_anything_runs(seeded):
    result = _execute(seeded.admin, CREATE_THEN_READ)
    assert result.data is None
    [error] = [e.formatted for e in result.errors or []]
    assert error["extensions"]["code"] == "VALIDATION"
    assert error["extensions"]["fieldErrors"] == {
        "operationName": "This document holds 2 operations: name the one to run."
    }
    assert _statuses_named("Named later") == 0  # the first operation, a mutation, never ran


def test_the_named_operation_runs_and_only_it(seeded):
    read = _execute(seeded.admin, CREATE_THEN_READ, "Read")
    assert read.errors is None and read.data is not None
    assert "Named later" not in {s["name"] for s in read.data["wfmStatuses"]}
    assert _statuses_named("Named later") == 0
    created = _execute(seeded.admin, CREATE_THEN_READ, "Create")
    assert created.errors is None and created.data is not None
    assert _statuses_named("Named later") == 1


def test_one_operation_needs_no_name(seeded):
    result = _execute(seeded.admin, "query Read { wfmStatuses { name } }")
    assert result.errors is None and result.data is not None and result.data["wfmStatuses"]


def test_an_operation_name_that_is_no_graphql_name_is_refused_as_validation(seeded):
    for bad in ["x" * 65, "two words", 5]:
        result = _execute(seeded.admin, CREATE_THEN_READ, bad)
        [error] = [e.formatted for e in result.errors or []]
        assert error["extensions"]["code"] == "VALIDATION"
        assert list(error["extensions"]["fieldErrors"]) == ["operationName"]
        assert "x" * 65 not in error["message"]  # not echoed back
    assert _statuses_named("Named later") == 0
