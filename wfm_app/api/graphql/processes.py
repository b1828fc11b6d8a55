"""Read-only GraphQL operations in processes of their own, below the pages' CPU priority.

Threads share one interpreter lock with the event loop that serves every page, board
socket and /ping: under 20 heavy queries on two threads /ping took 26 ms against 4 ms
idle, and a board drop 495 ms against 239 ms. With ``WFM_GRAPHQL_PROCESSES=N`` queries run
in N worker processes below the pages' CPU priority (``WFM_GRAPHQL_NICE``: Linux's idle
policy by default, or a nice value), so when both want a core the kernel gives it to the
pages' process. Turns are still taken fairly between clients
(api/graphql/fair.py), one operation per worker at a time.

Mutations stay in the serving process: they announce changes to its boards (ui/live.py),
and the embedded defaults have no bus between processes. So do analytics, whose frames are
kept in the serving process's memory (engine/analytics/frame.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from wfm_app import collector, db, tenancy
from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.fair import FairLimiter
from wfm_app.auth.actor import Actor
from wfm_app.observability import operations
from wfm_app.settings import settings

# A document that may hold a mutation or subscription stays here (a field that merely has
# the word in its name only loses the worker processes, never its answer).
_CHANGES = re.compile(r"\b(?:mutation|subscription)\b")

log = logging.getLogger("wfm.api")
_turns = FairLimiter(max(1, settings.graphql_processes))
_pool: ProcessPoolExecutor | None = None
_starting = threading.Lock()


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


@dataclass(frozen=True)
class Answer:
    body: bytes  # the response, encoded where it was executed
    outcome: str  # "success" or the first error's code, for the duration metric


def serves(query: str | None, heavy: bool) -> bool:
    return bool(settings.graphql_processes and query and not heavy and not _CHANGES.search(query))


async def answer(job: Job, client: uuid.UUID | None) -> Answer | None:
    """The job's answer from a worker process when ``client``'s turn comes; None when the
    document is one the server refuses before executing (the caller then executes it here,
    where the refusal is made as usual)."""
    async with _turns.slot(client):
        try:
            done = asyncio.wrap_future(_workers().submit(_execute, job))
            try:
                return await asyncio.shield(done)
            except asyncio.CancelledError:
                await asyncio.wait({done})  # the turn ends when the worker's job does
                raise
        except BrokenProcessPool:
            # a worker died (killed, out of memory): this one is answered here, the next
            # by a new pool
            log.error("A GraphQL worker process died; starting new ones.")
            _forget(_pool)
            return None


def _forget(broken: ProcessPoolExecutor | None) -> None:
    global _pool
    with _starting:
        if _pool is broken:
            _pool = None


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
    )


async def start() -> None:
    """A lifespan task: the workers started before the first query comes (each imports the
    app, about 3 s of CPU), on a thread: starting a process must not hold the event loop."""
    if settings.graphql_processes:
        await asyncio.to_thread(_start_all)


def _start_all() -> None:
    pool = _workers()
    for started in [pool.submit(os.getpid) for _ in range(settings.graphql_processes)]:
        started.result()


def _workers() -> ProcessPoolExecutor:
    global _pool
    with _starting:
        if _pool is None:
            # spawn: a fork would copy this process's threads' locks (Redis, the database
            # pool) in whatever state they were
            _pool = ProcessPoolExecutor(
                settings.graphql_processes,
                mp_context=get_context("spawn"),
                initializer=_start_worker,
                initargs=(settings.graphql_nice,),
            )
        return _pool


# In the worker processes ------------------------------------------------------------

_loop: asyncio.AbstractEventLoop | None = None
_database_url: str | None = None


def _lower_priority(nice: int | None) -> None:
    """Below the pages: Linux's idle policy (``nice`` None) runs a worker only on a core
    nothing else wants, and a page's process that wakes takes the core at once, where
    ``nice`` 10 let a worker keep it for a few more milliseconds (under 20 heavy queries,
    /ping p95 7 ms against 10, idle 6). Elsewhere, the lowest nice."""
    if nice is None and hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    else:
        os.nice(19 if nice is None else nice)


def _start_worker(nice: int | None) -> None:
    global _loop
    _lower_priority(nice)
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    from wfm_app.api.graphql import schema  # noqa: F401  (imported once, before any job)

    _loop = asyncio.new_event_loop()
    collector.settle()  # as in the serving process: start-up frozen, collections spaced out


def _exit_with(parent: int) -> None:
    """A worker outlives a killed parent otherwise: it waits on a queue whose writing end
    it holds itself."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _execute(job: Job) -> Answer | None:
    global _database_url
    from wfm_app.api.graphql.guards import encode_answer, outcome_of, run_on
    from wfm_app.api.graphql.schema import schema

    if job.database_url != _database_url:  # tests and benchmarks point at their own
        db.configure(job.database_url)
        _database_url = job.database_url
    tenancy.bind(job.actor.org_id)
    operations.new_request_id(job.request_id)
    assert _loop is not None
    try:
        with db.api_statements():
            result = run_on(
                _loop,
                schema.execute_here(
                    job.query,
                    variable_values=job.variables,
                    context_value=Context(actor=job.actor),
                    operation_name=job.operation_name,
                    allowed_operation_types=job.allowed,
                ),
            )
    except (CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError):
        return None
    return Answer(encode_answer(result, job.request_id), outcome_of(result))
