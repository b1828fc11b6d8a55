"""The development identity provider: oidc-provider-mock plus RFC 7662 token introspection.

The mock issues opaque access tokens and says nothing of which client they were issued
to. A resource server must not accept a token meant for another client, so this wraps
the mock with what every production provider offers: an introspection endpoint that
answers ``active``, ``client_id``/``aud``, ``sub`` and ``exp`` for a token, announced in
the discovery document. Development and tests only; never imported by the app.
"""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime
from typing import Any

import flask
from oidc_provider_mock import app as mock_app
from oidc_provider_mock._storage import User

_INTROSPECT_PATH = "/oauth2/introspect"


def _client_id(request: flask.Request) -> str | None:
    """The client that authenticated at the token endpoint (basic auth or form)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
        except ValueError:
            return None
        return decoded.partition(":")[0] or None
    return request.form.get("client_id") or None


def build(users: list[dict[str, Any]]) -> flask.Flask:
    app = mock_app(
        require_nonce=True,
        user_claims=[
            User(sub=claims["sub"], claims={k: v for k, v in claims.items() if k != "sub"})
            for claims in users
        ],
    )
    issued_to: dict[str, str] = {}  # access token -> client id

    @app.after_request
    def remember_client(response: flask.Response) -> flask.Response:
        request = flask.request
        if request.path == "/oauth2/token" and response.status_code == 200:
            client_id, token = _client_id(request), (response.get_json(silent=True) or {})
            if client_id and token.get("access_token"):
                issued_to[token["access_token"]] = client_id
        elif request.path == "/.well-known/openid-configuration" and response.status_code == 200:
            metadata = response.get_json()
            metadata["introspection_endpoint"] = request.host_url.rstrip("/") + _INTROSPECT_PATH
            response.set_data(flask.json.dumps(metadata))
        return response

    @app.post(_INTROSPECT_PATH)
    def introspect() -> flask.typing.ResponseReturnValue:
        if _client_id(flask.request) is None:
            return flask.jsonify({"error": "invalid_client"}), 401
        storage = flask.g.oidc_provider_mock_storage
        token = storage.get_access_token(flask.request.form.get("token", ""))
        if token is None or token.expires_at <= datetime.now(UTC):
            return flask.jsonify({"active": False})
        client_id = issued_to.get(token.token)
        return flask.jsonify(
            {
                "active": True,
                "token_type": "Bearer",
                "client_id": client_id,
                "aud": client_id,
                "sub": token.user_id,
                "scope": token.scope,
                "exp": int(token.expires_at.timestamp()),
                "iss": flask.request.host_url.rstrip("/"),
            }
        )

    return app


def serve(port: int, users: list[dict[str, Any]]) -> None:
    import uvicorn

    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on localhost only
    uvicorn.run(build(users), interface="wsgi", host="127.0.0.1", port=port, log_level="warning")
