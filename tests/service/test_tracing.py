"""Issue 28.4: with OTEL_EXPORTER_OTLP_ENDPOINT set, spans leave over OTLP/HTTP: one per
WFM operation with the operation log's fields, and the SQL statements under it; without
it, nothing of OpenTelemetry is even imported. Each case runs in a process of its own
(a tracer provider is set once per process)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from wfm_app.settings import REPO_ROOT

SCRIPT = """
import sys, uuid
from wfm_app.observability import tracing
assert tracing.configure("wfm-test")
from wfm_app import db
from wfm_app.auth import users
from wfm_app.auth.actor import Actor
from wfm_app.cli import migrate
from wfm_app.engine import definitions
from wfm_app.entities import deals
from wfm_app.errors import InvalidTransition
from wfm_app.seed import seed_definitions
url = sys.argv[1]
migrate(url)
db.configure(url)
seed_definitions()
user = users.upsert(issuer="t", subject="alice", email=None, display_name="Alice")
alice = Actor.for_user(user.id, {"wfm_member"}, "Alice")
graph = definitions.graph(deals.service.default_workflow_id(alice))
deal = deals.service.create(alice, deals.DealCreate(name="Traced"))
deals.service.move(alice, deal.id, graph.steps[1].id)
try:
    won = next(step for step in graph.steps if step.display_name == "Closed Won")
    deals.service.move(alice, deal.id, won.id)
except InvalidTransition:
    pass
tracing.flush()
print(deal.id)
"""


@pytest.fixture
def collector() -> Iterator[tuple[str, list[bytes]]]:
    received: list[bytes] = []

    class Receive(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            if self.path == "/v1/traces":
                received.append(self.rfile.read(length))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_args) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receive)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()


def spans_of(bodies: list[bytes]) -> list:
    found = []
    for body in bodies:
        request = ExportTraceServiceRequest.FromString(body)
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                found += list(scope.spans)
    return found


def attributes(span) -> dict:
    values = {}
    for item in span.attributes:
        kind = item.value.WhichOneof("value")
        values[item.key] = getattr(item.value, kind)
    return values


def test_operations_and_their_statements_are_exported_as_spans(collector, tmp_path):
    endpoint, received = collector
    database = f"sqlite:///{tmp_path / 'traced.db'}"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, database],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    deal_id = done.stdout.strip().splitlines()[-1]
    spans = spans_of(received)
    by_name: dict[str, list] = {}
    for span in spans:
        by_name.setdefault(span.name, []).append(span)
    created = by_name["wfm CREATE_PROJECT"][0]
    assert attributes(created)["wfm.entityId"] == deal_id
    assert attributes(created)["wfm.entityType"] == "DEAL"
    moves = [attributes(span) for span in by_name["wfm UPDATE_STEP"]]
    assert [move["wfm.success"] for move in moves] == [True, False]
    assert moves[1]["wfm.errorDetails"].startswith("INVALID_TRANSITION: ")
    refused = by_name["wfm UPDATE_STEP"][1]
    assert refused.status.code == 2  # STATUS_CODE_ERROR
    # the move's SQL statements are spans of the move's own trace, under it
    moved = by_name["wfm UPDATE_STEP"][0]
    children = [s for s in spans if s.parent_span_id == moved.span_id]
    assert any(s.name.startswith(("UPDATE", "INSERT", "SELECT")) for s in children), [
        s.name for s in children
    ]


def test_without_an_endpoint_nothing_is_loaded():
    probe = (
        "import sys\n"
        "from wfm_app.observability import tracing, operations\n"
        "from wfm_app import db\n"
        "assert not tracing.configure('wfm-test')\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
