"""Issue 6 over HTTP: POST /graphql on the running backend with real tokens from the
development identity provider."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client


@pytest.fixture(scope="module")
def token_for(identity_provider: str):
    metadata = httpx.get(f"{identity_provider}/.well-known/openid-configuration").json()
    tokens: dict[str, str] = {}

    def issue(subject: str) -> str:
        if subject not in tokens:
            client = OAuth2Client(
                client_id="wfm-api-tests",
                client_secret="secret",
                scope="openid profile email",
                redirect_uri="http://localhost/callback",
                code_challenge_method="S256",
            )
            verifier = generate_token(48)
            url, _state = client.create_authorization_url(
                metadata["authorization_endpoint"], nonce=generate_token(16), code_verifier=verifier
            )
            answer = httpx.post(url, data={"sub": subject})
            code = httpx.URL(answer.headers["location"]).params["code"]
            token = client.fetch_token(
                metadata["token_endpoint"], code=code, code_verifier=verifier
            )
            tokens[subject] = token["access_token"]
        return tokens[subject]

    return issue


@pytest.fixture(scope="module")
def gql(app_url: str, token_for):
    def call(subject: str | None, query: str, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token_for(subject)}"} if subject else {}
        answer = httpx.post(
            f"{app_url}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    return call


def codes(answer: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in answer.get("errors", [])]


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


def test_roles_and_ownership_over_http(gql):
    sales = gql(
        "alice",
        '{ wfmProjectTypeByName(name: "Sales Deal") { defaultWorkflow { steps { id status { name } } } } }',
    )
    steps = {
        s["status"]["name"]: s["id"]
        for s in sales["data"]["wfmProjectTypeByName"]["defaultWorkflow"]["steps"]
    }
    made = gql(
        "alice",
        'mutation { createDeal(input: {name: "HTTP deal", amount: 4200}) { id currentWfmStatus { name } } }',
    )
    deal_id = made["data"]["createDeal"]["id"]
    assert made["data"]["createDeal"]["currentWfmStatus"]["name"] == "Prospecting"

    assert deal_id in [d["id"] for d in gql("alice", "{ deals { id } }")["data"]["deals"]]
    assert deal_id not in [d["id"] for d in gql("bob", "{ deals { id } }")["data"]["deals"]]
    assert deal_id in [d["id"] for d in gql("manager", "{ deals { id } }")["data"]["deals"]]

    move = "mutation($d: ID!, $s: ID!) { updateDealWFMProgress(dealId: $d, targetWfmWorkflowStepId: $s) { currentWfmStatus { name } history { changedByUser { display_name } } } }"
    assert codes(gql("bob", move, d=deal_id, s=steps["Qualification"])) == ["FORBIDDEN"]
    assert codes(gql("alice", move, d=deal_id, s=steps["Closed Won"])) == ["INVALID_TRANSITION"]
    moved = gql("manager", move, d=deal_id, s=steps["Qualification"])
    assert (
        moved["data"]["updateDealWFMProgress"]["history"][0]["changedByUser"]["display_name"]
        == "Max Manager"
    )

    create_status = 'mutation($n: String!) { createWFMStatus(input: {name: $n, color: "#123456"}) { name createdByUser { display_name } } }'
    assert codes(gql("manager", create_status, n="HTTP status")) == ["FORBIDDEN"]
    assert codes(gql("alice", create_status, n="HTTP status")) == ["FORBIDDEN"]
    created = gql("admin", create_status, n="HTTP status")
    assert created["data"]["createWFMStatus"]["createdByUser"]["display_name"] == "Ada Admin"
    assert codes(gql("admin", create_status, n="http STATUS")) == ["CONFLICT"]
    assert codes(gql("admin", 'mutation { createWFMStatus(input: {name: ""}) { id } }')) == [
        "VALIDATION"
    ]
    missing = gql(
        "admin", 'query { wfmWorkflow(id: "00000000-0000-0000-0000-000000000000") { name } }'
    )
    assert missing["data"]["wfmWorkflow"] is None
    assert codes(
        gql(
            "admin",
            'mutation { updateWFMWorkflow(id: "00000000-0000-0000-0000-000000000000", input: {name: "x"}) { id } }',
        )
    ) == ["NOT_FOUND"]
    assert codes(gql("alice", "{ deals { nope } }")) == ["GRAPHQL_VALIDATION_FAILED"]
