"""Runs the real app (reflex, prod mode, one port) on its own seeded PostgreSQL database,
with the development identity provider, and drives it with Playwright in Debian's chromium.
Also issues real tokens from that provider, as an API client would get them."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests import cluster, harness
from tests.receiver import LOOPBACK
from tests.tcp_proxy import Forwarder
from wfm_app.settings import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "tests" / "e2e" / "screenshots"

# expect() waits 5 s by default, whatever the context's timeout; under CI's load (several
# xdist workers, each with a chromium, on two cores) a first page can take longer to hydrate.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def identity_provider() -> Iterator[str]:
    """The development OpenID Connect provider (oidc-provider-mock) with the demo users."""
    issuer, process = harness.start_identity_provider()
    yield issuer
    harness.stop(process)


@pytest.fixture(scope="session")
def app_database_url(identity_provider: str) -> Iterator[str]:
    url = harness.create_database("wfm_e2e")
    harness.prepare_database(url, identity_provider, demo=True)
    yield url
    harness.drop_database(url)


# The app runs as it would scaled out (tests/cluster.py): two app processes behind nginx,
# the first with two granian workers, tab state shared through Redis (a database number of
# its own per pytest-xdist worker: the Redis restart test empties it), worker crashes
# respawned.
REDIS_DB = 14 - harness.xdist_worker()
SCALED_OUT = {
    "GRANIAN_WORKERS": os.environ.get("WFM_E2E_WORKERS", "2"),
    # Webhook rules in the tests point at loopback receivers (tests/receiver.py).
    "WFM_WEBHOOK_ALLOW_NETWORKS": LOOPBACK,
    # as `make run`: an organization a claim names is made at its first sign-in
    "WFM_AUTO_ORGS": "1",
}


@pytest.fixture(scope="session")
def redis_forwarder() -> Iterator[Forwarder]:
    """The app processes reach Redis through this, so a test can take Redis away from
    them (and give it back) while the real server, shared with others, stays up."""
    with Forwarder(6379) as forwarder:
        yield forwarder


@pytest.fixture(scope="session")
def app_cluster(
    app_database_url: str,
    identity_provider: str,
    redis_forwarder: Forwarder,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[cluster.Cluster]:
    folder = tmp_path_factory.mktemp("app")
    # one metrics directory for every process: any /metrics answers for all of them
    metrics_dir = str(folder / "metrics")
    running = cluster.start(
        app_database_url,
        identity_provider,
        folder,
        **SCALED_OUT,
        REDIS_URL=f"redis://127.0.0.1:{redis_forwarder.port}/{REDIS_DB}",
        WFM_METRICS_DIR=metrics_dir,
        WFM_LOG_FORMAT="json",
    )
    # The worker beside it, as `make run` has it; quick retries so tests see them.
    worker = harness.start_worker(
        app_database_url,
        folder / "worker.log",
        WFM_WEBHOOK_RETRY_SECONDS="0.2",
        WFM_WORKER_POLL_SECONDS="0.1",
        WFM_WEBHOOK_ALLOW_NETWORKS=LOOPBACK,
        WFM_METRICS_DIR=metrics_dir,
        WFM_LOG_FORMAT="json",
    )
    yield running
    harness.stop(worker)
    running.stop()


@pytest.fixture(scope="session")
def app_server(app_cluster: cluster.Cluster) -> tuple[str, subprocess.Popen[bytes]]:
    """(the public URL, the first app process: its children are its backend workers)."""
    return app_cluster.url, app_cluster.first


@pytest.fixture(scope="session")
def app_url(app_server: tuple[str, subprocess.Popen[bytes]]) -> str:
    return app_server[0]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": harness.CHROMIUM,
        "args": harness.CHROMIUM_ARGS,
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


def new_deal(page: Page, name: str, amount: str = "100") -> None:
    """Create a deal from the deals board's New deal form."""
    page.get_by_role("button", name="New deal").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Amount").fill(amount)
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_be_hidden()


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
            expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
            path = folder / f"{subject}.json"
            context.storage_state(path=str(path))
            context.close()
            saved[subject] = str(path)
        return saved[subject]

    return state_for


@pytest.fixture
def app_context(browser: Browser, app_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """app_context(**options) -> a context on the app (closed after the test)."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=app_url, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_as(
    app_context: Callable[..., BrowserContext],
    app_url: str,
    storage_states: Callable[[str], str],
) -> Callable[..., Page]:
    """page_as("alice") -> a page signed in as alice (1280x800); page_as("alice", "b"):
    one whose requests nginx sends to the second app process (tests/cluster.py)."""

    def open_page(subject: str, backend: str | None = None) -> Page:
        context = app_context(
            storage_state=storage_states(subject), viewport={"width": 1280, "height": 800}
        )
        if backend is not None:
            context.add_cookies([{"name": "wfm_backend", "value": backend, "url": app_url}])
        return context.new_page()

    return open_page


@pytest.fixture
def phone_as(
    app_context: Callable[..., BrowserContext],
    playwright: Any,
    storage_states: Callable[[str], str],
) -> Callable[..., Page]:
    """phone_as("alice", "iPhone 13") -> a page signed in as alice on that phone's
    viewport, with touch (Playwright's device descriptor, in Chromium); None: signed out."""

    def open_page(subject: str | None, device: str) -> Page:
        described = {
            k: v for k, v in playwright.devices[device].items() if k != "default_browser_type"
        }
        signed_in = {"storage_state": storage_states(subject)} if subject else {}
        return app_context(**described, **signed_in).new_page()

    return open_page


def issue_tokens(issuer: str, subject: str, client_id: str = "wfm") -> dict[str, Any]:
    """The provider's token response (access_token, id_token) for ``subject``, by the
    authorization-code flow with PKCE, as ``client_id``."""
    metadata = httpx.get(f"{issuer}/.well-known/openid-configuration").json()
    client = OAuth2Client(
        client_id=client_id,
        client_secret=f"{client_id}-dev-secret",
        scope="openid profile email",
        redirect_uri="http://localhost/callback",
        code_challenge_method="S256",
    )
    verifier = generate_token(48)
    url, _state = client.create_authorization_url(
        metadata["authorization_endpoint"], nonce=generate_token(16), code_verifier=verifier
    )
    answer = httpx.post(url, data={"sub": subject})
    code = httpx.URL(answer.headers["location"]).params["code"]
    return dict(client.fetch_token(metadata["token_endpoint"], code=code, code_verifier=verifier))


@pytest.fixture(scope="session")
def token_for(identity_provider: str) -> Callable[[str], str]:
    """token_for("alice") -> an access token for this app (client id wfm), cached."""
    tokens: dict[str, str] = {}

    def issue(subject: str) -> str:
        if subject not in tokens:
            tokens[subject] = issue_tokens(identity_provider, subject)["access_token"]
        return tokens[subject]

    return issue


@pytest.fixture(scope="session")
def gql(app_url: str, token_for: Callable[[str], str]) -> Callable[..., dict[str, Any]]:
    """gql("alice", "{ deals { id } }", **variables) over HTTP with alice's real token
    (None: no token); asserts HTTP 200 and returns the JSON answer."""

    def call(subject: str | None, query: str, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token_for(subject)}"} if subject else {}
        answer = httpx.post(
            f"{app_url}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    return call
