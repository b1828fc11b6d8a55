"""PipeCD's filtered deal list (its deals page's ``GetDealsFiltered``: filters, a sort,
``first`` and ``after``), written from its public schema as its store sends it, and the
same for leads and the generic ``items``: paged forward and back, what a member sees, and
bad input refused naming the field. Run in-process and over HTTP (see flows.py)."""

from __future__ import annotations

from typing import Any

from tests.api.flows import Call, codes, data
from tests.api.pipecd_client import (
    CREATE_DEAL,
    CREATE_LEAD,
    CUSTOM_VALUE_FIELDS,
    DEAL_CORE,
    DELETE_DEAL,
    DELETE_LEAD,
    STEP_FIELDS,
    USER_FIELDS,
)

GET_DEALS_FILTERED = (
    USER_FIELDS
    + CUSTOM_VALUE_FIELDS
    + STEP_FIELDS
    + DEAL_CORE
    + """
query GetDealsFiltered(
  $filters: DealFiltersInput, $sort: DealSortInput, $first: Int, $after: String,
  $last: Int, $before: String
) {
  dealsFiltered(
    filters: $filters, sort: $sort, first: $first, after: $after, last: $last, before: $before
  ) {
    nodes {
      ...DealCoreFields
      assignedToUser { ...UserProfileFields }
      customFieldValues { ...CustomFieldValueFields }
      currentWfmStep { ...WfmStepFields }
      currentWfmStatus { ...WfmStatusFields }
    }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount
  }
}"""
)
LEADS_FILTERED = """
query LeadsFiltered($filters: LeadFilters, $sort: LeadSortInput, $first: Int, $after: String) {
  leadsFiltered(filters: $filters, sort: $sort, first: $first, after: $after) {
    nodes { id name lead_score estimated_value currentWfmStatus { name } }
    totalCount hasNextPage hasPreviousPage pageInfo { endCursor }
  }
}"""
ITEMS = """
query Items($filters: ItemFiltersInput, $sort: ItemSortInput, $first: Int) {
  items(kind: "deal", filters: $filters, sort: $sort, first: $first) {
    nodes { name values } totalCount pageInfo { hasNextPage }
  }
}"""


def _deal(call: Call, name: str, amount: int, currency: str, closing: str) -> dict[str, Any]:
    given = {
        "name": name,
        "amount": amount,
        "currency": currency,
        "expected_close_date": f"{closing}T00:00:00.000Z",
        "wfmProjectTypeId": "AUTO_DEFAULT_SALES_DEAL",
        "customFields": [],
    }
    return data(call("manager", CREATE_DEAL, input=given))["createDeal"]


def _listed(call: Call, who: str, **variables: Any) -> dict[str, Any]:
    return data(call(who, GET_DEALS_FILTERED, **variables))["dealsFiltered"]


def deals_filtered_flow(call: Call, tag: str) -> None:
    made = [
        _deal(call, f"Filtered {tag} A", 100_000, "EUR", "2027-03-01"),
        _deal(call, f"Filtered {tag} B", 200_000, "EUR", "2027-01-15"),
        _deal(call, f"Filtered {tag} C", 300_000, "USD", "2027-02-01"),
    ]
    # its deals page: high-value EUR deals, soonest to close first, 50 a page
    answer = _listed(
        call,
        "manager",
        filters={"search": f"filtered {tag}", "amountMin": 150_000, "currency": "EUR"},
        sort={"field": "EXPECTED_CLOSE_DATE", "direction": "ASC"},
        first=50,
    )
    assert [d["name"] for d in answer["nodes"]] == [f"Filtered {tag} B"]
    assert answer["totalCount"] == 1
    assert answer["nodes"][0]["currentWfmStatus"]["name"] == "Prospecting"
    assert answer["pageInfo"]["hasNextPage"] is False

    # one at a time by amount, forward, then back from the end
    mine = {"search": f"filtered {tag}"}
    by_amount = {"field": "AMOUNT", "direction": "DESC"}
    names, after = [], None
    for _ in made:
        page = _listed(call, "manager", filters=mine, sort=by_amount, first=1, after=after)
        assert page["totalCount"] == 3
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        names.append(page["nodes"][0]["name"])
        after = page["pageInfo"]["endCursor"]
    assert names == [f"Filtered {tag} {x}" for x in "CBA"]
    assert page["pageInfo"]["hasNextPage"] is False
    back = _listed(call, "manager", filters=mine, sort=by_amount, last=2, before=after)
    assert [d["name"] for d in back["nodes"]] == names[:2]
    assert back["pageInfo"]["hasPreviousPage"] is False
    assert back["pageInfo"]["hasNextPage"] is True

    # the generic list reads the same way; a member sees none of the manager's deals
    items = data(
        call("manager", ITEMS, filters=mine, sort={"field": "amount", "direction": "ASC"}, first=2)
    )["items"]
    assert [i["name"] for i in items["nodes"]] == names[::-1][:2]
    assert items["totalCount"] == 3 and items["pageInfo"]["hasNextPage"] is True
    assert _listed(call, "alice", filters=mine)["totalCount"] == 0

    # bad input: VALIDATION, naming the field
    assert codes(call("manager", GET_DEALS_FILTERED, first=0)) == ["VALIDATION"]
    assert codes(call("manager", GET_DEALS_FILTERED, after="not-a-cursor")) == ["VALIDATION"]
    unknown = {"customFieldFilters": [{"fieldName": "nope", "operator": "EQUALS", "value": "1"}]}
    assert codes(call("manager", GET_DEALS_FILTERED, filters=unknown)) == ["VALIDATION"]
    for deal in made:
        assert data(call("manager", DELETE_DEAL, id=deal["id"]))["deleteDeal"] is True


def leads_filtered_flow(call: Call, tag: str) -> None:
    made = []
    for name, value in (("Warm", 7000), ("Cold", 200), ("Hot", 9500)):
        given = {
            "name": f"Listed {tag} {name}",
            "estimatedValue": value,
            "wfmProjectTypeId": "AUTO_DEFAULT_LEAD_QUALIFICATION",
        }
        made.append(data(call("alice", CREATE_LEAD, input=given))["createLead"])
    answer = data(
        call(
            "alice",
            LEADS_FILTERED,
            filters={"search": f"listed {tag}", "estimatedValueMin": 5000},
            sort={"field": "ESTIMATED_VALUE", "direction": "DESC"},
            first=1,
        )
    )["leadsFiltered"]
    assert [n["name"] for n in answer["nodes"]] == [f"Listed {tag} Hot"]
    assert (answer["totalCount"], answer["hasNextPage"]) == (2, True)
    following = data(
        call(
            "alice",
            LEADS_FILTERED,
            filters={"search": f"listed {tag}", "estimatedValueMin": 5000},
            sort={"field": "ESTIMATED_VALUE", "direction": "DESC"},
            after=answer["pageInfo"]["endCursor"],
        )
    )["leadsFiltered"]
    assert [n["name"] for n in following["nodes"]] == [f"Listed {tag} Warm"]
    assert (following["hasNextPage"], following["hasPreviousPage"]) == (False, True)
    for lead in made:
        assert data(call("alice", DELETE_LEAD, id=lead["id"]))["deleteLead"] is True


def lists_flow(call: Call, tag: str) -> None:
    deals_filtered_flow(call, tag)
    leads_filtered_flow(call, tag)
