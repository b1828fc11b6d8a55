"""PostgreSQL's row-level security keeps organizations apart on its own.

The service layer's organization filter is switched off here (a test-only switch) and the
services run as the app's role (`wfm db create-app-role`), as the app does: what one
organization wrote, the other still neither sees nor changes, and a row claimed for
another organization is refused by the database itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import insert, text, update
from sqlalchemy.exc import DBAPIError

from tests import harness
from tests.service.test_organizations import Org, organization
from wfm_app import db, tenant_scope
from wfm_app.auth import users
from wfm_app.engine import statuses
from wfm_app.engine.models import Status
from wfm_app.entities import deals
from wfm_app.entities.deals import Deal, DealCreate
from wfm_app.errors import NotFound
from wfm_app.sqltypes import table_of
from wfm_app.tenancy import acting_in


@pytest.fixture
def database_only(two_orgs: tuple[Org, Org], postgresql_url: str) -> Iterator[tuple[Org, Org]]:
    """The two organizations, the services now on the app's role with no filter of their own."""
    db.configure(harness.as_app_role(postgresql_url))
    unscoped = tenant_scope.service_filter.set(False)
    try:
        yield two_orgs
    finally:
        tenant_scope.service_filter.reset(unscoped)
        db.configure(postgresql_url)  # the owner again, to empty the tables


@pytest.fixture
def two_orgs(database: str) -> tuple[Org, Org]:
    if database != "postgresql":
        pytest.skip("row-level security is PostgreSQL's; SQLite has the service layer only")
    return organization("acme"), organization("globex")


def test_the_database_alone_hides_and_guards_another_organizations_rows(
    database_only: tuple[Org, Org],
) -> None:
    acme, globex = database_only
    with acting_in(acme.id):
        deal = deals.service.create(acme.admin, DealCreate(name="Acme", amount=Decimal(7)))
        acme_statuses = {s.id for s in statuses.get_all(acme.admin)}
    with acting_in(globex.id):
        assert deals.service.get_by_id(globex.admin, deal.id) is None
        assert deals.service.get_all(globex.admin) == []
        assert not {s.id for s in statuses.get_all(globex.admin)} & acme_statuses
        with pytest.raises(NotFound):
            deals.service.delete(globex.admin, deal.id)
        with db.unit_of_work() as uow:  # a write aimed straight at the other's row
            changed = uow.session.execute(
                update(table_of(Deal)).where(table_of(Deal).c.id == deal.id).values(name="x")
            )
            assert changed.rowcount == 0  # type: ignore[attr-defined]
        with pytest.raises(DBAPIError, match="row-level security"), db.unit_of_work() as uow:
            uow.session.execute(
                insert(table_of(Status)).values(org_id=acme.id, name="Planted in Acme")
            )
    with acting_in(acme.id):
        kept = deals.service.get_by_id(acme.admin, deal.id)
        assert kept is not None and kept.name == "Acme"


def test_a_connection_that_names_no_organization_sees_nothing(
    database_only: tuple[Org, Org],
) -> None:
    acme, _globex = database_only
    with acting_in(acme.id):
        deals.service.create(acme.admin, DealCreate(name="Acme"))
    with db.get_engine().connect() as connection:  # no unit of work: no SET LOCAL
        connection.exec_driver_sql("SET wfm.org_id = ''")
        assert connection.execute(text("SELECT count(*) FROM deals")).scalar_one() == 0
        assert connection.execute(text("SELECT count(*) FROM statuses")).scalar_one() == 0


def test_every_tenant_table_forces_row_level_security_on_the_apps_role(
    two_orgs: tuple[Org, Org], postgresql_url: str
) -> None:
    with db.get_engine().connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
                "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE a.attname = 'org_id' AND c.relkind = 'r' AND n.nspname = 'public' "
                "AND c.relname <> 'auth_sessions'"
            )
        ).all()
    assert len(rows) >= 23
    assert [row[0] for row in rows if not (row[1] and row[2] and row[3] == 1)] == []
    app_engine = db.make_engine(harness.as_app_role(postgresql_url))
    try:
        with app_engine.connect() as connection:
            assert tenant_scope.privileged(connection) is None
    finally:
        app_engine.dispose()
    with db.get_engine().connect() as connection:  # the tests' owner: what the app refuses
        assert tenant_scope.privileged(connection) == "postgres"


def test_one_identity_signs_in_to_each_organization_as_its_own_user(
    database_only: tuple[Org, Org],
) -> None:
    """A sign-in is one INSERT ... ON CONFLICT DO UPDATE (auth/users.py): under the
    policies alone, the same issuer and subject make one user per organization, and a
    later sign-in refreshes only the one in its own organization."""
    acme, globex = database_only
    person = {"issuer": "https://idp", "subject": "same-person", "email": None}
    with acting_in(acme.id):
        first = users.upsert(**person, display_name="In Acme")
    with acting_in(globex.id):
        other = users.upsert(**person, display_name="In Globex")
    with acting_in(acme.id):
        again = users.upsert(**person, display_name="Acme again")
        seen_in_acme = [u.display_name for u in users.read_all() if u.subject == "same-person"]
    with acting_in(globex.id):
        seen_in_globex = [u.display_name for u in users.read_all() if u.subject == "same-person"]
    assert first.id == again.id != other.id
    assert (seen_in_acme, seen_in_globex) == (["Acme again"], ["In Globex"])
