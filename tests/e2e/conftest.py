"""Runs the real app (reflex, prod mode, one port) on its own seeded PostgreSQL database,
and drives it with Playwright in Debian's chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_ADMIN_URL, _pg_admin_dsn
from wfm_app.settings import REPO_ROOT

CHROMIUM = os.environ.get("WFM_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = REPO_ROOT / "tests" / "e2e" / "screenshots"
START_TIMEOUT_SECONDS = 600


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{log.read_text()[-4000:]}")
        try:
            for path in ("/ping", "/"):
                with urllib.request.urlopen(base_url + path, timeout=2) as response:
                    assert response.status == 200
            return
        except Exception:
            time.sleep(1)
    raise TimeoutError(f"the app did not start:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def app_database_url() -> Iterator[str]:
    name = f"wfm_e2e_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url}
    wfm = str(Path(os.sys.executable).parent / "wfm")
    subprocess.run([wfm, "migrate"], env=env, check=True, cwd=REPO_ROOT)
    subprocess.run([wfm, "seed", "--demo"], env=env, check=True, cwd=REPO_ROOT)
    yield url
    with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def app_url(app_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "reflex.log"
    reflex = str(Path(os.sys.executable).parent / "reflex")
    tools = str(REPO_ROOT / ".tools" / "node_modules" / ".bin")
    env = {
        **os.environ,
        "DATABASE_URL": app_database_url,
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{tools}:{os.environ['PATH']}",
    }
    command = [
        reflex,
        "run",
        "--env",
        "prod",
        "--single-port",
        "--frontend-port",
        str(port),
        "--backend-port",
        str(port),
        "--loglevel",
        "warning",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base_url, process, log)
        yield base_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def base_url(app_url: str) -> str:
    """pytest-playwright resolves page.goto("/...") against this."""
    return app_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


def screenshot(page, name: str) -> Path:
    """Saved for reviewers under tests/e2e/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
