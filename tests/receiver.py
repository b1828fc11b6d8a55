"""A local webhook receiver for tests: records every request, answers from a script."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """An HTTP endpoint that records every request and answers from a script."""

    def __init__(self, statuses: list[int] | None = None, hang_first: float = 0.0) -> None:
        self.requests: list[tuple[dict[str, str], str]] = []
        self.statuses = list(statuses or [])
        self.hang_first = hang_first
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"])).decode()
                with receiver.lock:
                    receiver.requests.append((dict(self.headers.items()), body))
                    first = len(receiver.requests) == 1
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                if first and receiver.hang_first:
                    time.sleep(receiver.hang_first)  # the worker is killed meanwhile
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"busy")

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
