"""Issue 26.2: queries are answered by worker processes at a lower CPU priority, as the
serving process would answer them; mutations stay in the serving process, and what they
change is what the next query reads. By default (auto) the workers start with the first
query, never for an app that serves only pages."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import psutil
import pytest

from tests import api_workers, harness
from tests.api.flows import codes, data

T = TypeVar("T")
AUTO_WORKERS = min(2, os.cpu_count() or 1)  # WFM_GRAPHQL_PROCESSES=auto: one per core, at most 2


@pytest.fixture(scope="module")
def app_with_workers(
    identity_provider: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    url = harness.create_database("wfm_api_processes")
    harness.prepare_database(url, identity_provider, demo=True)
    log = tmp_path_factory.mktemp("api_processes") / "reflex.log"
    base_url, process = harness.start_app(
        url, identity_provider, log, pages=False, WFM_GRAPHQL_PROCESSES="1"
    )
    try:
        yield base_url, process
    finally:
        harness.stop(process)
        harness.drop_database(url)


def _workers_of(root: int) -> list[psutil.Process]:
    """The multiprocessing workers under ``root``."""
    found = []
    for process in psutil.Process(root).children(recursive=True):
        try:
            if "multiprocessing.spawn" in " ".join(process.cmdline()):
                found.append(process)
        except psutil.NoSuchProcess:
            continue
    return found


def _post(base_url: str, token: str, query: str, **variables: object) -> dict:
    answer = httpx.post(
        f"{base_url}/graphql",
        json={"query": query, "variables": variables or None},
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "processes-test-1"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_queries_are_answered_by_workers_below_the_pages_priority(app_with_workers, token_for):
    base_url, process = app_with_workers
    token = token_for("alice")
    answer = _post(base_url, token, "{ deals { id name owner { display_name } } }")
    assert data(answer)["deals"], "the demo deals are there"
    assert answer["extensions"]["requestId"] == "processes-test-1"
    workers = _workers_of(process.pid)
    assert len(workers) == 1, workers
    # Linux's idle policy: the worker runs only on a core the pages' process leaves
    assert _wait_for(lambda: _idle(workers[0]))
    assert os.sched_getscheduler(process.pid) == os.SCHED_OTHER

    unknown = _post(base_url, token, "{ deals { noSuchField } }")
    assert codes(unknown) == ["GRAPHQL_VALIDATION_FAILED"], unknown


def test_a_mutation_is_read_back_by_the_workers(app_with_workers, token_for):
    base_url, _process = app_with_workers
    token = token_for("alice")
    made = _post(
        base_url,
        token,
        'mutation { createLead(input: {name: "Lead from the processes test"}) { id } }',
    )
    lead_id = data(made)["createLead"]["id"]
    listed = data(_post(base_url, token, "{ leads { id name } }"))["leads"]
    assert {"id": lead_id, "name": "Lead from the processes test"} in listed


def test_a_definition_changed_by_the_server_is_read_at_once_by_the_workers(
    app_with_workers, token_for
):
    """Workers cache workflow graphs as the server does; a change the server made (or
    heard of) reaches the next query a worker answers, not 30 s later."""
    base_url, _process = app_with_workers
    token = token_for("admin")
    assert api_workers.settle(base_url, token) == 1
    query = "{ deals { id currentWfmStatus { id name } } }"
    deal = data(_post(base_url, token, query))["deals"][0]  # the worker's cache is warm
    status = deal["currentWfmStatus"]
    rename = (
        "mutation($id: ID!, $name: String!)"
        " { updateWFMStatus(id: $id, input: {name: $name}) { name } }"
    )
    try:
        assert data(_post(base_url, token, rename, id=status["id"], name="Renamed here"))
        read = {d["id"]: d for d in data(_post(base_url, token, query))["deals"]}
        assert read[deal["id"]]["currentWfmStatus"] == {"id": status["id"], "name": "Renamed here"}
    finally:
        _post(base_url, token, rename, id=status["id"], name=status["name"])


def test_a_killed_worker_is_replaced(app_with_workers, token_for):
    base_url, process = app_with_workers
    token = token_for("alice")
    assert "errors" not in _post(base_url, token, "{ deals { id } }")
    killed = _workers_of(process.pid)[0].pid
    os.kill(killed, signal.SIGKILL)
    assert _gone_within(killed, seconds=5)

    def replaced() -> list[int]:
        # answered by the server itself until new workers have started (a query starts
        # them, at most every RETRY_SECONDS after a start that failed)
        assert data(_post(base_url, token, "{ deals { id } }"))["deals"]
        return [worker.pid for worker in _workers_of(process.pid)]

    workers = _wait_for(replaced)
    assert workers and killed not in workers


def test_by_default_workers_start_with_the_first_query(
    identity_provider: str, tmp_path: Path, token_for, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("WFM_GRAPHQL_PROCESSES", raising=False)  # the app's own default
    url = harness.create_database("wfm_api_processes_auto")
    try:
        harness.prepare_database(url, identity_provider, demo=True)
        base_url, process = harness.start_app(
            url, identity_provider, tmp_path / "reflex.log", pages=False
        )
        try:
            assert httpx.get(f"{base_url}/ping", timeout=30).status_code == 200
            assert _workers_of(process.pid) == [], "no query yet, no worker"
            token = token_for("alice")
            expected = data(_post(base_url, token, "{ deals { id name } }"))["deals"]
            workers = _wait_for(lambda: _all_workers_of(process.pid))
            assert len(workers) == AUTO_WORKERS, workers
            # each lowers its priority first thing, before it imports the app
            assert _wait_for(lambda: all(_idle(worker) for worker in workers))

            def a_worker_reads_the_database() -> bool:
                # answered the same all along, in threads and then by a worker
                assert data(_post(base_url, token, "{ deals { id name } }"))["deals"] == expected
                return any(_connected_to_postgresql(worker) for worker in workers)

            assert _wait_for(a_worker_reads_the_database, seconds=60)

            # stopped as an operator stops it, the server ends with its workers: nothing
            # left waiting for the other (multiprocessing joins a process's children)
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
            assert all(_gone_within(worker.pid, seconds=5) for worker in workers)
        finally:
            harness.stop(process)
    finally:
        harness.drop_database(url)


def _all_workers_of(root: int) -> list[psutil.Process]:
    workers = _workers_of(root)
    return workers if len(workers) == AUTO_WORKERS else []


def _idle(process: psutil.Process) -> bool:
    return os.sched_getscheduler(process.pid) == os.SCHED_IDLE


def _connected_to_postgresql(process: psutil.Process) -> bool:
    return any(
        connection.raddr and connection.raddr.port == 5432
        for connection in process.net_connections(kind="tcp")
    )


def _wait_for(found: Callable[[], T], seconds: float = 30) -> T:
    """``found()`` once it is truthy, polled for up to ``seconds`` (the last value if never)."""
    deadline = time.monotonic() + seconds
    while not (value := found()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def test_no_worker_outlives_its_server(identity_provider: str, tmp_path: Path, token_for):
    url = harness.create_database("wfm_api_processes_kill")
    try:
        harness.prepare_database(url, identity_provider, demo=False)
        base_url, process = harness.start_app(
            url, identity_provider, tmp_path / "reflex.log", pages=False, WFM_GRAPHQL_PROCESSES="1"
        )
        try:
            assert "errors" not in _post(base_url, token_for("alice"), "{ deals { id } }")
            workers = _workers_of(process.pid)
            assert workers
        finally:
            for child in psutil.Process(process.pid).children():
                child.kill()
            process.kill()
            process.wait()
        for worker in workers:
            assert _gone_within(worker.pid, seconds=5), f"worker {worker.pid} outlived its server"
    finally:
        harness.drop_database(url)


def _gone_within(pid: int, seconds: float) -> bool:
    """Exited (a zombie waiting for its parent counts) within ``seconds``."""
    return _wait_for(lambda: _gone(pid), seconds)


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
