"""A local webhook receiver for tests: records every request, answers from a script."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Receivers listen on loopback, which outbound calls refuse unless the operator allows it:
# the tests allow it as an operator would (WFM_WEBHOOK_ALLOW_NETWORKS).
LOOPBACK = "127.0.0.1/32"


class Receiver:
    """An HTTP endpoint that records every request and answers from a script."""

    def __init__(
        self,
        statuses: list[int] | None = None,
        hang_first: float = 0.0,
        error_body: bytes = b"busy",
        location: str | None = None,
    ) -> None:
        self.requests: list[tuple[dict[str, str], str]] = []
        self.paths: list[str] = []  # each request's path and query, as sent
        self.methods: list[str] = []  # POST, or PATCH (ServiceNow's Table API)
        self.statuses = list(statuses or [])
        self.hang_first = hang_first
        self.error_body = error_body  # what a non-200 answer says (a leak, if shown)
        self.location = location  # sent with every answer: a redirect, if the status is 3xx
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"])).decode()
                with receiver.lock:
                    receiver.requests.append((dict(self.headers.items()), body))
                    receiver.paths.append(self.path)
                    receiver.methods.append(self.command)
                    first = len(receiver.requests) == 1
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                if first and receiver.hang_first:
                    time.sleep(receiver.hang_first)  # the worker is killed meanwhile
                self.send_response(status)
                if receiver.location:
                    self.send_header("location", receiver.location)
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else receiver.error_body)

            do_PATCH = do_POST  # noqa: N815 (http.server names handlers so)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def ids(self) -> list[str]:
        with self.lock:
            return [headers["webhook-id"] for headers, _ in self.requests]

    def close(self) -> None:
        self.server.shutdown()
