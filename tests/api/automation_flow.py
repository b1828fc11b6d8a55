"""Issue 12 over GraphQL, written once and run in-process and over HTTP (see flows.py):
rules (admins only), notifications (the viewer's own), the webhook delivery log."""

from __future__ import annotations

from tests.api.flows import Call, _steps_of, codes, data

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
CREATE_RULE = "mutation($i: CreateWorkflowAutomationRuleInput!) { createWorkflowAutomationRule(input: $i) { id name triggerEvent workflowStepId actionConfig isEnabled } }"
UPDATE_RULE = "mutation($id: ID!, $i: UpdateWorkflowAutomationRuleInput!) { updateWorkflowAutomationRule(id: $id, input: $i) { id isEnabled } }"
DELETE_RULE = "mutation($id: ID!) { deleteWorkflowAutomationRule(id: $id) }"
RULES = "query($w: ID!) { workflowAutomationRules(workflowId: $w) { id name } }"
NOTES = "{ myNotifications(unreadOnly: true, limit: 50) { id message entityType entityId isRead } unreadNotificationCount }"
READ = "mutation($id: ID!) { markNotificationRead(id: $id) { id isRead readAt } }"
DELIVERIES = "query { webhookDeliveries { id webhookId ruleName url eventType status attempts } }"
WORKFLOW = 'query { wfmProjectTypeByName(name: "Sales Deal") { defaultWorkflow { id } } }'


def automation_flow(call: Call, tag: str) -> None:
    workflow = data(call("alice", WORKFLOW))["wfmProjectTypeByName"]["defaultWorkflow"]["id"]
    steps = _steps_of(call, "Sales Deal")
    notify = {
        "name": f"Qualified heads-up {tag}",
        "workflowId": workflow,
        "workflowStepId": steps["Qualification"],
        "triggerEvent": "step_entered",
        "actionConfig": {"type": "notify", "to": "owner"},
    }
    hook = {
        **notify,
        "name": f"Qualified hook {tag}",
        "actionConfig": {
            "type": "webhook",
            "url": "https://hooks.example.test/wfm",
            "secret": SECRET,
        },
    }
    assert codes(call("manager", CREATE_RULE, i=notify)) == ["FORBIDDEN"]
    assert codes(call("alice", RULES, w=workflow)) == ["FORBIDDEN"]
    bad = call(
        "admin", CREATE_RULE, i={**hook, "actionConfig": {"type": "webhook", "url": "ftp://x"}}
    )
    assert codes(bad) == ["VALIDATION"] and "http" in bad["errors"][0]["message"]
    made = [
        data(call("admin", CREATE_RULE, i=rule))["createWorkflowAutomationRule"]
        for rule in (notify, hook)
    ]
    try:
        assert made[1]["actionConfig"]["secret"] == "********"  # never read back
        listed = data(call("admin", RULES, w=workflow))["workflowAutomationRules"]
        assert {rule["id"] for rule in made} <= {rule["id"] for rule in listed}

        deal = data(
            call(
                "alice",
                "mutation($n: String!) { createDeal(input: {name: $n}) { id } }",
                n=f"Hooked {tag}",
            )
        )["createDeal"]["id"]
        move = "mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s) { id } }"
        data(call("alice", move, d=deal, s=steps["Qualification"]))

        mine = data(call("alice", NOTES))
        note = next(n for n in mine["myNotifications"] if n["entityId"] == deal)
        assert note["message"] == f'Deal "Hooked {tag}" entered Qualification.'
        assert note["entityType"] == "DEAL" and mine["unreadNotificationCount"] >= 1
        assert codes(call("bob", READ, id=note["id"])) == ["NOT_FOUND"]  # not his
        assert data(call("alice", READ, id=note["id"]))["markNotificationRead"]["isRead"] is True

        assert codes(call("manager", DELIVERIES)) == ["FORBIDDEN"]
        # (over HTTP a worker may already be trying to send it: any status will do)
        logged = data(call("admin", DELIVERIES))["webhookDeliveries"]
        sent = [d for d in logged if d["ruleName"] == hook["name"]]
        assert len(sent) == 1 and sent[0]["webhookId"].startswith("msg_")
        assert sent[0]["status"] in {"pending", "failed"}
        assert sent[0]["eventType"] == "wfm.step_entered"

        off = data(call("admin", UPDATE_RULE, id=made[0]["id"], i={"isEnabled": False}))
        assert off["updateWorkflowAutomationRule"]["isEnabled"] is False
    finally:
        for rule in made:
            assert (
                data(call("admin", DELETE_RULE, id=rule["id"]))["deleteWorkflowAutomationRule"]
                is True
            )
    assert codes(call("admin", DELETE_RULE, id=made[0]["id"])) == ["NOT_FOUND"]
