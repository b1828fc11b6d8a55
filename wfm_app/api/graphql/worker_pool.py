"""The API's worker processes, each spoken to over a pair of pipes from the event loop.

``concurrent.futures.ProcessPoolExecutor`` hands every job to a feeder thread and every
answer to a management thread, each of which must take the interpreter lock from the
event loop serving the pages: a 20-deal query paid ~0.7 ms for the trip on top of its
3.7 ms of work (a no-op job's round trip: ~290 us against ~50 us over a pipe). Here a job
is written to an idle worker's pipe and its answer read back by the event loop itself, in
chunks between its other callbacks (a 2 MB answer never holds it at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pickle
import struct
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

HEADER = struct.Struct("!Q")  # each message on a worker's answer pipe: its length, then it
# What a worker process runs (api/graphql/worker.py's ``serve``): (its jobs' reading end,
# its answers' writing end, its nice value or None for the idle policy, the server's pid)
WorkerMain = Callable[[Connection, Connection, int | None, int], None]
START_SECONDS = 120.0  # a worker imports the app (~3 s of CPU) at the lowest priority
PIPE_BYTES = 1 << 20  # /proc/sys/fs/pipe-max-size's default
READ_LIMIT = 1 << 28  # an answer is read whole anyway: pausing the pipe saves nothing
STOP_SECONDS = 10.0  # for a running job to end when the server stops


class WorkerGone(Exception):
    """A worker process ended (killed, out of memory) or failed to start."""


@dataclass
class _Worker:
    process: BaseProcess
    jobs: Connection  # the parent's writing end
    answers: Connection  # the parent's reading end
    # the answers' reader, made on the loop that asks first (a served app has one)
    reader: asyncio.StreamReader | None = None
    transport: asyncio.ReadTransport | None = None
    loop: asyncio.AbstractEventLoop | None = None

    async def ask(self, job: object) -> Any:
        if self.reader is None:
            self.loop = asyncio.get_running_loop()
            # never paused: by default a reader stops the pipe every 128 KiB, and the worker,
            # blocked writing, waits for the loop's next turn to go on
            self.reader = asyncio.StreamReader(limit=READ_LIMIT, loop=self.loop)
            protocol = asyncio.StreamReaderProtocol(self.reader, loop=self.loop)
            self.transport, _ = await self.loop.connect_read_pipe(lambda: protocol, self.answers)
        try:
            # a job is small (under the request body limit) and its worker is waiting for it;
            # an ended worker's pipes read as end of file and refuse writes (its ends are
            # closed here at start), so no check of the process comes first
            self.jobs.send(job)
            header = await self.reader.readexactly(HEADER.size)
            return pickle.loads(await self.reader.readexactly(HEADER.unpack(header)[0]))
        except (OSError, EOFError, asyncio.IncompleteReadError) as error:
            raise WorkerGone(f"worker {self.process.pid} has ended") from error

    def close(self) -> None:
        """Its job pipe closed: the worker exits once its running job (if any) is done."""
        self.jobs.close()

    def release(self) -> None:
        """Its answer pipe closed (by the loop that reads it: called from any thread)."""
        if self.transport is None or self.loop is None:
            self.answers.close()
            return
        try:
            self.loop.call_soon_threadsafe(self.transport.close)
        except RuntimeError:  # the loop has closed
            self.answers.close()


class WorkerPool:
    """``count`` spawned workers (a fork would copy this process's threads' locks, Redis's
    and the database pool's, in whatever state they were), each answering one job at a
    time. Jobs are asked for on one event loop; start and stop block (run them on a
    thread)."""

    def __init__(self, count: int, nice: int | None, main: WorkerMain) -> None:
        self.count, self.nice, self.main = count, nice, main
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._closed = False

    def start(self) -> None:
        """Every worker started and ready (the app imported); WorkerGone if one is not."""
        context = get_context("spawn")
        for _ in range(self.count):
            job_reader, job_writer = context.Pipe(duplex=False)
            answer_reader, answer_writer = context.Pipe(duplex=False)
            _widen(answer_reader)
            process = context.Process(
                target=self.main,
                args=(job_reader, answer_writer, self.nice, os.getpid()),
                name="wfm-graphql-worker",
                daemon=True,
            )
            process.start()
            job_reader.close()  # the worker's ends: an ended worker reads as end of file
            answer_writer.close()
            self._all.append(_Worker(process, job_writer, answer_reader))
        for started in self._all:
            if not started.answers.poll(START_SECONDS):
                raise WorkerGone(f"worker {started.process.pid} did not start")
            try:
                _read_ready(started.answers)
            except (OSError, EOFError) as error:
                raise WorkerGone(f"worker {started.process.pid} did not start") from error
        self._idle = list(self._all)

    def take(self) -> _Worker | None:
        """An idle worker (the caller holds one of ``count`` turns, api/graphql/fair.py, so
        there is one unless the pool has closed)."""
        return self._idle.pop() if self._idle else None

    def give_back(self, taken: _Worker) -> None:
        if self._closed:
            taken.release()
        else:
            self._idle.append(taken)

    def close(self, wait: bool = False) -> None:
        """No more jobs; workers exit when their running ones end (``wait``: returns once
        they have, killing any still running after STOP_SECONDS)."""
        self._closed = True
        for each in self._all:
            each.close()
        for idle in self._idle:
            idle.release()
        self._idle = []
        if wait:
            for each in self._all:
                each.process.join(STOP_SECONDS)
                if each.process.is_alive():
                    each.process.kill()
                    each.process.join()


def _widen(pipe: Connection) -> None:
    """A pipe of 1 MiB (Linux's default: 64 KiB): a large answer is read in a few calls
    of the event loop rather than in one every 64 KiB."""
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _read_ready(answers: Connection) -> None:
    """The worker's first message, its pid, read before any event loop owns the pipe."""
    header = _read_exactly(answers, HEADER.size)
    pickle.loads(_read_exactly(answers, HEADER.unpack(header)[0]))


def _read_exactly(answers: Connection, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(answers.fileno(), left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
