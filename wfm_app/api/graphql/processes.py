"""Read-only GraphQL operations in processes of their own, below the pages' CPU priority.

Threads share one interpreter lock with the event loop that serves every page, board
socket and /ping: under 20 heavy queries on two threads /ping took 26 ms against 4 ms
idle, and a board drop 495 ms against 239 ms. With ``WFM_GRAPHQL_PROCESSES=N`` queries run
in N worker processes below the pages' CPU priority (``WFM_GRAPHQL_NICE``: Linux's idle
policy by default, or a nice value), so when both want a core the kernel gives it to the
pages' process. Turns are still taken fairly between clients
(api/graphql/fair.py), one operation per worker at a time.

By default (``auto``) a served app starts its workers when the first query comes, on a
thread, and answers queries in its own threads until they are ready: each worker costs
about 3 s of CPU and 210 MB, which an app that serves only pages never pays.

Mutations stay in the serving process: they announce changes to its boards (ui/live.py),
and the embedded defaults have no bus between processes. So do analytics, whose frames are
kept in the serving process's memory (engine/analytics/frame.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, cast

from strawberry.types.graphql import OperationType

from wfm_app import db
from wfm_app.api.graphql.fair import FairLimiter
from wfm_app.api.graphql.worker_pool import WorkerGone, WorkerMain, WorkerPool
from wfm_app.auth.actor import Actor
from wfm_app.engine import definitions
from wfm_app.observability import metrics
from wfm_app.settings import settings

# A document that may hold a mutation or subscription stays here (a field that merely has
# the word in its name only loses the worker processes, never its answer).
_CHANGES = re.compile(r"\b(?:mutation|subscription)\b")

log = logging.getLogger("wfm.api")
_turns = FairLimiter(max(1, settings.graphql_processes))
_pool: WorkerPool | None = None
_main: WorkerMain | None = None  # what a worker runs: named by the app (run_workers_with)
_starting = threading.Lock()
# Workers are wanted: from the start with a count, once a served app starts with auto
# (its lifespan; an app built in a test's own process keeps its threads).
_wanted = bool(settings.graphql_processes) and not settings.graphql_processes_on_demand
_ready = threading.Event()  # every worker has started: queries go to them
_launching = threading.Event()  # a thread is starting them
RETRY_SECONDS = 10.0  # after a start that failed, before the next is tried
_failed_at = -RETRY_SECONDS


@dataclass(frozen=True)
class Job:
    """What a worker needs to answer as this process would: nothing of the request but
    its data, the actor its token proved, and the database this process reads."""

    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    allowed: frozenset[OperationType]
    actor: Actor
    request_id: str
    database_url: str
    # The serving process's definitions generation: what it wrote (or heard of) the moment
    # before is what the worker reads, not the worker's cached graphs
    definitions: int


@dataclass(frozen=True)
class Answer:
    body: bytes  # the response, encoded where it was executed
    outcome: str  # "success" or the first error's code, for the duration metric


def run_workers_with(main: WorkerMain) -> None:
    """Workers run ``main`` (api/graphql/worker.py's ``serve``), named by the app that
    composes the server (wfm_app.py): a worker runs the schema, which hands its work here,
    so this module does not import it. Until it is named, queries run in threads."""
    global _main
    _main = main


def serves(query: str | None, heavy: bool) -> bool:
    """A worker answers this query; until the workers are ready it is answered here, and
    the first such query has them started."""
    if not (_wanted and _main and query and not heavy and not _CHANGES.search(query)):
        return False
    if _ready.is_set():
        return True
    _launch()
    return False


async def answer(job: Job, client: uuid.UUID | None) -> Answer | None:
    """The job's answer from a worker process when ``client``'s turn comes; None when the
    document is one the server refuses before executing (the caller then executes it here,
    where the refusal is made as usual)."""
    async with _turns.slot(client):
        pool = _pool
        taken = pool.take() if pool is not None and _ready.is_set() else None
        if pool is None or taken is None:  # forgotten while this one waited for its turn
            return None
        asked = asyncio.ensure_future(taken.ask(job))
        try:
            return cast(Answer | None, await asyncio.shield(asked))
        except asyncio.CancelledError:
            await asyncio.wait({asked})  # the turn ends when the worker's job does
            raise
        except WorkerGone as gone:
            # killed, out of memory: this one is answered here, the next ones too while
            # new workers start
            log.error("A GraphQL worker process died (%s); starting new ones.", gone)
            _forget(pool)
            return None
        finally:
            pool.give_back(taken)


def _forget(broken: WorkerPool | None, wait: bool = False) -> None:
    """Queries go back to threads and ``broken``'s workers that still live exit (``wait``:
    once they have, their running jobs done)."""
    global _pool
    with _starting:
        if _pool is broken:
            _pool = None
            _ready.clear()
            metrics.GRAPHQL_WORKERS.set(0)
    if broken is not None:
        broken.close(wait=wait)


def job_for(
    query: str,
    kwargs: dict[str, Any],
    actor: Actor,
    request_id: str,
) -> Job:
    return Job(
        query=query,
        variables=kwargs.get("variable_values"),
        operation_name=kwargs.get("operation_name"),
        allowed=frozenset(kwargs.get("allowed_operation_types") or {OperationType.QUERY}),
        actor=actor,
        request_id=request_id,
        database_url=db.get_engine().url.render_as_string(hide_password=False),
        definitions=definitions.generation(),
    )


@contextlib.asynccontextmanager
async def serving() -> AsyncIterator[None]:
    """A lifespan task. With a count the workers start now, with auto at the first query;
    either way on a thread (starting a process must not hold the event loop), and they
    stop with the server: a serving process that exits waits for its children
    (multiprocessing joins them), which would wait for work forever."""
    global _wanted
    _wanted = bool(settings.graphql_processes)
    if _wanted and not settings.graphql_processes_on_demand:
        _launch()
    try:
        yield
    finally:
        _wanted = False
        await asyncio.to_thread(_stop)


def _launch() -> None:
    """The workers started on a thread, unless a start is under way or one failed less
    than RETRY_SECONDS ago (called on the event loop only)."""
    if not _launching.is_set() and time.monotonic() - _failed_at > RETRY_SECONDS:
        _launching.set()
        threading.Thread(target=_start_all, name="wfm-graphql-workers", daemon=True).start()


def _start_all() -> None:
    """Start every worker; queries go to them once all have answered, and a failed start
    leaves them to this process's threads until the next."""
    global _failed_at
    pool = None
    try:
        pool = _workers()
        if pool is None:  # the server is stopping, or the app named no worker to run
            return
        pool.start()
        _ready.set()
        metrics.GRAPHQL_WORKERS.set(settings.graphql_processes)
    except Exception:
        if _wanted:
            log.exception("The GraphQL worker processes did not start; queries run in threads.")
        _failed_at = time.monotonic()
        _forget(pool)
    finally:
        _launching.clear()


def _stop() -> None:
    _forget(_pool, wait=True)  # no new pool comes: _wanted is False


def _workers() -> WorkerPool | None:
    global _pool
    with _starting:
        if _pool is None and _wanted and _main is not None:
            _pool = WorkerPool(settings.graphql_processes, settings.graphql_nice, _main)
        return _pool
