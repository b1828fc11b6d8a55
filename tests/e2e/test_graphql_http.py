"""Issue 6 over HTTP: POST /graphql on the running backend with real tokens from the
development identity provider."""

from __future__ import annotations

import httpx

from tests.api import automation_flow, flows, pipecd_client, pipecd_lists
from tests.api.flows import codes


def test_no_or_bad_token_gets_only_unauthenticated(gql, app_url):
    answer = gql(None, "{ wfmStatuses { name } deals { id } }")
    assert answer["data"] is None and codes(answer) == ["UNAUTHENTICATED"]
    forged = httpx.post(
        f"{app_url}/graphql",
        json={"query": "{ deals { id } }"},
        headers={"Authorization": "Bearer not-a-real-token"},
    ).json()
    assert codes(forged) == ["UNAUTHENTICATED"]
    assert "refused" in forged["errors"][0]["message"]


def test_every_definitions_operation_over_http(gql):
    flows.definitions_flow(gql, "http")


def test_every_entity_operation_over_http(gql):
    flows.entities_flow(gql, "http")


def test_every_automation_operation_over_http(gql):
    automation_flow.automation_flow(gql, "http")


def test_pipecd_client_operations_over_http(gql):
    pipecd_client.pipecd_flow(gql, "http")


def test_pipecd_filtered_lists_over_http(gql):
    pipecd_lists.lists_flow(gql, "http")


def test_every_error_code_over_http(gql):
    flows.errors_flow(gql, "http")


def test_several_operations_run_only_the_named_one_over_http(app_url, token_for):
    headers = {"Authorization": f"Bearer {token_for('alice')}"}
    # queries only: answered by the API's worker processes where they run
    document = "query Statuses { wfmStatuses { name } } query Deals { deals { id } }"

    def post(**body):
        answer = httpx.post(
            f"{app_url}/graphql", json={"query": document, **body}, headers=headers, timeout=30
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    unnamed = post()
    assert unnamed["data"] is None and codes(unnamed) == ["VALIDATION"]
    assert unnamed["errors"][0]["extensions"]["fieldErrors"] == {
        "operationName": "This document holds 2 operations: name the one to run."
    }
    named = post(operationName="Deals")
    assert "errors" not in named and list(named["data"]) == ["deals"]
    too_long = post(operationName="D" * 5000)
    assert codes(too_long) == ["VALIDATION"] and "D" * 65 not in str(too_long)


def test_graphql_takes_posts_only_with_the_same_cors_answers_as_other_routes(app_url):
    """POST /graphql skips the inner routing (api/app.py: graphql_first); other methods
    still find no API there (the pages' 404, or 405), and its CORS headers are those every
    other backend route gets."""
    for method in ("GET", "PUT"):
        refused = httpx.request(method, f"{app_url}/graphql", json={"query": "{ __typename }"})
        assert refused.status_code in (404, 405) and "UNAUTHENTICATED" not in refused.text
    for origin in (app_url, "https://elsewhere.example"):
        sent = {"Origin": origin}
        graphql = httpx.post(f"{app_url}/graphql", json={"query": "{ __typename }"}, headers=sent)
        health = httpx.get(f"{app_url}/healthz", headers=sent)
        assert graphql.status_code == 200 and "UNAUTHENTICATED" in graphql.text
        cors = [name for name in graphql.headers if name.startswith("access-control-")]
        assert cors == [name for name in health.headers if name.startswith("access-control-")]
        for name in cors:
            assert graphql.headers[name] == health.headers[name], (origin, name)
