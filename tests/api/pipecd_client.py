"""PipeCD's own client against our API: the operations of its deal and lead stores (and
the WFM ones that differed), written from its public schema and our reading of its
frontend, shaped as it sends them (fragments, ``$input`` variables with camelCase and
snake_case keys, date-times for dates, ``AUTO_DEFAULT_*`` project types). What its CRM
has and we do not (people, organisations, conversions, e-mail, tasks) is left out.

``pipecd_flow(call, tag)`` runs them in-process or over HTTP with real tokens (see
flows.py for ``call``).
"""

from __future__ import annotations

from tests.api.flows import Call, _steps_of, codes, data

USER_FIELDS = """
fragment UserProfileFields on User { id display_name email avatar_url }
"""
CUSTOM_VALUE_FIELDS = """
fragment CustomFieldValueFields on CustomFieldValue {
  definition { id fieldName fieldType }
  stringValue numberValue booleanValue dateValue selectedOptionValues
}
"""
STEP_FIELDS = """
fragment WfmStepFields on WFMWorkflowStep {
  id stepOrder isInitialStep isFinalStep metadata status { id name color }
}
fragment WfmStatusFields on WFMStatus { id name color }
"""
DEAL_CORE = """
fragment DealCoreFields on Deal {
  id name amount currency expected_close_date created_at updated_at
  user_id assigned_to_user_id deal_specific_probability weighted_amount wfm_project_id
}
"""
LEAD_CORE = """
fragment LeadCoreFields on Lead {
  id name source description contact_name contact_email contact_phone company_name
  estimated_value estimated_close_date lead_score lead_score_factors isQualified
  qualificationLevel qualificationStatus assigned_to_user_id assigned_at converted_at
  converted_to_deal_id converted_to_person_id converted_to_organization_id
  converted_by_user_id wfm_project_id
  customFieldValues { ...CustomFieldValueFields }
  last_activity_at automation_score_factors ai_insights user_id created_at updated_at
}
"""
# its lead detail page's conversion (its ConvertLeadModal): the deal, then the lead again
CONVERT_LEAD = (
    CUSTOM_VALUE_FIELDS
    + LEAD_CORE
    + """
mutation ConvertLead($id: ID!, $input: LeadConversionInput!) {
  convertLead(id: $id, input: $input) {
    leadId
    convertedEntities { deal { id name amount expected_close_date currentWfmStatus { name } } }
    lead { ...LeadCoreFields converted_to_deal { id name } converted_by_user { id } }
  }
}"""
)

GET_DEALS = (
    USER_FIELDS
    + CUSTOM_VALUE_FIELDS
    + STEP_FIELDS
    + DEAL_CORE
    + """
query GetDeals {
  deals {
    ...DealCoreFields
    assignedToUser { ...UserProfileFields }
    customFieldValues { ...CustomFieldValueFields }
    currentWfmStep { ...WfmStepFields }
    currentWfmStatus { ...WfmStatusFields }
  }
}"""
)
CREATE_DEAL = (
    USER_FIELDS
    + STEP_FIELDS
    + DEAL_CORE
    + """
mutation CreateDeal($input: DealInput!) {
  createDeal(input: $input) {
    ...DealCoreFields
    assignedToUser { ...UserProfileFields }
    currentWfmStep { ...WfmStepFields }
    currentWfmStatus { ...WfmStatusFields }
  }
}"""
)
UPDATE_DEAL = (
    USER_FIELDS
    + DEAL_CORE
    + """
mutation UpdateDeal($id: ID!, $input: DealUpdateInput!) {
  updateDeal(id: $id, input: $input) {
    ...DealCoreFields
    assignedToUser { ...UserProfileFields }
  }
}"""
)
DELETE_DEAL = "mutation DeleteDeal($id: ID!) { deleteDeal(id: $id) }"
DEAL_PROGRESS = (
    STEP_FIELDS
    + DEAL_CORE
    + """
mutation UpdateDealWFMProgress($dealId: ID!, $targetWfmWorkflowStepId: ID!) {
  updateDealWFMProgress(dealId: $dealId, targetWfmWorkflowStepId: $targetWfmWorkflowStepId) {
    ...DealCoreFields
    wfm_project_id
    currentWfmStep { ...WfmStepFields }
    currentWfmStatus { ...WfmStatusFields }
  }
}"""
)
DEAL_WITH_HISTORY = (
    USER_FIELDS
    + DEAL_CORE
    + """
query GetDealWithHistory($id: ID!) {
  deal(id: $id) {
    ...DealCoreFields
    createdBy { ...UserProfileFields }
    history(limit: 20, offset: 0) {
      id eventType changes createdAt user { ...UserProfileFields }
    }
  }
}"""
)
DEALS_OF_USER = "query($userId: ID!) { deals(userId: $userId) { id name user_id } }"
GET_USERS = "query GetUserList { users { id display_name email avatar_url } }"

GET_LEADS = (
    USER_FIELDS
    + CUSTOM_VALUE_FIELDS
    + STEP_FIELDS
    + LEAD_CORE
    + """
query GetLeads {
  leads {
    ...LeadCoreFields
    assignedToUser { ...UserProfileFields }
    currentWfmStep { ...WfmStepFields }
    currentWfmStatus { ...WfmStatusFields }
  }
}"""
)
CREATE_LEAD = (
    USER_FIELDS
    + CUSTOM_VALUE_FIELDS
    + STEP_FIELDS
    + LEAD_CORE
    + """
mutation CreateLead($input: LeadInput!) {
  createLead(input: $input) {
    ...LeadCoreFields
    assignedToUser { ...UserProfileFields }
    currentWfmStep { ...WfmStepFields }
    currentWfmStatus { ...WfmStatusFields }
  }
}"""
)
UPDATE_LEAD = (
    USER_FIELDS
    + CUSTOM_VALUE_FIELDS
    + LEAD_CORE
    + """
mutation UpdateLead($id: ID!, $input: LeadUpdateInput!) {
  updateLead(id: $id, input: $input) {
    ...LeadCoreFields
    assignedToUser { ...UserProfileFields }
  }
}"""
)
DELETE_LEAD = "mutation DeleteLead($id: ID!) { deleteLead(id: $id) }"
LEAD_PROGRESS = (
    USER_FIELDS
    + CUSTOM_VALUE_FIELDS
    + STEP_FIELDS
    + LEAD_CORE
    + """
mutation UpdateLeadWFMProgress($leadId: ID!, $targetWfmWorkflowStepId: ID!) {
  updateLeadWFMProgress(leadId: $leadId, targetWfmWorkflowStepId: $targetWfmWorkflowStepId) {
    ...LeadCoreFields
    assignedToUser { ...UserProfileFields }
    currentWfmStep { ...WfmStepFields }
    currentWfmStatus { ...WfmStatusFields }
  }
}"""
)
LEAD_HISTORY = """
query GetLeadHistory($id: ID!) {
  lead(id: $id) {
    id
    history(limit: 10, offset: 0) { id lead_id user_id event_type changes created_at }
  }
}"""
UPDATE_TRANSITION = """
mutation UpdateWfmWorkflowTransition($id: ID!, $input: UpdateWfmWorkflowTransitionInput!) {
  updateWFMWorkflowTransition(id: $id, input: $input) { id name }
}"""


def _user_id(call: Call, display_name: str) -> str:
    users = data(call("manager", GET_USERS))["users"]
    return next(u["id"] for u in users if u["display_name"] == display_name)


def deals_flow(call: Call, tag: str) -> None:
    bob = _user_id(call, "Bob Member")
    steps = _steps_of(call, "Sales Deal")
    # the manager creates a deal for bob to work, the way PipeCD's create modal sends it
    made = data(
        call(
            "manager",
            CREATE_DEAL,
            input={
                "name": f"PipeCD deal {tag}",
                "amount": 20000,
                "currency": "EUR",
                "expected_close_date": "2025-07-16T00:00:00.000Z",
                "wfmProjectTypeId": "AUTO_DEFAULT_SALES_DEAL",
                "deal_specific_probability": 0.5,
                "assignedToUserId": bob,
                "customFields": [],
            },
        )
    )["createDeal"]
    assert made["expected_close_date"] == "2025-07-16"
    assert made["deal_specific_probability"] == 0.5
    assert made["weighted_amount"] == 10000  # its own 50 %, not Prospecting's 10 %
    assert made["assigned_to_user_id"] == bob
    assert made["currentWfmStatus"]["name"] == "Prospecting"
    assert made["user_id"] == _user_id(call, "Max Manager")

    # bob, a member, sees the deal assigned to him and moves it; alice does not see it
    listed = data(call("bob", GET_DEALS))["deals"]
    mine = next(d for d in listed if d["id"] == made["id"])
    assert mine["assignedToUser"]["display_name"] == "Bob Member"
    assert mine["currentWfmStep"]["isInitialStep"] is True
    assert made["id"] not in [d["id"] for d in data(call("alice", GET_DEALS))["deals"]]
    moved = data(
        call(
            "bob",
            DEAL_PROGRESS,
            dealId=made["id"],
            targetWfmWorkflowStepId=steps["Qualification"],
        )
    )["updateDealWFMProgress"]
    assert moved["currentWfmStatus"]["name"] == "Qualification"
    assert moved["weighted_amount"] == 10000

    # unset the override: the step's probability weighs it again; a bad one is refused
    updated = data(
        call(
            "bob",
            UPDATE_DEAL,
            id=made["id"],
            input={"deal_specific_probability": None, "expected_close_date": "2025-08-01"},
        )
    )["updateDeal"]
    assert updated["weighted_amount"] == 5000  # Qualification: 25 %
    assert updated["expected_close_date"] == "2025-08-01"
    wrong = call("bob", UPDATE_DEAL, id=made["id"], input={"deal_specific_probability": 75})
    assert codes(wrong) == ["VALIDATION"]
    # a member may not hand work to someone else
    alice = _user_id(call, "Alice Member")
    handed = call("bob", UPDATE_DEAL, id=made["id"], input={"assignedToUserId": alice})
    assert codes(handed) == ["FORBIDDEN"]

    history = data(call("bob", DEAL_WITH_HISTORY, id=made["id"]))["deal"]
    assert history["history"][0]["eventType"] == "WFM_STEP_CHANGED"
    assert history["history"][0]["changes"]["wfm_step"] == {
        "old": "Prospecting",
        "new": "Qualification",
    }
    assert history["history"][0]["user"]["display_name"] == "Bob Member"
    assert history["createdBy"]["display_name"] == "Max Manager"
    owned = data(call("manager", DEALS_OF_USER, userId=made["user_id"]))["deals"]
    assert made["id"] in [d["id"] for d in owned]

    assert codes(call("alice", DELETE_DEAL, id=made["id"])) == ["NOT_FOUND"]
    # the assignee works the deal but may not delete it from under its owner (issue 24)
    assert codes(call("bob", DELETE_DEAL, id=made["id"])) == ["FORBIDDEN"]
    assert data(call("manager", DELETE_DEAL, id=made["id"]))["deleteDeal"] is True


def leads_flow(call: Call, tag: str) -> None:
    steps = _steps_of(call, "Lead Management")
    made = data(
        call(
            "alice",
            CREATE_LEAD,
            input={
                "name": f"PipeCD lead {tag}",
                "source": "Website",
                "description": "Asked for a demo.",
                "contactName": "Grace Hopper",
                "contactEmail": "grace@navy.example.com",
                "contactPhone": "+1 555 0100",
                "companyName": "Navy",
                "estimatedValue": 12000.5,
                "estimatedCloseDate": "2025-09-30T00:00:00.000Z",
                "customFields": [],
                "wfmProjectTypeId": "AUTO_DEFAULT_LEAD_QUALIFICATION",
            },
        )
    )["createLead"]
    assert (made["company_name"], made["contact_email"]) == ("Navy", "grace@navy.example.com")
    assert (made["contact_name"], made["contact_phone"]) == ("Grace Hopper", "+1 555 0100")
    assert (made["estimated_value"], made["estimated_close_date"]) == (12000.5, "2025-09-30")
    assert (made["isQualified"], made["qualificationStatus"]) == (False, "OPEN")
    assert made["qualificationLevel"] == 0.1  # New Lead's qualification chance
    assert made["currentWfmStatus"]["name"] == "New Lead"
    wrong_type = dict(name="x", wfmProjectTypeId="AUTO_DEFAULT_SALES_DEAL")
    assert codes(call("alice", CREATE_LEAD, input=wrong_type)) == ["VALIDATION"]

    scored = data(
        call("alice", UPDATE_LEAD, id=made["id"], input={"leadScore": 80, "source": "Referral"})
    )["updateLead"]
    assert (scored["lead_score"], scored["source"]) == (80, "Referral")
    for step in ("Contacted", "Nurturing", "Qualified"):
        moved = data(
            call("alice", LEAD_PROGRESS, leadId=made["id"], targetWfmWorkflowStepId=steps[step])
        )["updateLeadWFMProgress"]
    assert (moved["isQualified"], moved["qualificationStatus"]) == (True, "WON")
    assert moved["qualificationLevel"] == 1.0
    assert moved["converted_at"] is None and moved["lead_score_factors"] == {}
    assert moved["last_activity_at"] >= moved["updated_at"]

    person = {"targetType": "PERSON", "preserveActivities": True}
    assert codes(call("alice", CONVERT_LEAD, id=made["id"], input=person)) == ["VALIDATION"]
    deal_data = {"name": f"From PipeCD lead {tag}", "amount": 15000}
    converted = data(
        call(
            "alice",
            CONVERT_LEAD,
            id=made["id"],
            input={"targetType": "DEAL", "dealData": deal_data, "preserveActivities": True},
        )
    )["convertLead"]
    deal = converted["convertedEntities"]["deal"]
    assert (deal["name"], deal["amount"]) == (deal_data["name"], 15000)
    assert deal["expected_close_date"] == "2025-09-30"  # left out: the lead's
    assert deal["currentWfmStatus"]["name"] == "Prospecting"
    lead = converted["lead"]
    assert (converted["leadId"], lead["qualificationStatus"]) == (made["id"], "CONVERTED")
    assert lead["converted_to_deal_id"] == deal["id"] == lead["converted_to_deal"]["id"]
    assert lead["converted_at"] and lead["converted_by_user"]["id"] == lead["converted_by_user_id"]
    again = {"targetType": "DEAL", "dealData": {"name": "Twice"}}
    assert codes(call("alice", CONVERT_LEAD, id=made["id"], input=again)) == ["CONFLICT"]
    assert data(call("alice", DELETE_DEAL, id=deal["id"]))["deleteDeal"] is True
    assert any(lead["id"] == made["id"] for lead in data(call("alice", GET_LEADS))["leads"])
    history = data(call("alice", LEAD_HISTORY, id=made["id"]))["lead"]["history"]
    # the edit (score 80, source Referral), then four moves (the last to Converted)
    assert [h["event_type"] for h in history] == ["LEAD_UPDATED"] + ["WFM_STEP_CHANGED"] * 4
    assert history[0]["changes"]["source"]["new"] == "Referral"
    assert {h["lead_id"] for h in history} == {made["id"]}
    assert data(call("alice", DELETE_LEAD, id=made["id"]))["deleteLead"] is True


def transition_flow(call: Call, tag: str) -> None:
    workflows = data(call("admin", "{ wfmWorkflows { name transitions { id name } } }"))
    support = next(w for w in workflows["wfmWorkflows"] if w["name"] == "Support Process")
    edge = support["transitions"][0]
    renamed = data(
        call("admin", UPDATE_TRANSITION, id=edge["id"], input={"name": f"Renamed {tag}"})
    )["updateWFMWorkflowTransition"]
    assert renamed == {"id": edge["id"], "name": f"Renamed {tag}"}
    data(call("admin", UPDATE_TRANSITION, id=edge["id"], input={"name": edge["name"]}))


def pipecd_flow(call: Call, tag: str) -> None:
    deals_flow(call, tag)
    leads_flow(call, tag)
    transition_flow(call, tag)
