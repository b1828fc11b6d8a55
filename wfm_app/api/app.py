"""The Starlette app Reflex mounts its own backend under (``api_transformer``)."""

from __future__ import annotations

from starlette.applications import Starlette

from wfm_app.auth.routes import routes as auth_routes


def build() -> Starlette:
    return Starlette(routes=[*auth_routes])
