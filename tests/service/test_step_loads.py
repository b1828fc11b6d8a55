"""Issue 26: a WIP-limited step's count of active cards is kept, not counted, so a move
onto it costs the same at any size; the kept count must equal a recount whatever runs at
once (moves both ways, new and deleted cards, rows made while movers run)."""

from __future__ import annotations

import random
import threading

from sqlalchemy import select, update

from tests.service.helpers import make_process
from wfm_app import db
from wfm_app.engine import definitions, rules, steps
from wfm_app.engine.models import StepLoad, WfmProject
from wfm_app.engine.schemas import StepUpdate
from wfm_app.entities import deals

STEPS = ["New", "Doing", "Checking", "Done"]
# New -> Doing <-> Checking -> Done: cards cross between Doing and Checking both ways.
MOVES = [(0, 1), (1, 2), (2, 1), (1, 3), (2, 3)]


def _limit(admin, step, limit: int | None) -> None:
    metadata = {k: v for k, v in step.metadata.items() if k not in ("wip_limit", "wip_policy")}
    if limit is not None:
        metadata |= {"wip_limit": limit, "wip_policy": "warn"}
    steps.update_step(admin, step.id, StepUpdate(metadata=metadata))


def _kept_and_counted(workflow_id, step_ids) -> tuple[dict, dict]:
    with db.unit_of_work() as uow:
        kept = dict(
            uow.session.execute(
                select(StepLoad.step_id, StepLoad.active_cards).where(
                    StepLoad.step_id.in_(step_ids)
                )
            ).all()
        )
    with db.unit_of_work() as uow:
        counted = rules.cards_per_step(uow.session, workflow_id, active_only=True)
    return kept, {step_id: counted.get(step_id, 0) for step_id in kept}


def test_kept_counts_equal_a_recount_under_concurrent_movers(seeded):
    kind = make_process(seeded.admin, "Counted work", STEPS, MOVES)
    graph = definitions.graph(kind.default_workflow_id)
    new, doing, checking, done = (
        next(s for s in graph.steps if s.display_name == n) for n in STEPS
    )
    for step in (new, doing):
        _limit(seeded.admin, step, 1000)
    cards = [
        deals.service.create(
            seeded.manager, deals.DealCreate(name=f"C{i}", wfm_project_type_id=kind.id)
        )
        for i in range(24)
    ]
    assert rules.wip_loads(graph.id) == {new.id: 24, doing.id: 0}
    _limit(seeded.admin, definitions.graph(graph.id).step(new.id), None)  # its row goes
    assert set(_kept_and_counted(graph.id, [new.id, doing.id])[0]) == {doing.id}

    errors: list[BaseException] = []

    def work(seed: int, mine: list) -> None:
        chance = random.Random(seed)
        try:
            for card in mine:
                deals.service.move(seeded.manager, card.id, doing.id)
                for _ in range(chance.randint(1, 4)):  # back and forth: opposite lock orders
                    deals.service.move(seeded.manager, card.id, checking.id)
                    deals.service.move(seeded.manager, card.id, doing.id)
                ending = chance.choice(["done", "delete", "stay", "new card"])
                if ending == "done":
                    deals.service.move(seeded.manager, card.id, done.id)
                elif ending == "delete":
                    deals.service.delete(seeded.manager, card.id)
                elif ending == "new card":
                    deals.service.create(
                        seeded.manager, deals.DealCreate(name="Late", wfm_project_type_id=kind.id)
                    )
        except BaseException as error:  # every mover must get through: no deadlock, no error
            errors.append(error)

    def bulk(projects: list) -> None:
        """Many cards moved by one statement (as a version migration does), both ways,
        while single moves run: each statement changes each count once."""
        try:
            for round_ in range(10):
                target = checking if round_ % 2 else doing
                with db.unit_of_work() as uow:
                    uow.session.execute(
                        update(WfmProject)
                        .where(WfmProject.id.in_(projects))
                        .values(current_step_id=target.id)
                    )
        except BaseException as error:
            errors.append(error)

    crowd = [
        deals.service.create(
            seeded.manager, deals.DealCreate(name=f"Crowd {i}", wfm_project_type_id=kind.id)
        ).wfm.wfm_project_id
        for i in range(20)
    ]
    threads = [threading.Thread(target=work, args=(i, cards[i::6])) for i in range(6)]
    threads.append(threading.Thread(target=bulk, args=(crowd,)))
    for thread in threads:
        thread.start()
    # "Checking" gets its limit while cards cross it: its first count must miss nothing
    # in flight, and the triggers take it from there.
    _limit(seeded.admin, definitions.graph(graph.id).step(checking.id), 1000)
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []

    with db.unit_of_work() as uow:  # an archived card stops counting, even set by hand
        some = uow.session.execute(
            select(WfmProject.id).where(WfmProject.current_step_id == doing.id).limit(1)
        ).scalar()
        if some is not None:
            uow.session.execute(
                update(WfmProject).where(WfmProject.id == some).values(is_active=False)
            )

    kept, counted = _kept_and_counted(graph.id, [new.id, doing.id, checking.id])
    assert set(kept) == {doing.id, checking.id}
    assert kept == counted
    assert sum(kept.values()) > 0
