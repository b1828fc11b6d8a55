"""Parallel approvals over GraphQL: moving a card the approvals hold, acting on a branch,
and defining branches, with the same rules as the services."""

from __future__ import annotations

import pytest

from tests.service.branch_helpers import branch_named, deal_on_contract_sent
from tests.service.helpers import sales_graph, step_named


@pytest.fixture
def people(seeded):
    return seeded


def _graphql(actor, document: str, **variables):
    from tests import harness
    from wfm_app.api.graphql.context import Context
    from wfm_app.api.graphql.schema import schema

    context = Context(actor=actor)
    return harness.run_async(
        schema.execute(document, variable_values=variables, context_value=context)
    )


MOVE = """mutation($d: ID!, $s: ID!) {
  updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s) {
    currentWfmStep { status { name } } } }"""
ACT = """mutation($p: ID!, $b: ID!, $a: String!, $c: String) {
  actOnWFMBranch(projectId: $p, branchId: $b, action: $a, comment: $c) {
    branch { name } state isOpen actedBy { display_name } actedAt comment } }"""


def test_over_graphql(people):
    graph = sales_graph()
    steps_doc = _graphql(
        people.alice,
        """query($w: ID!) { wfmWorkflow(id: $w) { steps { status { name }
             branches { name allowedRoles mergeMode mergeCondition } } } }""",
        w=str(graph.id),
    ).data["wfmWorkflow"]["steps"]
    contract = next(s for s in steps_doc if s["status"]["name"] == "Contract Sent")
    gate = {"mode": "all_approved", "to_step_ids": [str(step_named(graph, "Closed Won").id)]}
    assert contract["branches"] == [
        {
            "name": "Legal review",
            "allowedRoles": ["wfm_manager"],
            "mergeMode": "all_approved",
            "mergeCondition": gate,
        },
        {
            "name": "Finance approval",
            "allowedRoles": ["wfm_admin"],
            "mergeMode": "all_approved",
            "mergeCondition": gate,
        },
    ]
    deal = deal_on_contract_sent(people.alice)
    project, won = str(deal.wfm.wfm_project_id), str(step_named(graph, "Closed Won").id)
    refused = _graphql(people.alice, MOVE, d=str(deal.id), s=won).errors[0]
    assert refused.extensions["code"] == "CONDITION_FAILED"
    assert "Legal review" in refused.message and "Finance approval" in refused.message
    assert [u["label"] for u in refused.extensions["unmet"]] == ["Legal review", "Finance approval"]

    legal = str(branch_named("Legal review").id)
    wrong = _graphql(people.alice, ACT, p=project, b=legal, a="approve").errors[0]
    assert wrong.extensions["code"] == "FORBIDDEN"
    done = _graphql(people.manager, ACT, p=project, b=legal, a="approve", c="Fine by Legal")
    assert done.data["actOnWFMBranch"]["state"] == "approved"
    assert done.data["actOnWFMBranch"]["actedBy"] == {"display_name": "Max Manager"}
    still = _graphql(people.alice, MOVE, d=str(deal.id), s=won).errors[0]
    assert still.extensions["code"] == "CONDITION_FAILED"
    assert "Finance approval" in still.message and "Legal review" not in still.message
    finance = str(branch_named("Finance approval").id)
    _graphql(people.admin, ACT, p=project, b=finance, a="approve")
    moved = _graphql(people.alice, MOVE, d=str(deal.id), s=won).data["updateDealWFMProgress"]
    assert moved["currentWfmStep"]["status"]["name"] == "Closed Won"
    listed = _graphql(
        people.alice,
        """query { deals { wfmProject { branchInstances { branch { name } state isOpen
             actedBy { display_name } comment } } } }""",
    ).data["deals"][0]["wfmProject"]["branchInstances"]
    assert listed == [
        {
            "branch": {"name": "Legal review"},
            "state": "approved",
            "isOpen": False,
            "actedBy": {"display_name": "Max Manager"},
            "comment": "Fine by Legal",
        },
        {
            "branch": {"name": "Finance approval"},
            "state": "approved",
            "isOpen": False,
            "actedBy": {"display_name": "Ada Admin"},
            "comment": None,
        },
    ]


def test_defining_branches_over_graphql(people):
    proposal = str(step_named(sales_graph(), "Proposal").id)
    create = """mutation($s: ID!, $roles: [String!]!) { createWFMWorkflowBranch(input: {
        workflowStepId: $s, name: "Pricing", allowedRoles: $roles, mergeMode: "any_approved"})
        { id name mergeCondition } }"""
    bad = _graphql(people.admin, create, s=proposal, roles=["nobody"]).errors[0]
    assert (
        bad.extensions["code"] == "VALIDATION" and "allowed_roles" in bad.extensions["fieldErrors"]
    )
    assert (
        _graphql(people.manager, create, s=proposal, roles=["wfm_manager"])
        .errors[0]
        .extensions["code"]
        == "FORBIDDEN"
    )
    made = _graphql(people.admin, create, s=proposal, roles=["wfm_manager"]).data
    branch = made["createWFMWorkflowBranch"]
    assert branch["mergeCondition"] == {"mode": "any_approved"}
    renamed = _graphql(
        people.admin,
        """mutation($id: ID!) { updateWFMWorkflowBranch(id: $id, input: {name: "Price check"})
           { name } }""",
        id=branch["id"],
    ).data["updateWFMWorkflowBranch"]
    assert renamed == {"name": "Price check"}
    gone = _graphql(
        people.admin,
        "mutation($id: ID!) { deleteWFMWorkflowBranch(id: $id) { success message } }",
        id=branch["id"],
    ).data["deleteWFMWorkflowBranch"]
    assert gone == {"success": True, "message": None}
