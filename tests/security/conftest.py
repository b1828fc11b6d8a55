"""Fixtures shared by the security tests."""

from __future__ import annotations

import time

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from wfm_app.auth import oidc, tokens


@pytest.fixture
def signer(database, monkeypatch):
    """A provider whose keys we hold, so we can sign any claims we like."""
    key = RSAKey.generate_key(2048, parameters={"kid": "api"})
    provider = oidc._Provider(
        {"issuer": oidc.settings.oidc_issuer}, KeySet([key]), time.monotonic()
    )

    async def fake_fetch(*, refresh: bool = False):
        return provider

    monkeypatch.setattr(oidc, "fetch_provider", fake_fetch)
    monkeypatch.setattr(tokens, "_cache", {})

    def sign(header=None, **claims):
        now = int(time.time())
        body = {
            "iss": oidc.settings.oidc_issuer,
            "sub": "api-user",
            "aud": "wfm",
            "exp": now + 60,
            "name": "Api User",
            "roles": ["wfm_manager"],
            **claims,
        }
        return jwt.encode({"alg": "RS256", "kid": "api", **(header or {})}, body, key)

    return sign
