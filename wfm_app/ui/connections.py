"""Which socket a tab is connected through now, as Reflex's token manager knows it.

A tab keeps its token (and so its state) when it navigates: the page it left had one
socket, the page it opened has another, possibly on another app process. An event the
old socket sent can still be running when the new one connects, and Reflex forwards its
answer to wherever the token lives now (Redis "lost and found"): the new page. Events
that act on what the page shows ask ``is_current`` first.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from wfm_app.observability import metrics

SOCKETS_EVERY_SECONDS = 1.0
_app: Any = None  # the Reflex app, once its lifespan has started (ui/live.py)


def remember(app: Any) -> None:
    global _app
    _app = app


def connected_here(token: str) -> bool:
    """The tab's socket is connected to this process."""
    if _app is None:
        return False
    manager = _app.event_namespace._token_manager
    record = manager.token_to_socket.get(token)
    return record is not None and record.instance_id == manager.instance_id


def is_current(token: str, sid: str) -> bool:
    """The socket ``sid`` is still the one the tab ``token`` is connected through (True
    before the app has started serving: nothing to compare with)."""
    if _app is None:
        return True
    record = _app.event_namespace._token_manager.token_to_socket.get(token)
    return record is not None and record.sid == sid


async def count_sockets(app: Any) -> None:
    """The app's lifespan task: this process's open sockets into ``wfm_live_sockets``
    every few seconds; when the process stops, its count leaves the sum."""
    try:
        while True:
            metrics.LIVE_SOCKETS.set(len(app.event_namespace.sid_to_token))
            await asyncio.sleep(SOCKETS_EVERY_SECONDS)
    finally:
        metrics.process_gone(os.getpid())
