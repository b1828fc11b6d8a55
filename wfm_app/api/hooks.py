"""POST /hooks/<endpoint-id>: another system's events (entities/inbound). The work runs
in a thread, never on the event loop that serves the pages."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, request_response

from wfm_app.api.limits import BodyLimit
from wfm_app.entities.inbound import receiving


async def receive(request: Request) -> Response:
    body = await request.body()
    address = str(request.path_params["endpoint_id"])[:100]
    answer = await run_in_threadpool(receiving.receive, address, body, dict(request.headers))
    return JSONResponse(
        {"outcome": answer.outcome, "message": answer.message}, status_code=answer.status
    )


routes = [Route("/hooks/{endpoint_id}", BodyLimit(request_response(receive)), methods=["POST"])]
