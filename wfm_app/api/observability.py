"""The operator's routes: ``/metrics`` (Prometheus), ``/healthz``, ``/readyz``, the
browsers' timing beacon; and the timing of every HTTP request by route template."""

from __future__ import annotations

import asyncio
import hmac
import math
import time
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wfm_app.observability import health, metrics
from wfm_app.settings import settings

MAX_BEACON_BYTES = 512
BEACON_MEASURES = frozenset({"board_shown", "drop_confirmed"})
MAX_BEACON_SECONDS = 600.0
# Route templates: ours and Reflex's fixed endpoints; any other path counts as "other"
# (a raw path would let anyone grow the label set by asking for made-up addresses).
ROUTES = (
    "/graphql",
    "/metrics",
    "/healthz",
    "/readyz",
    "/beacon",
    "/auth/login",
    "/auth/callback",
    "/auth/logout",
    "/ping",
    "/_upload",
    "/_health",
    "/_all_routes",
)


def _allowed(request: Request) -> bool:
    token = settings.metrics_token
    if token is None:
        return True
    given = request.headers.get("authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


async def metrics_text(request: Request) -> Response:
    if not _allowed(request):
        return Response("A bearer token is needed (WFM_METRICS_TOKEN).", status_code=401)
    body, content_type = await asyncio.to_thread(metrics.exposition)
    return Response(body, headers={"content-type": content_type})


async def healthz(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(_request: Request) -> Response:
    checks = await asyncio.to_thread(health.readiness)
    ready = all(check.ok for check in checks)
    body = {
        "status": "ready" if ready else "not ready",
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return JSONResponse(body, status_code=200 if ready else 503)


def _refused(field: str, message: str) -> Response:
    return JSONResponse(
        {"error": {"code": "VALIDATION", "field": field, "message": message}}, status_code=400
    )


async def beacon(request: Request) -> Response:
    """``{"measure": "board_shown" | "drop_confirmed", "seconds": s}`` from a page
    (``navigator.sendBeacon``: plain text, no pre-flight)."""
    body = await request.body()
    if len(body) > MAX_BEACON_BYTES:
        return _refused("body", f"At most {MAX_BEACON_BYTES} bytes.")
    try:
        found: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return _refused("body", "A JSON object is expected.")
    if not isinstance(found, dict):
        return _refused("body", "A JSON object is expected.")
    measure, seconds = found.get("measure"), found.get("seconds")
    if measure not in BEACON_MEASURES:
        return _refused("measure", f"One of {', '.join(sorted(BEACON_MEASURES))}.")
    if (
        not isinstance(seconds, int | float)
        or isinstance(seconds, bool)
        or not math.isfinite(seconds)
        or not 0 <= seconds <= MAX_BEACON_SECONDS
    ):
        return _refused("seconds", f"A number of seconds from 0 to {MAX_BEACON_SECONDS:g}.")
    metrics.FRONTEND_SECONDS.labels(measure).observe(float(seconds))
    return Response(status_code=204)


routes = [
    Route("/metrics", metrics_text, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
    Route("/beacon", beacon, methods=["POST"]),
]


def _template(path: str) -> str:
    for route in ROUTES:
        if path == route or path.startswith(route + "/"):
            return route
    return "other"


def timed(app: ASGIApp) -> ASGIApp:
    """Every HTTP request into ``wfm_http_request_duration_seconds`` (the event socket is
    not a request: its events are timed as operations)."""

    async def timing(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await app(scope, receive, sending)
        finally:
            metrics.HTTP_SECONDS.labels(
                scope["method"], _template(scope["path"]), str(status[0])
            ).observe(time.perf_counter() - started)

    return timing
