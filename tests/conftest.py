"""Shared fixtures: a fresh database per test session, on PostgreSQL and on SQLite.

PostgreSQL comes from WFM_TEST_PG_URL (default: the local trust-auth server). Each
test session creates its own database and drops it at the end, so runs never meet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from tests import harness
from wfm_app import db, models, organizations, tenant_scope  # noqa: F401  (every table registered)
from wfm_app.auth import users
from wfm_app.auth.actor import ADMIN, MANAGER, MEMBER, Actor
from wfm_app.cli import migrate
from wfm_app.engine import definitions
from wfm_app.engine.analytics import frame as analytics_frame
from wfm_app.settings import settings

# The running app, the identity provider and browser fixtures, for e2e and security tests.
pytest_plugins = ["tests.app_fixtures"]


@pytest.fixture(scope="session")
def base_url(app_url: str) -> str:
    """pytest-playwright resolves page.goto("/...") against this (a conftest fixture, so
    it wins over pytest-base-url's own)."""
    return app_url


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A new, migrated PostgreSQL database for this test session."""
    url = harness.create_database("wfm_test")
    try:
        migrate(url)
        yield url
    finally:
        db.get_engine().dispose()
        harness.drop_database(url)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'wfm.db'}"
    migrate(url)
    return url


@pytest.fixture(scope="session", params=["postgresql", "sqlite"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Service tests run once per backend: the real server and the embedded default."""
    return request.getfixturevalue(f"{request.param}_url")


def empty_all_tables() -> None:
    analytics_frame.forget_all()  # TRUNCATE fires no trigger: the change feed misses it
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    engine = db.get_engine()
    unscoped = tenant_scope.service_filter.set(False)  # every organization's rows
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            conn.execute(text(f"TRUNCATE {names} CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
    tenant_scope.service_filter.reset(unscoped)
    organizations.ensure(settings.default_org)


@pytest.fixture
def database(database_url: str) -> Iterator[str]:
    """An empty, migrated database for one test."""
    if str(db.get_engine().url) != str(make_url(database_url)):
        db.configure(database_url)
    definitions.invalidate()
    yield db.get_engine().dialect.name
    definitions.invalidate()
    empty_all_tables()


@pytest.fixture
def allow_loopback_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outbound calls may reach the tests' loopback receivers, as WFM_WEBHOOK_ALLOW_NETWORKS
    would let them."""
    from tests.receiver import LOOPBACK
    from wfm_app import outbound

    monkeypatch.setattr(
        outbound, "settings", dataclasses.replace(settings, webhook_allow_networks=LOOPBACK)
    )


@dataclass(frozen=True)
class People:
    admin: Actor
    manager: Actor
    alice: Actor
    bob: Actor


def make_actor(subject: str, name: str, role: str) -> Actor:
    user = users.upsert(
        issuer="https://issuer.test",
        subject=subject,
        email=f"{subject}@example.com",
        display_name=name,
    )
    return Actor.for_user(user.id, {role}, name)


@pytest.fixture
def people(database: str) -> People:
    return People(
        admin=make_actor("admin", "Ada Admin", ADMIN),
        manager=make_actor("manager", "Max Manager", MANAGER),
        alice=make_actor("alice", "Alice Member", MEMBER),
        bob=make_actor("bob", "Bob Member", MEMBER),
    )


@pytest.fixture
def seeded(people: People) -> People:
    """The spec's definitions loaded, plus the four people."""
    from wfm_app.seed import seed_definitions

    seed_definitions()
    return people
