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
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
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


def _wait_for(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited early")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise TimeoutError(f"{what} did not start")


@pytest.fixture(scope="session")
def identity_provider() -> Iterator[str]:
    """The development OpenID Connect provider (oidc-provider-mock) with the demo users."""
    port = _free_port()
    wfm = str(Path(os.sys.executable).parent / "wfm")
    process = subprocess.Popen(
        [wfm, "dev-idp", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{issuer}/.well-known/openid-configuration", process, "the identity provider")
        yield issuer
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def app_database_url(identity_provider: str) -> Iterator[str]:
    name = f"wfm_e2e_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url, "OIDC_ISSUER": identity_provider}
    wfm = str(Path(os.sys.executable).parent / "wfm")
    subprocess.run([wfm, "migrate"], env=env, check=True, cwd=REPO_ROOT)
    subprocess.run([wfm, "seed", "--demo"], env=env, check=True, cwd=REPO_ROOT)
    yield url
    with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def app_url(
    app_database_url: str, identity_provider: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "reflex.log"
    reflex = str(Path(os.sys.executable).parent / "reflex")
    tools = str(REPO_ROOT / ".tools" / "node_modules" / ".bin")
    env = {
        **os.environ,
        "DATABASE_URL": app_database_url,
        "OIDC_ISSUER": identity_provider,
        "WFM_ALLOW_DEV_ISSUER": "1",
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
    # localhost, not 127.0.0.1: Reflex's api_url (and so the sign-in cookie) uses it.
    base_url = f"http://localhost:{port}"
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


def sign_in(page: Page, subject: str) -> None:
    """Through the provider's own form, as a person would: type the subject, authorize."""
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize").click()


@pytest.fixture(scope="session")
def storage_states(
    browser: Browser, app_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], str]:
    """Sign in once per person; later contexts reuse the saved cookie."""
    folder = tmp_path_factory.mktemp("signed-in")
    saved: dict[str, str] = {}

    def state_for(subject: str) -> str:
        if subject not in saved:
            context = browser.new_context(base_url=app_url)
            page = context.new_page()
            page.goto("/")
            page.get_by_role("button", name="Sign in").click()
            sign_in(page, subject)
            expect(page.get_by_role("button", name="Sign out")).to_be_visible()
            path = folder / f"{subject}.json"
            context.storage_state(path=str(path))
            context.close()
            saved[subject] = str(path)
        return saved[subject]

    return state_for


@pytest.fixture
def page_as(
    browser: Browser, app_url: str, storage_states: Callable[[str], str]
) -> Iterator[Callable[[str], Page]]:
    """page_as("alice") -> a page signed in as alice (1280x800)."""
    contexts: list[BrowserContext] = []

    def open_page(subject: str) -> Page:
        context = browser.new_context(
            base_url=app_url,
            storage_state=storage_states(subject),
            viewport={"width": 1280, "height": 800},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
