"""Issue 9.6: every input bounded and clean, refused with a VALIDATION error that names
the field, never a 500; each entity only on the project types meant for it."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest

from tests.api.flows import codes
from tests.service.helpers import count, lead_graph, sales_graph
from wfm_app.engine import project_types, statuses
from wfm_app.engine.inputs import parse
from wfm_app.engine.models import Status
from wfm_app.engine.schemas import StatusCreate, StepCreate
from wfm_app.entities import deals, leads
from wfm_app.errors import ValidationFailed


def refused(model, field: str, **values) -> str:
    with pytest.raises(ValidationFailed) as caught:
        parse(model, values)
    assert field in caught.value.field_errors, caught.value.field_errors
    return caught.value.field_errors[field]


def nested(depth: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(depth - 1):
        value = {"inner": value}
    return value


def test_text_is_bounded_and_clean():
    assert "at most 200" in refused(StatusCreate, "name", name="x" * 201)
    assert "control characters" in refused(StatusCreate, "name", name="Bad\x00name")
    assert "control characters" in refused(StatusCreate, "name", name="Bell\x07")
    for invisible in ("\u200b\u200b", "\u200e", "\u00a0\u2060"):
        assert "visible character" in refused(StatusCreate, "name", name=invisible)
    assert "at most 5,000" in refused(
        StatusCreate, "description", name="Ok", description="d" * 100_000
    )
    # newline and tab are text people type; they stay
    assert parse(StatusCreate, {"name": "Ok", "description": "a\n\tb"}).description == "a\n\tb"


def test_step_order_and_metadata_are_bounded():
    ids = {"workflow_id": uuid.uuid4(), "status_id": uuid.uuid4()}
    for order in (-5, 0, 10_001, 2**31):
        assert "1 to 10,000" in refused(StepCreate, "step_order", step_order=order, **ids)
    assert parse(StepCreate, {"step_order": 10_000, **ids}).step_order == 10_000
    assert "20 levels" in refused(StepCreate, "metadata", metadata=nested(21), **ids)
    assert parse(StepCreate, {"metadata": nested(20), **ids}).metadata == nested(20)
    assert "NUL" in refused(StepCreate, "metadata", metadata={"name": "a\x00b"}, **ids)
    assert "64 kB" in refused(StepCreate, "metadata", metadata={"blob": "x" * 70_000}, **ids)


def test_entity_fields_are_bounded_and_email_is_checked_in_linear_time():
    assert "at most 5,000" in refused(leads.LeadCreate, "company", name="L", company="c" * 10**6)
    started = time.perf_counter()
    message = refused(leads.LeadCreate, "email", name="L", email="a@" + "a" * 24_000)
    assert "at most 254" in message and time.perf_counter() - started < 0.1
    assert "email address" in refused(leads.LeadCreate, "email", name="L", email="a@b")


def test_each_entity_only_on_its_own_project_types(seeded):
    kinds = project_types.get_all(seeded.admin)
    lead_type = next(t for t in kinds if t.name == "Lead Management")
    with pytest.raises(ValidationFailed, match="meant for leads") as caught:
        deals.service.create(
            seeded.alice, deals.DealCreate(name="Wrong", wfm_project_type_id=lead_type.id)
        )
    assert "wfm_project_type_id" in caught.value.field_errors
    made = leads.service.create(
        seeded.alice, leads.LeadCreate(name="Right", wfm_project_type_id=lead_type.id)
    )
    assert made.wfm.workflow_id == lead_graph().id != sales_graph().id


def test_a_refused_status_changes_nothing(seeded):
    before = count(Status)
    with pytest.raises(ValidationFailed):
        statuses.create(seeded.admin, parse(StatusCreate, {"name": "\u200b"}))
    assert count(Status) == before


def test_over_http_bad_input_is_validation_never_500(gql, app_url, token_for):
    workflow = gql("admin", "{ wfmWorkflows { id } wfmStatuses { id } }")["data"]
    ids = {
        "workflowId": workflow["wfmWorkflows"][0]["id"],
        "statusId": workflow["wfmStatuses"][0]["id"],
    }
    create_step = """mutation($input: CreateWFMWorkflowStepInput!) {
        createWFMWorkflowStep(input: $input) { id } }"""
    for order in (-5, 2**31):
        answer = gql("admin", create_step, input={**ids, "stepOrder": order})
        assert codes(answer) == ["VALIDATION"], answer
        assert "stepOrder" in answer["errors"][0]["message"] or "step_order" in str(answer)
    nul = gql(
        "admin", "mutation($n: String!) { createWFMStatus(input: {name: $n}) { id } }", n="a\x00b"
    )
    assert codes(nul) == ["VALIDATION"] and "name" in str(nul["errors"][0]), nul

    # 10,000 levels, more than Python's own JSON parser recurses into: written by hand
    metadata = '{"a": ' * 10_000 + "1" + "}" * 10_000
    variables = json.dumps({"input": ids})[:-2] + f', "metadata": {metadata}' + "}}"
    deep = '{"query": ' + json.dumps(create_step) + ', "variables": ' + variables + "}"
    headers = {"Authorization": f"Bearer {token_for('admin')}", "Content-Type": "application/json"}
    answer = httpx.post(f"{app_url}/graphql", content=deep, headers=headers)
    assert answer.status_code == 400, answer.text
    moderately_deep = gql("admin", create_step, input={**ids, "metadata": nested(30)})
    assert codes(moderately_deep) == ["VALIDATION"] and "metadata" in str(moderately_deep)

    huge = httpx.post(f"{app_url}/graphql", content=b"x" * (2 * 1024 * 1024), headers=headers)
    assert huge.status_code == 413
    chunks = (b"x" * 65_536 for _ in range(32))  # no Content-Length: counted as it comes
    streamed = httpx.post(f"{app_url}/graphql", content=chunks, headers=headers)
    assert streamed.status_code == 413
