"""Issue 9.8: a PostgreSQL restart costs no user action. The pool's connections all die;
the next move must still go through, without a pre-ping on every request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import harness
from tests.conftest import People, empty_all_tables, make_actor
from tests.service.helpers import sales_graph, step_named
from wfm_app import db
from wfm_app.auth.actor import ADMIN, MANAGER, MEMBER
from wfm_app.engine import definitions
from wfm_app.entities import deals
from wfm_app.seed import seed_definitions

pytestmark = pytest.mark.alone  # every other test's connections die with the restart


@pytest.fixture
def on_postgresql(postgresql_url: str) -> Iterator[People]:
    db.configure(postgresql_url)
    definitions.invalidate()
    seed_definitions()
    yield People(
        admin=make_actor("admin", "Ada Admin", ADMIN),
        manager=make_actor("manager", "Max Manager", MANAGER),
        alice=make_actor("alice", "Alice Member", MEMBER),
        bob=make_actor("bob", "Bob Member", MEMBER),
    )
    definitions.invalidate()
    empty_all_tables()


def test_the_first_move_after_a_restart_succeeds(on_postgresql):
    assert not db.get_engine().pool._pre_ping  # the price we refuse to pay
    alice = on_postgresql.alice
    graph = sales_graph()
    deal = deals.service.create(
        alice, deals.DealCreate(name="Survivor", expected_close_date="2027-01-31")
    )
    moved = deals.service.move(alice, deal.id, step_named(graph, "Qualification").id)
    assert moved.wfm.step_name == "Qualification"

    how = harness.restart_postgresql()

    moved = deals.service.move(alice, deal.id, step_named(graph, "Proposal").id)
    assert moved.wfm.step_name == "Proposal", how
    assert [entry.to_step_id for entry in deals.service.history(alice, deal.id)][-1] == (
        step_named(graph, "Proposal").id
    )
    print(f"PostgreSQL {how}; the next move went through")
