"""What runs in an API worker process (api/graphql/processes.py).

Kept apart so that a new worker imports only this light module before it lowers its own
priority: the app itself (about 3 s of CPU) is imported below the pages.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import threading
import time
from typing import TYPE_CHECKING, BinaryIO

from wfm_app.api.graphql.worker_pool import HEADER  # the pool's module imports nothing heavy

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from wfm_app.api.graphql.processes import Answer, Job

_loop: asyncio.AbstractEventLoop | None = None
_database_url: str | None = None
_definitions: int | None = None  # the serving process's generation last handed over


def _lower_priority(nice: int | None) -> None:
    """Below the pages: Linux's idle policy (``nice`` None) runs a worker only on a core
    nothing else wants, and a page's process that wakes takes the core at once, where
    ``nice`` 10 let a worker keep it for a few more milliseconds (under 20 heavy queries,
    /ping p95 7 ms against 10, idle 6). Elsewhere, the lowest nice."""
    if nice is None and hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    else:
        os.nice(19 if nice is None else nice)


def start(nice: int | None, server: int) -> None:
    """Lower the priority first, then import the app. ``server``:
    the serving process's id (a worker that starts after it died exits at once)."""
    global _loop
    _lower_priority(nice)
    threading.Thread(target=_exit_with, args=(server,), daemon=True).start()
    from wfm_app import collector
    from wfm_app.api.graphql import schema  # noqa: F401  (imported once, before any job)

    _loop = asyncio.new_event_loop()
    collector.settle()  # as in the serving process: start-up frozen, collections spaced out


def serve(jobs: Connection, answers: Connection, nice: int | None, server: int) -> None:
    """A worker's life (api/graphql/worker_pool.py): start, say so, then answer each job
    read from ``jobs`` on ``answers`` (None for one refused or failed: the serving process
    then answers it itself) until ``jobs`` is closed."""
    start(nice, server)
    with os.fdopen(answers.fileno(), "wb", closefd=False) as out:
        _send(out, os.getpid())
        while True:
            try:
                job = jobs.recv()
            except EOFError:
                return
            try:
                answer = execute(job)
            except Exception:
                logging.getLogger("wfm.api").exception("A GraphQL worker's job failed.")
                answer = None
            try:
                _send(out, answer)
            except BrokenPipeError:  # the serving process has closed its end: it stops
                return


def _send(out: BinaryIO, message: object) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(HEADER.pack(len(payload)))
    out.write(payload)
    out.flush()


def _exit_with(parent: int) -> None:
    """A worker whose parent was killed exits within a second, even while it starts or
    runs a job (its job pipe's end of file is read only between jobs)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def execute(job: Job) -> Answer | None:
    """The job answered as the serving process would; None for a document it refuses
    before executing (the serving process then refuses it as usual)."""
    global _database_url, _definitions
    from strawberry.exceptions import MissingQueryError
    from strawberry.schema.exceptions import (
        CannotGetOperationTypeError,
        InvalidOperationTypeError,
    )

    from wfm_app import db, tenancy
    from wfm_app.api.graphql.context import Context
    from wfm_app.api.graphql.guards import encode_answer, outcome_of, run_on
    from wfm_app.api.graphql.processes import Answer
    from wfm_app.api.graphql.schema import schema
    from wfm_app.engine import definitions
    from wfm_app.observability import operations

    if job.database_url != _database_url:  # tests and benchmarks point at their own
        db.configure(job.database_url)
        _database_url = job.database_url
    if job.definitions != _definitions:  # the server changed (or heard of) a definition
        definitions.invalidate()
        _definitions = job.definitions
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
