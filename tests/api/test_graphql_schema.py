"""The GraphQL schema run in-process with real actors on the real databases."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import event

from tests.service.helpers import lead_graph, sales_graph, step_named
from wfm_app import db
from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.schema import schema
from wfm_app.auth import oidc, tokens
from wfm_app.engine import statuses
from wfm_app.engine.schemas import StatusCreate
from wfm_app.entities import deals


def run(actor, query: str, **variables: Any) -> dict[str, Any]:
    result = asyncio.run(
        schema.execute(query, variable_values=variables or None, context_value=Context(actor=actor))
    )
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [e.formatted for e in result.errors]
    return out


def codes(answer: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in answer.get("errors", [])]


def test_deals_with_nested_wfm_data_cost_a_constant_number_of_queries(seeded):
    query = """{ deals { name wfmProject { currentStep { status { name } }
                 workflow { steps { id } } projectType { name } createdByUser { display_name } } } }"""

    def statements() -> tuple[int, int]:
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.get_engine(), "before_cursor_execute", listener)
        try:
            answer = run(seeded.manager, query)
        finally:
            event.remove(db.get_engine(), "before_cursor_execute", listener)
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


def test_definitions_operations(seeded):
    admin = seeded.admin
    made = run(
        admin,
        'mutation { createWFMStatus(input: {name: "Triage", color: "#112233"}) '
        "{ id name color isArchived createdByUser { display_name } } }",
    )
    status = made["data"]["createWFMStatus"]
    assert status["createdByUser"]["display_name"] == "Ada Admin"
    updated = run(
        admin,
        "mutation($id: ID!) { updateWFMStatus(id: $id, input: {isArchived: true}) "
        "{ isArchived color } }",
        id=status["id"],
    )
    assert updated["data"]["updateWFMStatus"] == {"isArchived": True, "color": "#112233"}
    archived = run(admin, "{ wfmStatuses(isArchived: true) { name } }")["data"]["wfmStatuses"]
    assert [s["name"] for s in archived] == ["Triage"]

    workflow = run(admin, 'mutation { createWFMWorkflow(input: {name: "Support"}) { id } }')
    workflow_id = workflow["data"]["createWFMWorkflow"]["id"]
    step_ids = []
    for name, initial in (("Open", True), ("Closed", False)):
        status_id = statuses.create(admin, statuses_input(name)).id
        step = run(
            admin,
            "mutation($w: ID!, $s: ID!, $i: Boolean) { createWFMWorkflowStep(input: "
            "{workflowId: $w, statusId: $s, isInitialStep: $i, metadata: {name: $w}}) "
            "{ id stepOrder isInitialStep status { name } } }",
            w=workflow_id,
            s=str(status_id),
            i=initial,
        )
        step_ids.append(step["data"]["createWFMWorkflowStep"]["id"])
    transition = run(
        admin,
        "mutation($w: ID!, $a: ID!, $b: ID!) { createWFMWorkflowTransition("
        'input: {workflowId: $w, fromStepId: $a, toStepId: $b, name: "Close"}) '
        "{ id name fromStep { id } toStep { id } } }",
        w=workflow_id,
        a=step_ids[0],
        b=step_ids[1],
    )
    transition_id = transition["data"]["createWFMWorkflowTransition"]["id"]
    renamed = run(
        admin,
        'mutation($id: ID!) { updateWFMWorkflowTransition(id: $id, input: {name: "Done"}) '
        "{ name } }",
        id=transition_id,
    )
    assert renamed["data"]["updateWFMWorkflowTransition"]["name"] == "Done"
    allowed = run(
        admin,
        "query($w: ID!, $f: ID!) { getWfmAllowedTransitions(workflowId: $w, fromStepId: $f) "
        "{ toStep { id } } }",
        w=workflow_id,
        f=step_ids[0],
    )
    assert allowed["data"]["getWfmAllowedTransitions"] == [{"toStep": {"id": step_ids[1]}}]
    reordered = run(
        admin,
        "mutation($w: ID!, $ids: [ID!]!) { updateWFMWorkflowStepsOrder("
        "workflowId: $w, orderedStepIds: $ids) { steps { id stepOrder } } }",
        w=workflow_id,
        ids=step_ids[::-1],
    )
    assert [s["id"] for s in reordered["data"]["updateWFMWorkflowStepsOrder"]["steps"]] == step_ids[
        ::-1
    ]
    edited = run(
        admin,
        "mutation($id: ID!) { updateWFMWorkflowStep(id: $id, input: {isFinalStep: true}) "
        "{ isFinalStep } }",
        id=step_ids[1],
    )
    assert edited["data"]["updateWFMWorkflowStep"]["isFinalStep"] is True
    deleted = run(
        admin,
        "mutation($id: ID!) { deleteWFMWorkflowTransition(id: $id) { success transitionId } }",
        id=transition_id,
    )
    assert deleted["data"]["deleteWFMWorkflowTransition"] == {
        "success": True,
        "transitionId": transition_id,
    }
    project_type = run(
        admin,
        "mutation($w: ID!) { createWFMProjectType(input: "
        '{name: "Ticket", defaultWorkflowId: $w, iconName: "life-buoy"}) '
        "{ id defaultWorkflow { name } iconName } }",
        w=workflow_id,
    )
    assert project_type["data"]["createWFMProjectType"]["defaultWorkflow"]["name"] == "Support"
    by_name = run(admin, '{ wfmProjectTypeByName(name: "Ticket") { iconName } }')
    assert by_name["data"]["wfmProjectTypeByName"]["iconName"] == "life-buoy"
    updated_type = run(
        admin,
        "mutation($id: ID!) { updateWFMProjectType(id: $id, input: "
        '{description: "Help desk"}) { description } }',
        id=project_type["data"]["createWFMProjectType"]["id"],
    )
    assert updated_type["data"]["updateWFMProjectType"]["description"] == "Help desk"
    workflow_read = run(
        admin,
        "query($id: ID!) { wfmWorkflow(id: $id) { name steps { id } transitions { id } } }",
        id=workflow_id,
    )
    assert len(workflow_read["data"]["wfmWorkflow"]["steps"]) == 2
    step_delete = run(
        admin,
        "mutation($id: ID!) { deleteWFMWorkflowStep(id: $id) { success stepId } }",
        id=step_ids[1],
    )
    assert step_delete["data"]["deleteWFMWorkflowStep"]["success"] is True
    status_delete = run(
        admin,
        "mutation($id: ID!) { deleteWfmStatus(id: $id) { success message } }",
        id=status["id"],
    )
    assert status_delete["data"]["deleteWfmStatus"] == {"success": True, "message": None}


def statuses_input(name: str) -> StatusCreate:
    return StatusCreate(name=name)


def test_entity_operations_and_history(seeded):
    alice = seeded.alice
    made = run(
        alice,
        'mutation { createDeal(input: {name: "Acme", amount: 1000, '
        'expected_close_date: "2027-01-31"}) { id wfm_project_id currentWfmStep { id } '
        "currentWfmStatus { name } entityProgress wfmProject { isActive projectType { name } } } }",
    )
    deal = made["data"]["createDeal"]
    assert deal["currentWfmStatus"]["name"] == "Prospecting"
    assert deal["wfmProject"]["projectType"]["name"] == "Sales Deal"
    target = step_named(sales_graph(), "Qualification")
    moved = run(
        alice,
        "mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d, "
        "targetWfmWorkflowStepId: $s) { currentWfmStep { id } weightedAmount history "
        "{ fromStep { id } toStep { id } changedByUser { display_name } } } }",
        d=deal["id"],
        s=str(target.id),
    )
    progressed = moved["data"]["updateDealWFMProgress"]
    assert progressed["currentWfmStep"]["id"] == str(target.id)
    assert progressed["weightedAmount"] == 250.0
    assert progressed["history"][0]["changedByUser"]["display_name"] == "Alice Member"
    renamed = run(
        alice,
        'mutation($id: ID!) { updateDeal(id: $id, input: {name: "Acme 2"}) { name } }',
        id=deal["id"],
    )
    assert renamed["data"]["updateDeal"]["name"] == "Acme 2"
    assert run(seeded.bob, "{ deals { id } }")["data"]["deals"] == []
    assert (
        run(seeded.bob, "query($id: ID!) { deal(id: $id) { id } }", id=deal["id"])["data"]["deal"]
        is None
    )
    assert len(run(seeded.manager, "{ deals { id } }")["data"]["deals"]) == 1
    assert (
        run(alice, "mutation($id: ID!) { deleteDeal(id: $id) { success } }", id=deal["id"])["data"][
            "deleteDeal"
        ]["success"]
        is True
    )

    lead = run(
        seeded.bob,
        'mutation { createLead(input: {name: "Grace", email: "g@x.io", score: 70}) '
        "{ id currentWfmStep { id } } }",
    )["data"]["createLead"]
    contacted = step_named(lead_graph(), "Contacted")
    lead_moved = run(
        seeded.bob,
        "mutation($l: ID!, $s: ID!) { updateLeadWFMProgress(leadId: $l, "
        "targetWfmWorkflowStepId: $s) { currentWfmStatus { name } } }",
        l=lead["id"],
        s=str(contacted.id),
    )
    assert lead_moved["data"]["updateLeadWFMProgress"]["currentWfmStatus"]["name"] == "Contacted"
    assert (
        run(
            seeded.bob,
            "mutation($id: ID!) { updateLead(id: $id, input: {score: 90}) { score } }",
            id=lead["id"],
        )["data"]["updateLead"]["score"]
        == 90
    )
    assert run(seeded.bob, "{ leads { name } }")["data"]["leads"] == [{"name": "Grace"}]
    assert (
        run(seeded.bob, "mutation($id: ID!) { deleteLead(id: $id) { success } }", id=lead["id"])[
            "data"
        ]["deleteLead"]["success"]
        is True
    )


def test_every_error_code(seeded, monkeypatch):
    assert codes(run(None, "{ wfmStatuses { name } deals { id } }")) == ["UNAUTHENTICATED"]
    assert run(None, "{ deals { id } }")["data"] is None
    assert codes(run(seeded.alice, 'mutation { createWFMStatus(input: {name: "X"}) { id } }')) == [
        "FORBIDDEN"
    ]
    assert codes(
        run(seeded.admin, 'mutation { createWFMStatus(input: {name: "Proposal"}) { id } }')
    ) == ["CONFLICT"]
    bad = run(
        seeded.admin, 'mutation { createWFMStatus(input: {name: "Y", color: "blue"}) { id } }'
    )
    assert codes(bad) == ["VALIDATION"]
    assert bad["errors"][0]["extensions"]["fieldErrors"] == {
        "color": "Color must be a hex code such as #3B82F6."
    }
    missing = run(
        seeded.admin,
        'mutation($id: ID!) { updateWFMStatus(id: $id, input: {name: "Z"}) { id } }',
        id=str(uuid.uuid4()),
    )
    assert codes(missing) == ["NOT_FOUND"]
    assert codes(run(seeded.admin, 'query { wfmStatus(id: "not-a-uuid") { id } }')) == [
        "VALIDATION"
    ]
    deal = deals.service.create(seeded.alice, deals.DealCreate(name="Jump"))
    won = step_named(sales_graph(), "Closed Won")
    jump = run(
        seeded.alice,
        "mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d, "
        "targetWfmWorkflowStepId: $s) { id } }",
        d=str(deal.id),
        s=str(won.id),
    )
    assert codes(jump) == ["INVALID_TRANSITION"]
    assert jump["errors"][0]["message"].startswith(
        'No transition from "Prospecting" to "Closed Won"'
    )
    refused = run(
        seeded.admin,
        "mutation($id: ID!) { deleteWfmStatus(id: $id) { success message } }",
        id=str(sales_graph().steps[0].status.id),
    )
    assert refused["data"]["deleteWfmStatus"]["success"] is False
    assert "is used by a step" in refused["data"]["deleteWfmStatus"]["message"]

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(statuses, "get_all", broken)
    internal = run(seeded.admin, "{ wfmStatuses { name } }")
    assert codes(internal) == ["INTERNAL_SERVER_ERROR"]
    assert "secret" not in str(internal)


def test_query_depth_and_size_are_capped(seeded):
    fine = "{ deals { wfmProject { projectType { defaultWorkflow { steps { status { createdByUser { id } } } } } } } }"
    assert "errors" not in run(seeded.admin, fine)
    too_deep = "{ deals { wfmProject { projectType { defaultWorkflow { transitions { fromStep { status { createdByUser { id } } } } } } } } }"
    answer = run(seeded.admin, too_deep)
    assert answer["data"] is None and "exceeds maximum operation depth" in str(answer["errors"])
    many = "{ " + " ".join(f"a{i}: wfmStatuses {{ name }}" for i in range(40)) + " }"
    assert "aliases" in str(run(seeded.admin, many)["errors"])


def test_jwt_access_tokens_are_verified(database, monkeypatch):
    """JWT access tokens: signature, issuer, expiry and (when configured) audience."""
    key = RSAKey.generate_key(2048, parameters={"kid": "api"})
    provider = oidc._Provider(
        {"issuer": oidc.settings.oidc_issuer}, KeySet([key]), time.monotonic()
    )

    async def fake_fetch(*, refresh: bool = False):
        return provider

    monkeypatch.setattr(oidc, "fetch_provider", fake_fetch)
    monkeypatch.setattr(
        tokens, "settings", dataclasses.replace(tokens.settings, oidc_api_audience="wfm-api")
    )

    def token(**claims):
        now = int(time.time())
        body = {
            "iss": oidc.settings.oidc_issuer,
            "sub": "api-user",
            "aud": "wfm-api",
            "exp": now + 60,
            "name": "Api User",
            "roles": ["wfm_manager"],
            **claims,
        }
        return jwt.encode({"alg": "RS256", "kid": "api"}, body, key)

    actor = asyncio.run(tokens.actor_for_token(token()))
    assert actor.roles == {"wfm_manager"} and actor.display_name == "Api User"
    for bad in (token(aud="other"), token(iss="https://evil"), token(exp=int(time.time()) - 600)):
        with pytest.raises(tokens.TokenRejected, match="not valid"):
            asyncio.run(tokens.actor_for_token(bad))
