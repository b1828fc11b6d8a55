"""Issue 9.4: only the app's own origin may open the event socket (which carries the
user's cookie), checked with a raw websocket handshake."""

from __future__ import annotations

import base64
import http.client
import os
from urllib.parse import urlsplit

from tests.security.browser_http import signed_in_browser


def handshake(app_url: str, origin: str, cookie: str) -> int:
    """The status of a websocket upgrade to Reflex's event endpoint (101 = opened)."""
    parts = urlsplit(app_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request(
        "GET",
        "/_event/?EIO=4&transport=websocket",
        headers={
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
            "Origin": origin,
            "Cookie": f"wfm_session={cookie}",
        },
    )
    status = conn.getresponse().status
    conn.close()
    return status


def test_another_origin_cannot_open_the_event_socket(app_url):
    cookie = signed_in_browser(app_url, "alice").cookies["wfm_session"]
    host = urlsplit(app_url)
    for foreign in ("http://evil.example", f"http://localhost:{host.port + 1}", "null"):
        assert handshake(app_url, foreign, cookie) != 101, foreign
    assert handshake(app_url, app_url, cookie) == 101
