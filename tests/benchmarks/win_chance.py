"""Learned win chance against the steps' fixed probabilities, on a generated history
whose rule is known (issue 31.3). Figures are printed, never asserted.

The rule: a deal stays on each open step for an exponential time (mean 3 to 7 days);
when it leaves, the longer it stayed the likelier it is lost (15 % plus up to 50 % more
as the stay grows past ten days); past Contract Sent it is won. ``LEARN`` closed deals
are written to a fresh SQLite database and learned from through the engine
(``win_chance.learn``). ``TEST`` more deals from the same rule score both, looked at as a
board shows them: at a random moment of a steady flow, so a deal is looked at in
proportion to how long it stays open (a uniform moment of a uniformly picked deal would
see fast-won deals too rarely). Printed: Brier score (lower is better) and calibration by
tenths of the predicted chance.

    .venv/bin/python -m tests.benchmarks.win_chance    (WFM_BENCH_LEARN, WFM_BENCH_TEST)
"""

from __future__ import annotations

import math
import os
import random
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from wfm_app import db
from wfm_app.auth.actor import Actor
from wfm_app.cli import migrate
from wfm_app.engine import definitions
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.win_chance import store as win_chance
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.seed import seed_definitions
from wfm_app.sqltypes import table_of, utc_now

LEARN = int(os.environ.get("WFM_BENCH_LEARN", "4000"))
TEST = int(os.environ.get("WFM_BENCH_TEST", "4000"))
OPEN = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Contract Sent")
MEAN_DAYS = (3.0, 5.0, 7.0, 5.0, 3.0)


@dataclass(frozen=True)
class Deal:
    stays: list[tuple[int, float]]  # (open step index, hours there)
    won: bool


def generate(rng: random.Random) -> Deal:
    stays = []
    for index, mean in enumerate(MEAN_DAYS):
        hours = rng.expovariate(1 / (mean * 24))
        stays.append((index, hours))
        lost = 0.15 + 0.5 * (1 - math.exp(-hours / 240))
        if rng.random() < lost:
            return Deal(stays, False)
    return Deal(stays, True)


def write(deals_made: list[Deal], template: dict, steps: dict[str, uuid.UUID]) -> None:
    projects, history = table_of(WfmProject), table_of(WfmProjectHistory)
    start = utc_now() - timedelta(days=300)
    project_rows, history_rows = [], []
    for deal in deals_made:
        project_id, at = uuid.uuid4(), start
        names = [OPEN[i] for i, _ in deal.stays] + ["Closed Won" if deal.won else "Closed Lost"]
        for (index, hours), target in zip(deal.stays, names[1:], strict=True):
            history_rows.append(
                {
                    "id": uuid.uuid4(),
                    "wfm_project_id": project_id,
                    "from_step_id": steps[OPEN[index]],
                    "to_step_id": steps[target],
                    "from_entered_at": at,
                    "changed_at": at + timedelta(hours=hours),
                }
            )
            at += timedelta(hours=hours)
        project_rows.append(
            {
                **template,
                "id": project_id,
                "current_step_id": steps[names[-1]],
                "step_entered_at": at,
            }
        )
    with db.get_engine().begin() as conn:
        conn.execute(insert(projects), project_rows)
        conn.execute(insert(history), history_rows)


def looked_at(deal: Deal, rng: random.Random) -> tuple[int, float]:
    """A random moment of the deal's open life: (step index, hours on it by then)."""
    total = sum(hours for _, hours in deal.stays)
    moment = rng.uniform(0, total)
    for index, hours in deal.stays:
        if moment <= hours:
            return index, moment
        moment -= hours
    index, hours = deal.stays[-1]
    return index, hours


def calibration(pairs: list[tuple[float, bool]]) -> list[str]:
    """Per tenth of the predicted chance: its mean, the share actually won, how many."""
    rows = []
    for tenth in range(10):
        inside = [(p, won) for p, won in pairs if min(int(p * 10), 9) == tenth]
        if inside:
            predicted = sum(p for p, _ in inside) / len(inside)
            observed = sum(won for _, won in inside) / len(inside)
            rows.append(
                f"  {tenth * 10:>3}-{tenth * 10 + 10:<3}%  predicted {predicted:6.1%}"
                f"  observed {observed:6.1%}  ({len(inside)} looks)"
            )
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        db.configure(url)
        migrate(url)
        seed_definitions()
        admin = Actor.system()
        graph = definitions.graph(deals.service.default_workflow_id(admin))
        steps = {step.display_name: step.id for step in graph.steps}
        fixed = {
            index: (graph.steps[index].number("deal_probability") or 0) / 100 for index in range(5)
        }
        made = deals.service.create(admin, DealCreate(name="template"))
        with db.get_engine().connect() as conn:
            row = (
                conn.execute(
                    select(table_of(WfmProject)).where(
                        table_of(WfmProject).c.id == made.wfm.wfm_project_id
                    )
                )
                .mappings()
                .one()
            )
        template = {k: v for k, v in row.items() if k not in ("id",)}
        rng = random.Random(7)
        history = [generate(rng) for _ in range(LEARN)]
        write(history, template, steps)
        began = time.perf_counter()
        model, note = win_chance.learn(admin, graph.id)
        took = time.perf_counter() - began
        if model is None:
            print("nothing learned:", note)
            return
        print(
            f"learned from {model.closed_cards:,} closed deals ({model.won_cards:,} won) "
            f"in {took * 1000:.0f} ms (latest {min(LEARN, 5000):,} read)"
        )
        learned_pairs, fixed_pairs = [], []
        pool = [generate(rng) for _ in range(TEST)]
        open_hours = [sum(hours for _, hours in deal.stays) for deal in pool]
        for deal in rng.choices(pool, weights=open_hours, k=TEST):
            index, age = looked_at(deal, rng)
            chance = model.chance(steps[OPEN[index]], age)
            learned_pairs.append((fixed[index] if chance is None else chance, deal.won))
            fixed_pairs.append((fixed[index], deal.won))
        rate = sum(d.won for d in history) / len(history)

        def brier(pairs: list[tuple[float, bool]]) -> float:
            return sum((p - won) ** 2 for p, won in pairs) / len(pairs)

        print(f"held-out looks: {TEST:,}; won share in the learned history {rate:.1%}")
        print(f"Brier score, learned chance:            {brier(learned_pairs):.4f}")
        print(f"Brier score, steps' fixed probability:  {brier(fixed_pairs):.4f}")
        flat = brier([(rate, won) for _, won in fixed_pairs])
        print(f"Brier score, one rate for all ({rate:.0%}):     {flat:.4f}")
        print("calibration, learned chance:")
        print("\n".join(calibration(learned_pairs)))
        print("calibration, fixed probabilities:")
        print("\n".join(calibration(fixed_pairs)))


if __name__ == "__main__":
    started: datetime = utc_now()
    main()
    print(f"({(utc_now() - started).total_seconds():.1f} s)")
