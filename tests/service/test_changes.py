"""Issue 13: every card change is announced from the transaction that made it, and only
if it commits (PostgreSQL NOTIFY; SQLite: after commit, in-process)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest

from tests.service.helpers import sales_graph, step_named
from wfm_app import db
from wfm_app.engine import changes, definitions
from wfm_app.entities import deals
from wfm_app.errors import ConditionFailed


@pytest.fixture
def heard(database: str) -> Iterator[list[changes.Change]]:
    """What a listener hears, in order: a LISTENing connection on PostgreSQL, a
    subscriber on SQLite. Read it after the writes."""
    found: list[changes.Change] = []
    if database == "postgresql":
        dsn = db.get_engine().url.set(drivername="postgresql").render_as_string(False)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"LISTEN {changes.CHANNEL}")

            class Heard(list):  # drains the connection's notices when read
                def __iter__(self):
                    for notice in conn.notifies(timeout=0.5):
                        found.append(changes.Change.from_json(notice.payload))
                    return iter(found)

            yield Heard()
    else:
        changes.subscribe(found.append)
        yield found
        changes.unsubscribe(found.append)


def test_each_change_is_announced_once_it_commits(seeded, heard):
    graph = sales_graph()
    deal = deals.service.create(seeded.alice, deals.DealCreate(name="Acme"))
    deals.service.update(seeded.alice, deal.id, deals.DealUpdate(amount=500))
    deals.service.move(seeded.alice, deal.id, step_named(graph, "Qualification").id)
    with pytest.raises(ConditionFailed):  # Proposal needs a close date: rolled back
        deals.service.move(seeded.alice, deal.id, step_named(graph, "Proposal").id)
    deals.service.delete(seeded.alice, deal.id)
    seen = [(c.op, c.entity_type, c.entity_id, c.owner_id) for c in heard]
    mine = (str(deal.id), str(seeded.alice.user_id))
    assert seen == [(op, "DEAL", *mine) for op in ("created", "updated", "moved", "deleted")]
    moved = list(heard)[2]
    assert moved.from_step_id == str(step_named(graph, "Prospecting").id)
    assert moved.to_step_id == str(step_named(graph, "Qualification").id)
    assert moved.workflow_id == str(graph.id)
    gone = list(heard)[3]
    assert gone.to_step_id is None and gone.from_step_id == moved.to_step_id


def test_an_owner_change_names_both_owners(seeded, heard):
    deal = deals.service.create(seeded.manager, deals.DealCreate(name="Handover"))
    deals.service.update(seeded.manager, deal.id, deals.DealUpdate(owner_id=seeded.bob.user_id))
    handed = list(heard)[-1]
    assert (handed.op, handed.owner_id, handed.previous_owner_id) == (
        "updated",
        str(seeded.bob.user_id),
        str(seeded.manager.user_id),
    )


async def _until(done: Callable[[], object], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not heard in time"
        await asyncio.sleep(0.02)


def test_the_listener_hears_changes_skips_bad_ones_and_reconnects(seeded, database):
    """A serving process's listener: each committed change reaches the subscribers, a
    malformed notice is skipped, and after its connection is cut it connects again,
    drops its definitions (it may have missed a change) and hears the next change."""
    if database != "postgresql":
        pytest.skip("SQLite announces in process, after commit")
    dsn = db.get_engine().url.set(drivername="postgresql").render_as_string(False)
    heard: list[changes.Change] = []
    connected: list[bool] = []

    def create(name: str) -> str:
        return str(deals.service.create(seeded.alice, deals.DealCreate(name=name)).id)

    async def scenario() -> tuple[str, str]:
        changes.subscribe(heard.append)
        listener = asyncio.create_task(
            changes.listen(dsn, lambda: connected.append(True), retry_seconds=0.05)
        )
        try:
            await _until(lambda: connected)
            with psycopg.connect(dsn, autocommit=True) as conn:
                for bad in ("not json", "[1]", '{"op": "moved"}'):
                    conn.execute("SELECT pg_notify(%s, %s)", (changes.CHANNEL, bad))
            first = await asyncio.to_thread(create, "Before")
            await _until(lambda: len(heard) == 1)
            with psycopg.connect(dsn, autocommit=True) as conn:
                cut = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND query = %s",
                    (f"LISTEN {definitions.DEFINITIONS_CHANNEL}",),
                ).fetchall()
            assert cut == [(True,)]
            await _until(lambda: len(connected) == 2)
            second = await asyncio.to_thread(create, "After")
            await _until(lambda: len(heard) == 2)
            return first, second
        finally:
            listener.cancel()
            changes.unsubscribe(heard.append)

    first, second = asyncio.run(scenario())
    assert [(c.op, c.entity_id) for c in heard] == [("created", first), ("created", second)]
