"""OpenID Connect sign-in: authorization code flow with PKCE, state and nonce (Authlib).

The browser carries nothing but the opaque session cookie: a sign-in in progress is a
``LoginFlow`` row keyed by ``state``, deleted when the callback uses it, so a replayed
or forged callback finds nothing. The ID token is verified against the issuer's JWKS
(signature, iss, aud, exp, nonce) with joserfc before any user or session is made.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlmodel import col, delete

from wfm_app import organizations
from wfm_app.auth import sessions, users
from wfm_app.auth.claims import profile_from
from wfm_app.auth.models import LoginFlow
from wfm_app.db import unit_of_work
from wfm_app.errors import WfmError
from wfm_app.settings import DEV_ISSUER, Settings, settings
from wfm_app.sqltypes import utc_now
from wfm_app.tenancy import acting_in

log = logging.getLogger("wfm.auth")

FLOW_MINUTES = 10
_METADATA_SECONDS = 3600
_LEEWAY_SECONDS = 60

# One TLS context (the CA bundle read once, at start-up) for every call to the identity
# provider: a client made its own, 45 ms of the event loop each, and twenty API requests
# arriving with a new token held every page and /ping for most of a second.
TLS = httpx.create_ssl_context()


def provider_http() -> httpx.AsyncClient:
    """A client for one exchange with the identity provider."""
    return httpx.AsyncClient(verify=TLS)


class SignInError(Exception):
    """A sign-in that must not go ahead; ``message`` is shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Provider:
    metadata: dict[str, Any]
    keys: KeySet
    fetched_at: float


_provider: _Provider | None = None


def check_issuer_allowed(config: Settings = settings) -> None:
    """In production the built-in development provider (which signs anyone in) is refused:
    OIDC_ISSUER must be configured. A configured plain-http issuer is allowed but warned of."""
    if not config.production:
        return
    if not config.issuer_configured and not config.allow_dev_issuer_in_production:
        raise SignInError(
            "Sign-in is switched off: set OIDC_ISSUER (and OIDC_CLIENT_ID, OIDC_CLIENT_SECRET) "
            f"for production; the development provider at {DEV_ISSUER} signs anyone in."
        )
    if config.oidc_issuer.startswith("http://"):
        log.warning("OIDC_ISSUER %s is not https; use https in production", config.oidc_issuer)


async def fetch_provider(*, refresh: bool = False) -> _Provider:
    global _provider
    if _provider and not refresh and time.monotonic() - _provider.fetched_at < _METADATA_SECONDS:
        return _provider
    async with provider_http() as http:
        url = f"{settings.oidc_issuer}/.well-known/openid-configuration"
        metadata = (await http.get(url, timeout=10)).raise_for_status().json()
        jwks = (await http.get(metadata["jwks_uri"], timeout=10)).raise_for_status().json()
    _provider = _Provider(metadata, KeySet.import_key_set(jwks), time.monotonic())
    return _provider


def _client(redirect_uri: str) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        scope=settings.oidc_scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method=settings.oidc_token_auth_method,
        verify=TLS,
    )


def safe_next_path(next_path: str | None) -> str:
    """Only paths on this site: never let ``next`` send someone elsewhere."""
    if not next_path or not next_path.startswith("/") or next_path.startswith("//"):
        return "/"
    return next_path


async def begin(redirect_uri: str, next_path: str | None) -> tuple[str, str]:
    """Record a new sign-in: (the provider's authorization URL, its state for the browser
    binding cookie)."""
    check_issuer_allowed()
    provider = await fetch_provider()
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    with unit_of_work() as uow:
        uow.session.exec(delete(LoginFlow).where(col(LoginFlow.expires_at) < utc_now()))
        uow.session.add(
            LoginFlow(
                state=state,
                nonce=nonce,
                code_verifier=verifier,
                next_path=safe_next_path(next_path),
                expires_at=utc_now() + timedelta(minutes=FLOW_MINUTES),
            )
        )
    async with _client(redirect_uri) as client:
        url, _ = client.create_authorization_url(
            provider.metadata["authorization_endpoint"],
            state=state,
            nonce=nonce,
            code_verifier=verifier,
        )
    return str(url), state


def _take_flow(state: str | None) -> LoginFlow:
    """The flow for this state, deleted so it can be used once only."""
    with unit_of_work() as uow:
        flow = uow.session.get(LoginFlow, state) if state else None
        if flow is not None:
            uow.session.delete(flow)
    if flow is None or flow.expires_at < utc_now():
        raise SignInError("This sign-in is unknown or has expired; please sign in again.")
    return flow


def verify_id_token(id_token: str, keys: KeySet, *, nonce: str, audience: str) -> dict[str, Any]:
    """Claims of a valid ID token; SignInError for a bad signature, iss, aud, exp or nonce."""
    try:
        token = jwt.decode(id_token, keys)
        jwt.JWTClaimsRegistry(
            leeway=_LEEWAY_SECONDS,
            iss={"essential": True, "value": settings.oidc_issuer},
            aud={"essential": True, "value": audience},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError) as error:
        raise SignInError(
            f"The identity provider's answer could not be verified ({error}); please sign in again."
        ) from error
    return dict(token.claims)


async def complete(
    redirect_uri: str,
    *,
    state: str | None,
    code: str | None,
    error: str | None,
    browser_state: str | None,
) -> tuple[str, str]:
    """Finish a sign-in started in this same browser (``browser_state``, from its binding
    cookie, equals ``state``): (session token for the cookie, path to go back to)."""
    if not state or not browser_state or not secrets.compare_digest(state, browser_state):
        raise SignInError("This sign-in was not started in this browser; please sign in again.")
    flow = _take_flow(state)
    if error or not code:
        raise SignInError(f"Sign-in was not completed at the identity provider ({error}).")
    provider = await fetch_provider()
    async with _client(redirect_uri) as client:
        try:
            token = await client.fetch_token(
                provider.metadata["token_endpoint"],
                code=code,
                code_verifier=flow.code_verifier,
                timeout=10,
            )
        except Exception as exc:
            raise SignInError(
                "The identity provider refused the sign-in code; please sign in again."
            ) from exc
    id_token = token.get("id_token")
    if not id_token:
        raise SignInError("The identity provider sent no ID token.")
    try:
        claims = verify_id_token(
            id_token, provider.keys, nonce=flow.nonce, audience=settings.oidc_client_id
        )
    except SignInError:
        # A key rotation at the provider is the benign reason: refetch once and retry.
        provider = await fetch_provider(refresh=True)
        claims = verify_id_token(
            id_token, provider.keys, nonce=flow.nonce, audience=settings.oidc_client_id
        )
    profile = profile_from(claims, settings.oidc_roles_claim, settings.oidc_org_claim)
    try:
        org_id = organizations.for_sign_in(profile.org_key)
    except WfmError as refused:
        raise SignInError(refused.message) from None
    with acting_in(org_id):
        user = users.upsert_profile(settings.oidc_issuer, profile)
    session_token = sessions.start(user.id, profile.roles, org_id=org_id, id_token=id_token)
    log.info("signed in %s (%s) with roles %s", profile.subject, user.id, sorted(profile.roles))
    return session_token, flow.next_path


async def end_session_url(id_token: str | None, after: str) -> str | None:
    """The provider's RP-initiated logout URL, when it has one."""
    try:
        provider = await fetch_provider()
    except Exception:
        return None
    endpoint = provider.metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    params = {"post_logout_redirect_uri": after, "client_id": settings.oidc_client_id}
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(params)}"
