"""Start and stop the real things tests and browser benchmarks need: a fresh PostgreSQL
database, the development identity provider, and the app itself (prod mode, one port)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import psutil
import psycopg
from sqlalchemy.engine import make_url

from wfm_app.settings import REPO_ROOT

PG_ADMIN_URL = os.environ.get(
    "WFM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BIN = Path(sys.executable).parent
APP_START_SECONDS = 600
T = TypeVar("T")


def pg_admin_dsn() -> str:
    return make_url(PG_ADMIN_URL).set(drivername="postgresql").render_as_string(hide_password=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def create_database(prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and everything it started, as a crash would."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float, log: Path | None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = log.read_text()[-4000:] if log else ""
            raise RuntimeError(f"{url} exited early\n{detail}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {seconds} s")


def start_identity_provider() -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "wfm"), "dev-idp", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    _wait(f"{issuer}/.well-known/openid-configuration", process, 60, None)
    return issuer, process


def prepare_database(url: str, issuer: str, *, demo: bool) -> None:
    env = {**os.environ, "DATABASE_URL": url, "OIDC_ISSUER": issuer}
    subprocess.run([str(BIN / "wfm"), "migrate"], env=env, check=True, cwd=REPO_ROOT)
    seed = [str(BIN / "wfm"), "seed", *(["--demo"] if demo else [])]
    subprocess.run(seed, env=env, check=True, cwd=REPO_ROOT)


# The role app processes connect as on PostgreSQL: what `wfm db create-app-role` makes, so
# row-level security holds to them as it would in production (the app refuses a superuser).
APP_ROLE = os.environ.get("WFM_TEST_APP_ROLE", "wfm_app_test")


def as_app_role(database_url: str) -> str:
    """``database_url`` as the app's role (granted on that database); SQLite as it is."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return database_url
    grant = [str(BIN / "wfm"), "db", "create-app-role", APP_ROLE]
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run(grant, env=env, check=True, cwd=REPO_ROOT, stdout=subprocess.DEVNULL)
    return url.set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


def xdist_worker() -> int:
    """This test process's pytest-xdist worker number (gw0 -> 0); 0 when run alone."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def web_dir(*, cluster: bool = False) -> Path:
    """The folder Reflex builds the pages of the apps this process starts into. A build
    holds its app's public URL: each pytest-xdist worker has its own folder (two builds
    writing one folder broke each other: nginx answered 500), and the test cluster
    (tests/cluster.py) has one of its own, whose pages nginx serves from it (an app a
    test started alone, building there, sent the cluster's open pages to itself)."""
    name = ".web-cluster" if cluster else ".web"
    worker = xdist_worker()
    return REPO_ROOT / (f"{name}-gw{worker}" if worker else name)


def app_environment(database_url: str, issuer: str, **settings: str) -> dict[str, str]:
    """The environment an app process runs with; ``settings``: more (REDIS_URL, ...)."""
    tools = str(REPO_ROOT / ".tools" / "node_modules" / ".bin")
    return {
        **os.environ,
        "REFLEX_WEB_WORKDIR": str(web_dir()),
        "DATABASE_URL": as_app_role(database_url),
        "OIDC_ISSUER": issuer,
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{tools}:{os.environ['PATH']}",
        # A webhook's attempts are fixed when the app queues it: few, so tests see failures.
        "WFM_WEBHOOK_MAX_ATTEMPTS": "2",
        **settings,
    }


def app_command(port: int, *, backend_only: bool = False) -> list[str]:
    """`reflex run` in prod mode: the built pages and the backend on one port, or (for a
    second process behind a proxy that serves the pages) the backend alone."""
    ports = (
        ["--backend-only", "--backend-port", str(port)]
        if backend_only
        else ["--single-port", "--frontend-port", str(port), "--backend-port", str(port)]
    )
    return [str(BIN / "reflex"), "run", "--env", "prod", *ports, "--loglevel", "warning"]


def launch(
    command: list[str], env: dict[str, str], log: Path, ready: list[str]
) -> subprocess.Popen[bytes]:
    """Start a process in its own session, logging to ``log``; wait until every URL in
    ``ready`` answers."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        for url in ready:
            _wait(url, process, APP_START_SECONDS, log)
    except BaseException:
        stop(process)
        raise
    return process


def start_app(
    database_url: str, issuer: str, log: Path, *, pages: bool = True, **settings: str
) -> tuple[str, subprocess.Popen[bytes]]:
    """The app in prod mode on one free port; returns its base URL (localhost, like api_url).
    ``pages=False``: the backend alone (starts in ~7 s instead of ~33: no build of the
    pages). ``settings``: more environment (REDIS_URL, ...)."""
    port = free_port()
    base_url = f"http://localhost:{port}"
    env = app_environment(database_url, issuer, **settings)
    ready = [f"{base_url}/ping", f"{base_url}/"] if pages else [f"{base_url}/ping"]
    process = launch(app_command(port, backend_only=not pages), env, log, ready)
    return base_url, process


def start_worker(database_url: str, log: Path, **settings: str) -> subprocess.Popen[bytes]:
    """`wfm worker` beside the app, as `make run` starts it (settings: WFM_* overrides)."""
    env = {**os.environ, "DATABASE_URL": as_app_role(database_url), **settings}
    with log.open("wb") as output:
        return subprocess.Popen(
            [str(BIN / "wfm"), "worker"],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


CHROMIUM = os.environ.get("WFM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def restart_postgresql() -> str:
    """Restart the local PostgreSQL server as its operator would (every client connection
    dies with AdminShutdown); where we may not, end every other backend instead, which
    clients see the same way. Returns which of the two happened."""
    clusters = Path("/etc/postgresql")
    if os.geteuid() == 0 and clusters.is_dir() and shutil.which("pg_ctlcluster"):
        version = sorted(clusters.iterdir())[0].name
        subprocess.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                version,
                "main",
                "restart",
                "-m",
                "fast",
            ],
            check=True,
            capture_output=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                psycopg.connect(pg_admin_dsn(), connect_timeout=2).close()
                return "restarted"
            except psycopg.OperationalError:
                time.sleep(0.2)
        raise TimeoutError("PostgreSQL did not come back within 60 s")
    with psycopg.connect(pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
    return "terminated"


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: Playwright's sync API keeps an event loop
    running in the test thread once a browser test has run."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User and system CPU the living ones among ``processes`` have used so far."""
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def tree_cpu_seconds(root: psutil.Process) -> float:
    return cpu_seconds([root, *root.children(recursive=True)])
