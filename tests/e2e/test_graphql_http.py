"""Issue 6 over HTTP: POST /graphql on the running backend with real tokens from the
development identity provider."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client

from tests.api import flows
from tests.api.flows import codes


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


def test_every_error_code_over_http(gql):
    flows.errors_flow(gql, "http")
