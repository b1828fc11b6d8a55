"""Bearer tokens for the API: the same people, roles and checks as the browser.

A JWT access token is verified against the issuer's JWKS (signature, iss, exp, and aud
when OIDC_API_AUDIENCE is set). An opaque token is sent to the issuer's userinfo
endpoint; its answer is cached for a minute so each request does not ask again.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import JoseError

from wfm_app.auth import oidc, users
from wfm_app.auth.actor import Actor
from wfm_app.auth.claims import profile_from
from wfm_app.settings import settings

USERINFO_CACHE_SECONDS = 60
_cache: dict[str, tuple[float, Actor]] = {}
_lock = threading.Lock()


class TokenRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2


async def _claims_from_jwt(token: str) -> dict[str, Any]:
    provider = await oidc.fetch_provider()
    registry: dict[str, Any] = {
        "iss": {"essential": True, "value": settings.oidc_issuer},
        "exp": {"essential": True},
        "sub": {"essential": True},
    }
    if settings.oidc_api_audience:
        registry["aud"] = {"essential": True, "value": settings.oidc_api_audience}
    try:
        decoded = jwt.decode(token, provider.keys)
        jwt.JWTClaimsRegistry(leeway=60, **registry).validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise TokenRejected(f"The access token is not valid ({error}).") from error
    return dict(decoded.claims)


async def _claims_from_userinfo(token: str) -> dict[str, Any]:
    provider = await oidc.fetch_provider()
    endpoint = provider.metadata.get("userinfo_endpoint")
    if not endpoint:
        raise TokenRejected("The identity provider has no userinfo endpoint for opaque tokens.")
    async with httpx.AsyncClient() as http:
        answer = await http.get(endpoint, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    if answer.status_code != 200:
        raise TokenRejected("The access token was refused by the identity provider.")
    return dict(answer.json())


async def actor_for_token(token: str) -> Actor:
    """The actor a bearer token stands for; TokenRejected when it stands for nobody."""
    key = hashlib.sha256(token.encode()).hexdigest()
    with _lock:
        hit = _cache.get(key)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    claims = await (
        _claims_from_jwt(token) if _looks_like_jwt(token) else _claims_from_userinfo(token)
    )
    if "sub" not in claims:
        raise TokenRejected("The access token names no subject.")
    profile = profile_from(claims, settings.oidc_roles_claim)
    user = users.upsert_profile(settings.oidc_issuer, profile)
    actor = Actor.for_user(user.id, set(profile.roles), profile.display_name or "")
    expires = time.monotonic() + USERINFO_CACHE_SECONDS
    if _looks_like_jwt(token) and isinstance(claims.get("exp"), int):
        expires = min(expires, time.monotonic() + claims["exp"] - time.time())
    with _lock:
        if len(_cache) > 10_000:
            _cache.clear()
        _cache[key] = (expires, actor)
    return actor
