"""A browser played with plain HTTP: sign in through the real provider, keep cookies."""

from __future__ import annotations

import hashlib

import httpx
import psycopg

from tests import harness


def start_sign_in(app_url: str, subject: str) -> tuple[httpx.Client, str]:
    """Begin a sign-in in a fresh "browser" and authorize at the provider as ``subject``:
    (that browser, the callback URL the provider sends it to)."""
    browser = httpx.Client(timeout=30)
    to_provider = browser.get(f"{app_url}/auth/login?next=/deals")
    assert to_provider.status_code == 302, to_provider.text
    authorized = browser.post(to_provider.headers["location"], data={"sub": subject})
    assert authorized.status_code == 302, authorized.text
    return browser, authorized.headers["location"]


def signed_in_browser(app_url: str, subject: str) -> httpx.Client:
    browser, callback = start_sign_in(app_url, subject)
    assert browser.get(callback).status_code == 302
    assert browser.cookies.get("wfm_session")
    return browser


def session_exists(database_url: str, token: str) -> bool:
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    dsn = harness.pg_admin_dsn().rsplit("/", 1)[0] + "/" + database_url.rsplit("/", 1)[1]
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT count(*) FROM auth_sessions WHERE token_hash = %s", (token_hash,)
        ).fetchone()
    return bool(row and row[0])
