"""The Starlette app Reflex mounts its own backend under (``api_transformer``)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from wfm_app.api import hooks, observability
from wfm_app.api.graphql.app import graphql_app
from wfm_app.api.limits import BodyLimit
from wfm_app.auth.routes import routes as auth_routes


def build() -> Starlette:
    return Starlette(
        routes=[
            *auth_routes,
            *observability.routes,
            *hooks.routes,
            Route("/graphql", BodyLimit(graphql_app), methods=["POST"]),
        ]
    )
