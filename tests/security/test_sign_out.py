"""Issue 9.3: sign-out only by POST from the app's own pages."""

from __future__ import annotations

from tests.security.browser_http import session_exists, signed_in_browser


def test_a_cross_site_get_or_post_signs_nobody_out(app_url, app_database_url):
    browser = signed_in_browser(app_url, "bob")
    token = browser.cookies["wfm_session"]

    lured = browser.get(f"{app_url}/auth/logout")  # <img src=...> on another site
    assert lured.status_code == 405 and 'method="post"' in lured.text
    forged = browser.post(f"{app_url}/auth/logout", headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403
    no_origin = browser.post(f"{app_url}/auth/logout")
    assert no_origin.status_code == 403
    assert session_exists(app_database_url, token)

    ours = browser.post(f"{app_url}/auth/logout", headers={"Origin": app_url})
    assert ours.status_code == 303
    assert not session_exists(app_database_url, token)
