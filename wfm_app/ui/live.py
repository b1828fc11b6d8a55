"""Live boards: every change announced by the engine (engine/changes.py) reaches the open
boards of this process that show it, for viewers allowed to see the card, and only the
columns it touches change in their state.

Each app process serves its own tabs (their sockets are connected to it) and keeps a
registry of which tab shows which workflow to whom. The card is read once per change,
in a worker thread, then each tab's state is changed in memory under Reflex's state
lock (``app.modify_state``) and Reflex pushes the difference to the tab.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import reflex as rx
from reflex.istate.manager.token import BaseStateToken
from sqlalchemy.engine import make_url

from wfm_app import tenancy
from wfm_app.auth.actor import Actor
from wfm_app.engine import access, changes, definitions
from wfm_app.engine.automation import events
from wfm_app.settings import settings
from wfm_app.ui import connections
from wfm_app.ui.state.adapters import as_uuid

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Viewer:
    state: type[rx.State]
    workflow_ids: frozenset[str]  # the board's workflow and the older versions it shows
    actor: Actor


_viewers: dict[str, Viewer] = {}


def watch(token: str, state: type[rx.State], workflow_ids: frozenset[str], actor: Actor) -> None:
    """A tab now shows these workflows' cards (a board, with the older versions it shows)
    to this actor (called on every board load)."""
    if token:
        _viewers[token] = Viewer(state, workflow_ids, actor)


async def _deliver(app: Any, change: changes.Change) -> None:
    org = as_uuid(change.org_id)
    targets = [
        (t, v)
        for t, v in list(_viewers.items())
        if change.workflow_id in v.workflow_ids and v.actor.org_id == org
    ]
    if not targets or org is None:
        return
    handler = events.handler_for(change.entity_type)
    if handler is None:
        return
    read = None
    if change.op != "deleted":
        with tenancy.acting_in(org):  # the thread reads the card in its organization
            read = await asyncio.to_thread(handler.card, uuid.UUID(change.entity_id))
    owner_before = as_uuid(change.previous_owner_id or "")
    assignee_before = as_uuid(change.previous_assignee_id or "")
    for token, viewer in targets:
        if not connections.connected_here(token):
            _viewers.pop(token, None)  # the tab closed, or lives on another process now
            continue
        sees_now = read is not None and access.may_see(
            viewer.actor, read.owner_id, read.assignee_id
        )
        saw_before = access.may_see(viewer.actor, owner_before, assignee_before)
        if not (sees_now or saw_before):
            continue  # never told about a card the viewer may not see
        async with app.modify_state(BaseStateToken(ident=token, cls=viewer.state)) as root:
            board = await root.get_state(viewer.state)
            board.apply_change(change, read if sees_now else None, saw_before)


async def serve(app: Any) -> None:
    """The app's lifespan task: hear changes, hand them to this process's boards."""
    connections.remember(app)
    loop = asyncio.get_running_loop()
    loop_thread = threading.get_ident()
    queue: asyncio.Queue[changes.Change] = asyncio.Queue()

    def hear(change: changes.Change) -> None:
        if not _viewers:
            return  # no board open in this process (an API-only load hears every move)
        if threading.get_ident() == loop_thread:  # PostgreSQL's listener, on this loop
            queue.put_nowait(change)
        else:  # SQLite: after the commit, in the thread that wrote
            loop.call_soon_threadsafe(queue.put_nowait, change)

    changes.subscribe(hear)
    listener = None
    url = make_url(settings.database_url)
    if url.get_backend_name() == "postgresql":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        listener = asyncio.create_task(changes.listen(dsn, definitions.invalidate))
    try:
        while True:
            change = await queue.get()
            try:
                await _deliver(app, change)
            except Exception:  # one bad delivery must not end live updates
                log.exception("live update of %s failed", change.entity_id)
    finally:
        changes.unsubscribe(hear)  # a restarted lifespan (hot reload) subscribes afresh
        if listener is not None:
            listener.cancel()
