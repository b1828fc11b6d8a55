"""Issue 9.1: API tokens for this app only. JWTs signed by the real issuer's keys but
meant for another client, and ID tokens, are refused; so are opaque tokens another
client got, and opaque tokens where only userinfo could vouch for them."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import httpx
import pytest
from joserfc.jwk import KeySet

from tests import harness
from tests.api.flows import codes
from tests.app_fixtures import issue_tokens
from wfm_app.auth import oidc, tokens

CREATE_STATUS = 'mutation { createWFMStatus(input: {name: "Planted %s"}) { id } }'


def actor_for(token):
    return harness.run_async(tokens.actor_for_token(token))


def test_a_burst_of_requests_with_a_new_token_waits_for_one_check(signer, monkeypatch):
    checks: list[str] = []
    check = tokens._claims_from_jwt

    async def counted(token):
        checks.append(token)
        return await check(token)

    monkeypatch.setattr(tokens, "_claims_from_jwt", counted)

    async def burst(token):
        calls = (tokens.actor_for_token(token) for _ in range(20))
        return await asyncio.gather(*calls, return_exceptions=True)

    actors = harness.run_async(burst(signer(sub="burst")))
    assert len(checks) == 1
    assert len({id(actor) for actor in actors}) == 1  # the one check's actor, for all 20
    assert actors[0].display_name == "Api User"
    refused = harness.run_async(burst(signer(aud="other-client", sub="burst-2")))
    assert len(checks) == 2  # a refusal too is one check, told to every request
    assert all(isinstance(error, tokens.TokenRejected) for error in refused)
    assert "not issued for this application" in refused[0].message


def test_the_audience_defaults_to_our_client_id():
    assert tokens.settings.oidc_api_audience == tokens.settings.oidc_client_id == "wfm"


def test_jwt_access_tokens_must_be_meant_for_us(signer):
    actor = actor_for(signer())
    assert actor.roles == {"wfm_manager"} and actor.display_name == "Api User"
    # Keycloak: aud "account", our client as the authorized party
    assert actor_for(signer(aud="account", azp="wfm", sub="kc-user")).roles == {"wfm_manager"}
    assert actor_for(signer(aud=["account", "wfm"], sub="both")).roles == {"wfm_manager"}
    with pytest.raises(tokens.TokenRejected, match="not issued for this application"):
        actor_for(signer(aud="other-client", sub="x1"))
    with pytest.raises(tokens.TokenRejected, match="not issued for this application"):
        actor_for(signer(aud="other-client", azp="other-client", sub="x2"))
    for bad in (signer(iss="https://evil", sub="x3"), signer(exp=int(time.time()) - 600, sub="x4")):
        with pytest.raises(tokens.TokenRejected, match="not valid"):
            actor_for(bad)


def test_id_tokens_are_not_access_tokens(signer):
    for id_token in (
        signer(nonce="n", sub="i1"),
        signer(at_hash="abc", sub="i2"),
        signer(typ="ID", sub="i3"),  # Keycloak marks its ID tokens
    ):
        with pytest.raises(tokens.TokenRejected, match="ID token"):
            actor_for(id_token)
    # RFC 9068 access tokens say so in their header, whatever else they carry
    assert actor_for(signer({"typ": "at+jwt"}, nonce="n", sub="at")).roles == {"wfm_manager"}


def _userinfo_nobody_answers(monkeypatch) -> None:
    """A provider without introspection whose userinfo address nobody listens at."""
    provider = oidc._Provider({"userinfo_endpoint": "http://127.0.0.1:9/userinfo"}, KeySet([]), 0)

    async def fake_fetch(*, refresh: bool = False):
        return provider

    monkeypatch.setattr(oidc, "fetch_provider", fake_fetch)
    monkeypatch.setattr(tokens, "_cache", {})


def _userinfo_tokens_allowed(monkeypatch) -> None:
    allowed = dataclasses.replace(tokens.settings, api_userinfo_tokens=True)
    monkeypatch.setattr(tokens, "settings", allowed)


def test_opaque_tokens_need_introspection_unless_userinfo_is_allowed(database, monkeypatch):
    _userinfo_nobody_answers(monkeypatch)
    with pytest.raises(tokens.TokenRejected, match="no token introspection"):
        actor_for("opaque-token")
    _userinfo_tokens_allowed(monkeypatch)
    with pytest.raises(httpx.ConnectError):  # now it does ask userinfo (nothing listens)
        actor_for("opaque-token")


def test_over_http_only_our_clients_access_tokens_work(gql, app_url, identity_provider):
    ours = issue_tokens(identity_provider, "admin")
    theirs = issue_tokens(identity_provider, "admin", client_id="another-app")

    def as_bearer(token: str) -> dict:
        answer = httpx.post(
            f"{app_url}/graphql",
            json={"query": CREATE_STATUS % time.monotonic_ns()},
            headers={"Authorization": f"Bearer {token}"},
        )
        return answer.json()

    assert "errors" not in as_bearer(ours["access_token"])
    for refused in (theirs["access_token"], theirs["id_token"], ours["id_token"]):
        answer = as_bearer(refused)
        assert answer["data"] is None and codes(answer) == ["UNAUTHENTICATED"], answer


def test_a_token_that_cannot_be_checked_gets_503_not_500(database, monkeypatch):
    """The identity provider does not answer (nothing listens at its userinfo address):
    the API says to try again (503, with Retry-After), not that the server failed (500)."""
    from wfm_app.api.graphql.app import graphql_app

    _userinfo_nobody_answers(monkeypatch)
    _userinfo_tokens_allowed(monkeypatch)

    async def ask() -> httpx.Response:
        transport = httpx.ASGITransport(graphql_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://wfm") as client:
            return await client.post(
                "/graphql",
                json={"query": "{ __typename }"},
                headers={"Authorization": "Bearer opaque-token"},
            )

    answer = harness.run_async(ask())
    assert answer.status_code == 503
    assert "could not be checked just now" in answer.text
    assert answer.headers["retry-after"] == "5"  # when to try again
