"""Hot statements (wfm_app/hot_statements.py) answer as SQLAlchemy would, on both backends:
the same row, SQLAlchemy's errors, and no statement that needs a column default."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, exc, insert, literal, select

from wfm_app.db import unit_of_work
from wfm_app.engine.models import WfmProjectHistory
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.hot_statements import _CURSORS, HotStatement
from wfm_app.sqltypes import table_of


def test_a_hot_read_gives_the_row_sqlalchemy_gives(seeded):
    deal = deals.service.create(seeded.alice, DealCreate(name="Hot", amount=Decimal("12.50")))
    select_one = deals.service._select_one
    with unit_of_work() as uow:
        hot = HotStatement(select_one).first(uow.session, {"entity_id": deal.id})
        plain = uow.session.connection().execute(select_one, {"entity_id": deal.id}).first()
        assert hot == dict(plain._mapping)
        assert hot["amount"] == Decimal("12.50") and hot["owner_name"] == "Alice Member"
        missing = HotStatement(select_one).first(uow.session, {"entity_id": seeded.bob.user_id})
        assert missing is None


def test_an_error_comes_back_as_sqlalchemys_and_nothing_is_kept(seeded, database):
    if database != "postgresql":
        pytest.skip("SQLite runs hot statements through SQLAlchemy (and divides by 0 to NULL)")
    dividing = HotStatement(select(literal(1) / bindparam("by")))
    with pytest.raises(exc.DataError), unit_of_work() as uow:
        deals.service.create(seeded.alice, DealCreate(name="Rolled back"))
        dividing.first(uow.session, {"by": 0})
    assert [d.name for d in deals.service.get_all(seeded.alice)] == []
    with unit_of_work() as uow:  # the connection serves the next unit of work
        assert dividing.first(uow.session, {"by": 1}) is not None


def test_a_statement_that_needs_a_column_default_is_refused(database):
    if database != "postgresql":
        pytest.skip("SQLite runs hot statements through SQLAlchemy")
    history = table_of(WfmProjectHistory)
    leaving_org_and_id = insert(history).values(wfm_project_id=bindparam("project"))
    with unit_of_work() as uow, pytest.raises(TypeError, match="column defaults"):
        HotStatement(leaving_org_and_id).rowcount(uow.session, {"project": None})


def test_one_row_statements_reuse_the_connections_cursor_and_lists_do_not(seeded, database):
    if database != "postgresql":
        pytest.skip("SQLite runs hot statements through SQLAlchemy")
    first = deals.service.create(seeded.alice, DealCreate(name="First"))
    second = deals.service.create(seeded.alice, DealCreate(name="Second"))
    one = HotStatement(deals.service._select_one)
    many = HotStatement(select(literal(1).label("n")))
    with unit_of_work() as uow:
        info = uow.session.connection().connection.info
        before = dict(info.get(_CURSORS, {}))  # the creates' own statements may be there
        assert one.first(uow.session, {"entity_id": first.id})["name"] == "First"
        kept = dict(info[_CURSORS])
        assert len(kept) == len(before) + 1
        assert one.first(uow.session, {"entity_id": second.id})["name"] == "Second"
        assert many.all(uow.session, {}) == (("n",), [(1,)])
        # the same cursor answered both reads; the list's was closed, not kept
        assert info[_CURSORS] == kept


def test_postgresql_answers_timestamps_in_utc_by_that_name(seeded, database):
    if database != "postgresql":
        pytest.skip("SQLite has no session time zone")
    deal = deals.service.create(seeded.alice, DealCreate(name="Clocked"))
    with unit_of_work() as uow:
        driver = uow.session.connection().connection.driver_connection
        assert driver.info.timezone is UTC  # psycopg's fixed-offset loader, not a zoneinfo
        row = HotStatement(deals.service._select_one).first(uow.session, {"entity_id": deal.id})
    assert row is not None and row["created_at"].tzinfo is UTC
    assert row["created_at"] == deal.created_at
