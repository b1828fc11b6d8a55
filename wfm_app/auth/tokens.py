"""Bearer tokens for the API: the same people, roles and checks as the browser, and only
tokens meant for this app.

A JWT access token is verified against the issuer's JWKS (signature, iss, exp) and must
name us: ``OIDC_API_AUDIENCE`` (default ``OIDC_CLIENT_ID``) in ``aud``, or our client id
in ``azp`` (Keycloak puts ``account`` in ``aud``). ID tokens are refused: they prove a
sign-in to some client, not a grant to call this API. An opaque token goes to the
issuer's RFC 7662 introspection endpoint (active, audience); the userinfo endpoint,
which cannot say whom a token was issued to, is used only when an operator sets
``WFM_API_USERINFO_TOKENS=1``. An answer is cached for a minute.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
import uuid
from collections.abc import Mapping
from typing import Any

import anyio
import httpx
from joserfc import jwt
from joserfc.errors import JoseError

from wfm_app import organizations
from wfm_app.auth import oidc, users
from wfm_app.auth.actor import Actor
from wfm_app.auth.claims import Profile, claim_at, profile_from
from wfm_app.errors import WfmError
from wfm_app.settings import settings
from wfm_app.tenancy import acting_in

CACHE_SECONDS = 60
_cache: dict[str, tuple[float, Actor]] = {}
_lock = threading.Lock()
_checking: dict[str, asyncio.Task[Actor]] = {}  # token hash -> its check under way


class TokenRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2


def _audiences(claims: Mapping[str, Any]) -> set[str]:
    aud = claims.get("aud")
    if isinstance(aud, str):
        return {aud}
    return {str(item) for item in aud} if isinstance(aud, list) else set()


def meant_for_us(claims: Mapping[str, Any]) -> bool:
    """Our audience in ``aud``, or our client as the authorized party / client."""
    if settings.oidc_api_audience in _audiences(claims):
        return True
    client = claims.get("azp") or claims.get("client_id")
    return client == settings.oidc_client_id


def is_id_token(header: Mapping[str, Any], claims: Mapping[str, Any]) -> bool:
    """RFC 9068 access tokens say ``at+jwt``; ID tokens carry sign-in proof claims."""
    if str(header.get("typ", "")).lower() in {"at+jwt", "application/at+jwt"}:
        return False
    return "nonce" in claims or "at_hash" in claims or claims.get("typ") == "ID"


def _not_for_us() -> TokenRejected:
    return TokenRejected(
        "The access token was not issued for this application (audience "
        f"{settings.oidc_api_audience!r}); ask the identity provider for a token for it."
    )


async def _claims_from_jwt(token: str) -> dict[str, Any]:
    provider = await oidc.fetch_provider()
    try:
        decoded = jwt.decode(token, provider.keys)
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": settings.oidc_issuer},
            exp={"essential": True},
            sub={"essential": True},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise TokenRejected(f"The access token is not valid ({error}).") from error
    if is_id_token(decoded.header, decoded.claims):
        raise TokenRejected("An ID token is not an access token; send an access token.")
    if not meant_for_us(decoded.claims):
        raise _not_for_us()
    return dict(decoded.claims)


async def _introspect(http: httpx.AsyncClient, endpoint: str, token: str) -> dict[str, Any]:
    answer = await http.post(
        endpoint,
        data={"token": token, "token_type_hint": "access_token"},
        auth=(settings.oidc_client_id, settings.oidc_client_secret),
        timeout=10,
    )
    if answer.status_code != 200:
        raise TokenRejected("The identity provider could not check the access token.")
    claims = dict(answer.json())
    if claims.get("active") is not True:
        raise TokenRejected("The access token was refused by the identity provider.")
    if not meant_for_us(claims):
        raise _not_for_us()
    return claims


async def _claims_from_opaque(token: str) -> dict[str, Any]:
    provider = await oidc.fetch_provider()
    introspection = provider.metadata.get("introspection_endpoint")
    userinfo = provider.metadata.get("userinfo_endpoint")
    if not introspection and not settings.api_userinfo_tokens:
        raise TokenRejected(
            "Opaque access tokens cannot be checked: the identity provider offers no token "
            "introspection. Use JWT access tokens (or set WFM_API_USERINFO_TOKENS=1)."
        )
    async with oidc.provider_http() as http:
        claims = await _introspect(http, introspection, token) if introspection else {}
        if claims_complete(claims) or not userinfo:
            return claims
        # Introspection proves the grant; userinfo adds the profile and roles it lacks.
        answer = await http.get(userinfo, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    if answer.status_code != 200:
        raise TokenRejected("The access token was refused by the identity provider.")
    profile = dict(answer.json())
    if claims and profile.get("sub") != claims.get("sub"):
        raise TokenRejected("The identity provider's answers about the token disagree.")
    return {**claims, **profile}


def claims_complete(claims: Mapping[str, Any]) -> bool:
    return bool(claims) and claim_at(claims, settings.oidc_roles_claim) is not None


def _sign_in(profile: Profile) -> tuple[uuid.UUID, users.UserRead]:
    """The token's user, in the organization their claim names (an API token acts there)."""
    try:
        org_id = organizations.for_sign_in(profile.org_key)
    except WfmError as refused:
        raise TokenRejected(refused.message) from None
    with acting_in(org_id):
        return org_id, users.upsert_profile(settings.oidc_issuer, profile)


async def actor_for_token(token: str) -> Actor:
    """The actor a bearer token stands for; TokenRejected when it stands for nobody."""
    key = hashlib.sha256(token.encode()).hexdigest()
    with _lock:
        hit = _cache.get(key)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    # A client's burst of requests with a new token waits for one check, not one each
    # (twenty calls to the identity provider and twenty sign-ins otherwise).
    loop = asyncio.get_running_loop()
    checking = _checking.get(key)
    if checking is None or checking.get_loop() is not loop:
        checking = _checking[key] = loop.create_task(_checked(token, key))
        checking.add_done_callback(lambda done: _forget_check(key, done))
    return await asyncio.shield(checking)  # a request given up on leaves the others theirs


def _forget_check(key: str, done: asyncio.Task[Actor]) -> None:
    if _checking.get(key) is done:
        del _checking[key]
    if not done.cancelled():
        done.exception()  # seen, even if every request that waited for it was given up on


async def _checked(token: str, key: str) -> Actor:
    claims = await (
        _claims_from_jwt(token) if _looks_like_jwt(token) else _claims_from_opaque(token)
    )
    if not claims.get("sub"):
        raise TokenRejected("The access token names no subject.")
    profile = profile_from(claims, settings.oidc_roles_claim, settings.oidc_org_claim)
    # database work: in a thread, so the event loop serving every page never waits on it
    org_id, user = await anyio.to_thread.run_sync(_sign_in, profile)
    actor = Actor.for_user(
        user.id,
        set(profile.roles),
        profile.display_name or "",
        default_role=settings.default_role,
        org_id=org_id,
    )
    expires = time.monotonic() + CACHE_SECONDS
    if isinstance(claims.get("exp"), int):
        expires = min(expires, time.monotonic() + claims["exp"] - time.time())
    with _lock:
        if len(_cache) > 10_000:
            _cache.clear()
        _cache[key] = (expires, actor)
    return actor
