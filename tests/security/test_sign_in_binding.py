"""Issue 9.3: a sign-in finishes only in the browser that started it (no login CSRF)."""

from __future__ import annotations

import httpx

from tests.security.browser_http import session_exists, start_sign_in


def test_a_callback_from_someone_elses_sign_in_is_refused(app_url, app_database_url):
    attacker, callback = start_sign_in(app_url, "bob")
    binding = attacker.cookies.get("wfm_signin")
    assert binding and binding in callback  # the cookie holds the flow's state

    victim = httpx.Client(timeout=30)  # lured to the attacker's callback URL
    answer = victim.get(callback)
    assert answer.status_code == 400
    assert "not started in this browser" in answer.text
    assert "wfm_session" not in victim.cookies

    # The browser that started it still finishes it, and the binding cookie is cleared.
    finished = attacker.get(callback)
    assert finished.status_code == 302 and finished.headers["location"].endswith("/deals")
    assert session_exists(app_database_url, attacker.cookies["wfm_session"])
    assert "wfm_signin" not in attacker.cookies


def test_the_binding_cookie_is_httponly_samesite_and_scoped(app_url):
    browser = httpx.Client(timeout=30)
    answer = browser.get(f"{app_url}/auth/login")
    cookie = answer.headers["set-cookie"].lower()
    assert "wfm_signin=" in cookie and "httponly" in cookie
    assert "samesite=lax" in cookie and "path=/auth" in cookie
