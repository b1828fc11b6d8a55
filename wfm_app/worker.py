"""`wfm worker`: sends the webhook outbox and fires time-in-step rules.

Run one or several (on PostgreSQL they never take the same delivery; on SQLite run
one). Everything it does is recorded in the database first, so stopping or killing it
loses nothing: a delivery it held is taken over once its lease runs out, and timers
that came due while no worker ran fire on the next scan.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from types import FrameType

from wfm_app.engine.automation import delivery, timers
from wfm_app.settings import settings

log = logging.getLogger("wfm.worker")


class _Stop:
    requested = False

    def __call__(self, _signum: int, _frame: FrameType | None) -> None:
        self.requested = True


def run(*, once: bool = False) -> None:
    """Loop until SIGTERM/SIGINT (or one round with ``once``)."""
    stop = _Stop()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    next_scan = 0.0
    log.info("worker started")
    with delivery.client() as client:
        while not stop.requested:
            if time.monotonic() >= next_scan:
                fired = _safely(timers.scan)
                if fired:
                    log.info("time-in-step rules fired: %d", fired)
                next_scan = time.monotonic() + settings.timer_scan_seconds
            sent = _safely(lambda: delivery.deliver_due(client))
            if once:
                return
            if not sent:
                time.sleep(settings.worker_poll_seconds)
    log.info("worker stopped")


def _safely(work: Callable[[], int]) -> int:
    """A database hiccup must not end the worker: log it and try again next round."""
    try:
        return work()
    except Exception:
        log.exception("worker round failed; retrying")
        time.sleep(settings.worker_poll_seconds)
        return 0
