"""`wfm worker`: sends the webhook outbox, fires time-in-step rules and relearns each
workflow's win chance once an hour.

Run one or several (on PostgreSQL they never take the same delivery; on SQLite run
one). Everything it does is recorded in the database first, so stopping or killing it
loses nothing: a delivery it held is taken over once its lease runs out, and timers
that came due while no worker ran fire on the next scan.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

from wfm_app import db_roles, organizations
from wfm_app.engine.analytics import stay_changes
from wfm_app.engine.automation import delivery, timers
from wfm_app.engine.win_chance import store as win_chance
from wfm_app.observability import metrics
from wfm_app.settings import settings
from wfm_app.tenancy import acting_in

T = TypeVar("T")

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
    db_roles.refuse_privileged_role()
    next_scan = 0.0
    heartbeat = metrics.WORKER_LAST_ROUND.labels(f"{socket.gethostname()}:{os.getpid()}")
    log.info("worker started")
    with delivery.client() as client:
        while not stop.requested:
            scan = time.monotonic() >= next_scan
            sent = 0
            # Each organization's timers and deliveries in turn, in that organization:
            # its transactions see its rows and no other's.
            for org_id in _safely(organizations.all_ids) or []:
                with acting_in(org_id):
                    if scan:
                        fired = _safely(timers.scan)
                        if fired:
                            metrics.TIMERS_FIRED.inc(fired)
                            log.info("time-in-step rules fired in %s: %d", org_id, fired)
                        _safely(win_chance.refresh_stale)  # hourly per workflow
                        _safely(stay_changes.prune)  # the analytics feed's old rows
                    sent += _safely(lambda: delivery.deliver_due(client)) or 0
            heartbeat.set(time.time())
            if scan:
                next_scan = time.monotonic() + settings.timer_scan_seconds
            if once:
                return
            if not sent:
                time.sleep(settings.worker_poll_seconds)
    log.info("worker stopped")
    metrics.process_gone(os.getpid())


def _safely(work: Callable[[], T]) -> T | None:
    """A database hiccup must not end the worker: log it and try again next round."""
    try:
        return work()
    except Exception:
        log.exception("worker round failed; retrying")
        time.sleep(settings.worker_poll_seconds)
        return None
