"""Sign-in and sessions below the browser: claim mapping and every rejection."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from reflex_base.event.context import EventContext
from sqlalchemy import event, update

from tests import harness
from tests.service.helpers import count
from wfm_app import db
from wfm_app.auth import oidc, sessions, users
from wfm_app.auth.actor import ADMIN, MANAGER, MEMBER
from wfm_app.auth.claims import profile_from, roles_from
from wfm_app.auth.models import AuthSession, User
from wfm_app.sqltypes import utc_now
from wfm_app.tenancy import DEFAULT_ORG_ID
from wfm_app.ui.state.session import viewer_from

REDIRECT = "http://localhost:3000/auth/callback"


def test_roles_come_from_the_configured_claim():
    assert roles_from({"roles": ["wfm_admin", "other"]}, "roles") == {ADMIN}
    assert roles_from({"roles": "wfm_manager wfm_member"}, "roles") == {MANAGER, MEMBER}
    keycloak = {"realm_access": {"roles": ["offline_access", "wfm_manager"]}}
    assert roles_from(keycloak, "realm_access.roles") == {MANAGER}
    assert roles_from({"roles": 7}, "roles") == frozenset()
    assert roles_from({}, "groups.wfm") == frozenset()
    profile = profile_from(
        {"sub": "42", "email": "a@x.io", "preferred_username": "ann", "picture": "https://p/a.png"},
        "roles",
    )
    assert (profile.subject, profile.display_name) == ("42", "ann")
    assert profile.avatar_url == "https://p/a.png"
    for unsafe in (
        "http://p/a.png",
        "javascript:alert(1)",
        "data:image/svg+xml,<svg/>",
        7,
        "https://p/a.png)",
    ):
        assert profile_from({"sub": "1", "picture": unsafe}, "roles").avatar_url is None
    assert profile.roles == frozenset()


def _user(database):
    return users.upsert(issuer="https://idp", subject="s1", email=None, display_name="Sam")


def test_session_cookie_lifecycle(database):
    user = _user(database)
    token = sessions.start(user.id, frozenset({MANAGER}), org_id=DEFAULT_ORG_ID, id_token="x")
    actor = sessions.actor_from_cookie_header(f"theme=dark; {sessions.COOKIE_NAME}={token}")
    assert actor.user_id == user.id and actor.roles == {MANAGER}
    assert actor.display_name == "Sam"
    assert sessions.resolve(token[:-1] + ("A" if token[-1] != "A" else "B")) is None  # tampered
    assert sessions.resolve("unknown") is None
    assert sessions.actor_from_cookie_header("garbage;;=") is None
    with db.get_engine().begin() as conn:  # expired
        conn.execute(update(AuthSession).values(expires_at=utc_now() - timedelta(seconds=1)))
    assert sessions.resolve(token) is None
    fresh = sessions.start(user.id, frozenset(), org_id=DEFAULT_ORG_ID, id_token=None)
    assert sessions.resolve(fresh).roles == frozenset()  # no role, no access
    sessions.end(fresh)
    assert sessions.resolve(fresh) is None


def _reflex_event() -> EventContext:
    """An event's context as Reflex sets it (the fields an event's work never reaches
    here left empty)."""
    return EventContext(token="tab", state_manager=None, enqueue_impl=None)


def test_an_event_resolves_its_viewer_once(database):
    user = _user(database)
    token = sessions.start(user.id, frozenset({MANAGER}), org_id=DEFAULT_ORG_ID, id_token=None)
    header = f"{sessions.COOKIE_NAME}={token}"
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.get_engine(), "before_cursor_execute", listener)
    try:
        with _reflex_event():
            first = viewer_from(header)
            resolved_with = len(statements)
            assert viewer_from(header) == first and first.user_id == user.id
            assert len(statements) == resolved_with > 0  # the second asked nothing
            assert viewer_from("wfm_session=other") is None  # another cookie: its own
        sessions.end(token)
        with _reflex_event():
            assert viewer_from(header) is None  # the next event sees the sign-out
        assert viewer_from(header) is None  # and so does a caller outside events
    finally:
        event.remove(db.get_engine(), "before_cursor_execute", listener)


@pytest.fixture
def signing_key():
    return RSAKey.generate_key(2048, parameters={"kid": "k1"})


def _id_token(key, **overrides):
    now = int(time.time())
    claims = {
        "iss": oidc.settings.oidc_issuer,
        "aud": oidc.settings.oidc_client_id,
        "sub": "s1",
        "iat": now,
        "exp": now + 300,
        "nonce": "n1",
        **overrides,
    }
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def test_id_token_checks(signing_key):
    keys = KeySet([signing_key])
    audience = oidc.settings.oidc_client_id
    good = oidc.verify_id_token(_id_token(signing_key), keys, nonce="n1", audience=audience)
    assert good["sub"] == "s1"
    rejected = {
        "another issuer": _id_token(signing_key, iss="https://evil.example"),
        "another audience": _id_token(signing_key, aud="someone-else"),
        "expired": _id_token(signing_key, exp=int(time.time()) - 3600),
        "replayed nonce": _id_token(signing_key, nonce="n0"),
        "bad signature": _id_token(RSAKey.generate_key(2048, parameters={"kid": "k1"})),
    }
    for case, token in rejected.items():
        with pytest.raises(oidc.SignInError, match="could not be verified"):
            oidc.verify_id_token(token, keys, nonce="n1", audience=audience)
            pytest.fail(case)


@pytest.fixture(scope="module")
def provider():
    port = 9400 + (os.getpid() % 500) + 100
    wfm = str(Path(sys.executable).parent / "wfm")
    process = subprocess.Popen(
        [wfm, "dev-idp", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield issuer
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


@pytest.fixture
def real_issuer(provider, monkeypatch):
    monkeypatch.setattr(oidc, "settings", dataclasses.replace(oidc.settings, oidc_issuer=provider))
    monkeypatch.setattr(oidc, "_provider", None)
    return provider


def _authorize(url: str, subject: str) -> dict[str, str]:
    """What a person does at the provider: open the form, enter the subject, authorize."""
    with httpx.Client() as http:
        assert http.get(url).status_code == 200
        answer = http.post(url, data={"sub": subject})
    assert answer.status_code == 302, answer.text
    query = parse_qs(urlparse(answer.headers["location"]).query)
    return {key: values[0] for key, values in query.items()}


def test_full_sign_in_then_replay_and_forged_state(database, real_issuer):
    url, bound = harness.run_async(oidc.begin(REDIRECT, "/deals"))
    assert "code_challenge_method=S256" in url and "nonce=" in url
    callback = _authorize(url, "admin")
    assert callback["state"] == bound
    token, next_path = harness.run_async(
        oidc.complete(REDIRECT, state=bound, code=callback["code"], error=None, browser_state=bound)
    )
    assert next_path == "/deals"
    actor = sessions.resolve(token)
    assert actor.roles == {ADMIN} and actor.display_name == "Ada Admin"
    assert count(AuthSession) == 1 and count(User) == 1

    with pytest.raises(oidc.SignInError, match="unknown or has expired"):  # replayed callback
        harness.run_async(
            oidc.complete(
                REDIRECT, state=bound, code=callback["code"], error=None, browser_state=bound
            )
        )
    forged = uuid.uuid4().hex
    with pytest.raises(oidc.SignInError, match="unknown or has expired"):  # forged state
        harness.run_async(
            oidc.complete(REDIRECT, state=forged, code="x", error=None, browser_state=forged)
        )
    # a fresh state with a code that was already spent: the provider refuses it
    _second, state = harness.run_async(oidc.begin(REDIRECT, "/"))
    with pytest.raises(oidc.SignInError, match="refused the sign-in code"):
        harness.run_async(
            oidc.complete(
                REDIRECT, state=state, code=callback["code"], error=None, browser_state=state
            )
        )
    assert count(AuthSession) == 1


def test_cancelled_sign_in_and_unsafe_next(database, real_issuer):
    _url, state = harness.run_async(oidc.begin(REDIRECT, "https://evil.example/steal"))
    with pytest.raises(oidc.SignInError, match="not completed"):
        harness.run_async(
            oidc.complete(
                REDIRECT, state=state, code=None, error="access_denied", browser_state=state
            )
        )
    assert oidc.safe_next_path("//evil.example") == "/"
    assert count(AuthSession) == 0


def test_development_provider_is_refused_in_production(monkeypatch):
    production = dataclasses.replace(
        oidc.settings, issuer_configured=False, allow_dev_issuer_in_production=False
    )
    monkeypatch.setenv("REFLEX_ENV_MODE", "prod")
    with pytest.raises(oidc.SignInError, match="set OIDC_ISSUER"):
        oidc.check_issuer_allowed(production)
    oidc.check_issuer_allowed(dataclasses.replace(production, issuer_configured=True))
    monkeypatch.setenv("REFLEX_ENV_MODE", "dev")
    oidc.check_issuer_allowed(production)
