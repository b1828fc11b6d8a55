"""GraphQL scenarios written once, run in-process and over HTTP with real tokens.

``call(who, query, **variables)`` runs a document as "admin", "manager", "alice", "bob"
or None (no token) and returns the JSON answer ({"data": ..., "errors": [...]}).
Every spec operation appears here at least once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Call = Callable[..., dict[str, Any]]


def codes(answer: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in answer.get("errors", [])]


def data(answer: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in answer, answer
    return answer["data"]


def definitions_flow(call: Call, tag: str) -> None:
    status = "mutation($n: String!, $c: String) { createWFMStatus(input: {name: $n, color: $c}) { id name color createdByUser { display_name } } }"
    triage = data(call("admin", status, n=f"Triage {tag}", c="#112233"))["createWFMStatus"]
    assert triage["createdByUser"]["display_name"] == "Ada Admin"
    opened = data(call("admin", status, n=f"Open {tag}", c=None))["createWFMStatus"]
    closed = data(call("admin", status, n=f"Closed {tag}", c="#445566"))["createWFMStatus"]
    assert codes(call("manager", status, n=f"Nope {tag}", c=None)) == ["FORBIDDEN"]
    assert codes(call("alice", status, n=f"Nope {tag}", c=None)) == ["FORBIDDEN"]

    archived = data(
        call(
            "admin",
            "mutation($id: ID!) { updateWFMStatus(id: $id, input: {isArchived: true}) { isArchived color } }",
            id=triage["id"],
        )
    )
    assert archived["updateWFMStatus"] == {"isArchived": True, "color": "#112233"}
    names = [
        s["name"]
        for s in data(call("alice", "{ wfmStatuses(isArchived: true) { name } }"))["wfmStatuses"]
    ]
    assert f"Triage {tag}" in names
    assert (
        data(call("bob", "query($id: ID!) { wfmStatus(id: $id) { name } }", id=opened["id"]))[
            "wfmStatus"
        ]["name"]
        == f"Open {tag}"
    )

    workflow = data(
        call(
            "admin",
            "mutation($n: String!) { createWFMWorkflow(input: {name: $n}) { id name } }",
            n=f"Support {tag}",
        )
    )["createWFMWorkflow"]
    described = data(
        call(
            "admin",
            'mutation($id: ID!) { updateWFMWorkflow(id: $id, input: {description: "Tickets"}) { description } }',
            id=workflow["id"],
        )
    )
    assert described["updateWFMWorkflow"]["description"] == "Tickets"
    step = "mutation($w: ID!, $s: ID!, $i: Boolean) { createWFMWorkflowStep(input: {workflowId: $w, statusId: $s, isInitialStep: $i}) { id stepOrder isInitialStep status { name } } }"
    first = data(call("admin", step, w=workflow["id"], s=opened["id"], i=True))[
        "createWFMWorkflowStep"
    ]
    second = data(call("admin", step, w=workflow["id"], s=closed["id"], i=False))[
        "createWFMWorkflowStep"
    ]
    assert (first["stepOrder"], second["stepOrder"], first["isInitialStep"]) == (1, 2, True)

    transition = data(
        call(
            "admin",
            'mutation($w: ID!, $a: ID!, $b: ID!) { createWFMWorkflowTransition(input: {workflowId: $w, fromStepId: $a, toStepId: $b, name: "Close"}) { id name fromStep { id } toStep { id } } }',
            w=workflow["id"],
            a=first["id"],
            b=second["id"],
        )
    )["createWFMWorkflowTransition"]
    assert transition["fromStep"]["id"] == first["id"]
    renamed = data(
        call(
            "admin",
            'mutation($id: ID!) { updateWFMWorkflowTransition(id: $id, input: {name: "Resolve"}) { name } }',
            id=transition["id"],
        )
    )
    assert renamed["updateWFMWorkflowTransition"]["name"] == "Resolve"
    allowed = data(
        call(
            "alice",
            "query($w: ID!, $f: ID!) { getWfmAllowedTransitions(workflowId: $w, fromStepId: $f) { toStep { id } } }",
            w=workflow["id"],
            f=first["id"],
        )
    )
    assert allowed["getWfmAllowedTransitions"] == [{"toStep": {"id": second["id"]}}]

    reordered = data(
        call(
            "admin",
            "mutation($w: ID!, $ids: [ID!]!) { updateWFMWorkflowStepsOrder(workflowId: $w, orderedStepIds: $ids) { steps { id } } }",
            w=workflow["id"],
            ids=[second["id"], first["id"]],
        )
    )
    assert [s["id"] for s in reordered["updateWFMWorkflowStepsOrder"]["steps"]] == [
        second["id"],
        first["id"],
    ]
    final = data(
        call(
            "admin",
            'mutation($id: ID!) { updateWFMWorkflowStep(id: $id, input: {isFinalStep: true, metadata: {name: "Done"}}) { isFinalStep metadata } }',
            id=second["id"],
        )
    )
    assert final["updateWFMWorkflowStep"] == {"isFinalStep": True, "metadata": {"name": "Done"}}

    project_type = data(
        call(
            "admin",
            'mutation($n: String!, $w: ID!) { createWFMProjectType(input: {name: $n, defaultWorkflowId: $w, iconName: "life-buoy"}) { id iconName defaultWorkflow { name } } }',
            n=f"Ticket {tag}",
            w=workflow["id"],
        )
    )["createWFMProjectType"]
    assert project_type["defaultWorkflow"]["name"] == f"Support {tag}"
    by_name = data(
        call(
            "bob", "query($n: String!) { wfmProjectTypeByName(name: $n) { id } }", n=f"Ticket {tag}"
        )
    )
    assert by_name["wfmProjectTypeByName"]["id"] == project_type["id"]
    by_id = data(
        call(
            "manager",
            "query($id: ID!) { wfmProjectType(id: $id) { iconName } }",
            id=project_type["id"],
        )
    )
    assert by_id["wfmProjectType"]["iconName"] == "life-buoy"
    updated = data(
        call(
            "admin",
            'mutation($id: ID!) { updateWFMProjectType(id: $id, input: {description: "Help desk"}) { description } }',
            id=project_type["id"],
        )
    )
    assert updated["updateWFMProjectType"]["description"] == "Help desk"
    assert f"Ticket {tag}" in [
        t["name"] for t in data(call("alice", "{ wfmProjectTypes { name } }"))["wfmProjectTypes"]
    ]

    read = data(
        call(
            "alice",
            "query($id: ID!) { wfmWorkflow(id: $id) { name steps { id } transitions { name } } }",
            id=workflow["id"],
        )
    )["wfmWorkflow"]
    assert len(read["steps"]) == 2 and read["transitions"] == [{"name": "Resolve"}]
    assert f"Support {tag}" in [
        w["name"] for w in data(call("alice", "{ wfmWorkflows { name } }"))["wfmWorkflows"]
    ]

    dropped = data(
        call(
            "admin",
            "mutation($id: ID!) { deleteWFMWorkflowTransition(id: $id) { success transitionId } }",
            id=transition["id"],
        )
    )
    assert dropped["deleteWFMWorkflowTransition"] == {
        "success": True,
        "transitionId": transition["id"],
    }
    removed = data(
        call(
            "admin",
            "mutation($id: ID!) { deleteWFMWorkflowStep(id: $id) { success stepId } }",
            id=second["id"],
        )
    )
    assert removed["deleteWFMWorkflowStep"]["success"] is True
    gone = data(
        call(
            "admin",
            "mutation($id: ID!) { deleteWfmStatus(id: $id) { success message } }",
            id=triage["id"],
        )
    )
    assert gone["deleteWfmStatus"] == {"success": True, "message": None}
    in_use = data(
        call(
            "admin",
            "mutation($id: ID!) { deleteWfmStatus(id: $id) { success message } }",
            id=opened["id"],
        )
    )
    assert (
        in_use["deleteWfmStatus"]["success"] is False
        and "used by a step" in in_use["deleteWfmStatus"]["message"]
    )


def _steps_of(call: Call, project_type: str) -> dict[str, str]:
    """Status name -> step id of a project type's default workflow."""
    query = "query($n: String!) { wfmProjectTypeByName(name: $n) { defaultWorkflow { steps { id status { name } } } } }"
    answer = data(call("alice", query, n=project_type))
    steps = answer["wfmProjectTypeByName"]["defaultWorkflow"]["steps"]
    return {s["status"]["name"]: s["id"] for s in steps}


def entities_flow(call: Call, tag: str) -> None:
    steps = _steps_of(call, "Sales Deal")
    deal = data(
        call(
            "alice",
            'mutation($n: String!) { createDeal(input: {name: $n, amount: 1000, expected_close_date: "2027-01-31"}) { id wfm_project_id currentWfmStep { id } currentWfmStatus { name } entityProgress wfmProject { isActive projectType { name } } } }',
            n=f"Acme {tag}",
        )
    )["createDeal"]
    assert deal["currentWfmStatus"]["name"] == "Prospecting" and deal["entityProgress"] == 0.1
    assert deal["wfmProject"]["projectType"]["name"] == "Sales Deal"

    move = "mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s) { currentWfmStep { id } weightedAmount history { fromStep { id } toStep { id } changedByUser { display_name } } } }"
    # bob cannot see alice's deal: for him it does not exist
    assert codes(call("bob", move, d=deal["id"], s=steps["Qualification"])) == ["NOT_FOUND"]
    assert codes(call("alice", move, d=deal["id"], s=steps["Closed Won"])) == ["INVALID_TRANSITION"]
    moved = data(call("manager", move, d=deal["id"], s=steps["Qualification"]))[
        "updateDealWFMProgress"
    ]
    assert (
        moved["currentWfmStep"]["id"] == steps["Qualification"] and moved["weightedAmount"] == 250.0
    )
    assert moved["history"][0]["changedByUser"]["display_name"] == "Max Manager"

    renamed = data(
        call(
            "alice",
            "mutation($id: ID!, $n: String!) { updateDeal(id: $id, input: {name: $n}) { name } }",
            id=deal["id"],
            n=f"Acme 2 {tag}",
        )
    )
    assert renamed["updateDeal"]["name"] == f"Acme 2 {tag}"
    assert (
        data(call("bob", "query($id: ID!) { deal(id: $id) { id } }", id=deal["id"]))["deal"] is None
    )
    assert deal["id"] not in [d["id"] for d in data(call("bob", "{ deals { id } }"))["deals"]]
    assert deal["id"] in [d["id"] for d in data(call("manager", "{ deals { id } }"))["deals"]]
    assert (
        data(call("alice", "query($id: ID!) { deal(id: $id) { name } }", id=deal["id"]))["deal"][
            "name"
        ]
        == f"Acme 2 {tag}"
    )
    assert (
        data(
            call(
                "alice",
                "mutation($id: ID!) { deleteDealWithMessage(id: $id) { success } }",
                id=deal["id"],
            )
        )["deleteDealWithMessage"]["success"]
        is True
    )

    lead = data(
        call(
            "bob",
            'mutation($n: String!) { createLead(input: {name: $n, email: "g@x.io", score: 70}) { id currentWfmStep { id } } }',
            n=f"Grace {tag}",
        )
    )["createLead"]
    contacted = _steps_of(call, "Lead Management")["Contacted"]
    lead_moved = data(
        call(
            "bob",
            "mutation($l: ID!, $s: ID!) { updateLeadWFMProgress(leadId: $l, targetWfmWorkflowStepId: $s) { currentWfmStatus { name } } }",
            l=lead["id"],
            s=contacted,
        )
    )
    assert lead_moved["updateLeadWFMProgress"]["currentWfmStatus"]["name"] == "Contacted"
    assert (
        data(
            call(
                "bob",
                "mutation($id: ID!) { updateLead(id: $id, input: {score: 90}) { score } }",
                id=lead["id"],
            )
        )["updateLead"]["score"]
        == 90
    )
    assert f"Grace {tag}" in [x["name"] for x in data(call("bob", "{ leads { name } }"))["leads"]]
    assert (
        data(call("alice", "query($id: ID!) { lead(id: $id) { id } }", id=lead["id"]))["lead"]
        is None
    )
    delete_lead = "mutation($id: ID!) { deleteLead(id: $id) }"
    assert codes(call("alice", delete_lead, id=lead["id"])) == ["NOT_FOUND"]  # not hers
    assert data(call("bob", delete_lead, id=lead["id"]))["deleteLead"] is True


def errors_flow(call: Call, tag: str) -> None:
    unauthenticated = call(None, "{ wfmStatuses { name } deals { id } }")
    assert unauthenticated["data"] is None and codes(unauthenticated) == ["UNAUTHENTICATED"]
    create = (
        "mutation($n: String!, $c: String) { createWFMStatus(input: {name: $n, color: $c}) { id } }"
    )
    assert codes(call("alice", create, n=f"X {tag}", c=None)) == ["FORBIDDEN"]
    assert codes(call("admin", create, n="proposal", c=None)) == ["CONFLICT"]
    bad = call("admin", create, n=f"Y {tag}", c="blue")
    assert codes(bad) == ["VALIDATION"]
    assert bad["errors"][0]["extensions"]["fieldErrors"] == {
        "color": "Color must be a hex code such as #3B82F6."
    }
    assert codes(call("admin", 'mutation { createWFMStatus(input: {name: ""}) { id } }')) == [
        "VALIDATION"
    ]
    missing = 'mutation { updateWFMWorkflow(id: "00000000-0000-0000-0000-000000000000", input: {name: "x"}) { id } }'
    assert codes(call("admin", missing)) == ["NOT_FOUND"]
    assert codes(call("admin", 'query { wfmStatus(id: "not-a-uuid") { id } }')) == ["VALIDATION"]
    assert (
        data(
            call(
                "admin",
                'query { wfmWorkflow(id: "00000000-0000-0000-0000-000000000000") { name } }',
            )
        )["wfmWorkflow"]
        is None
    )
    steps = _steps_of(call, "Sales Deal")
    deal = data(
        call(
            "alice",
            "mutation($n: String!) { createDeal(input: {name: $n}) { id } }",
            n=f"Jump {tag}",
        )
    )["createDeal"]
    jump = call(
        "alice",
        "mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s) { id } }",
        d=deal["id"],
        s=steps["Closed Won"],
    )
    assert codes(jump) == ["INVALID_TRANSITION"]
    assert jump["errors"][0]["message"].startswith(
        'No transition from "Prospecting" to "Closed Won"'
    )
    assert codes(call("alice", "{ deals { nope } }")) == ["GRAPHQL_VALIDATION_FAILED"]
