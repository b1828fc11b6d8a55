"""Learned win chance against the steps' fixed probabilities, on a generated history
whose rule is known (issue 31.3). Figures are printed, never asserted.

The rule: a deal stays on each open step for an exponential time (mean 3 to 7 days);
when it leaves, the longer it stayed the likelier it is lost (15 % plus up to 50 % more
as the stay grows past ten days), and its Region (a custom field) shifts that: EMEA
10 points less likely lost, APAC 15 points more, Americas as is; past Contract Sent it is
won. ``LEARN`` closed deals are written to a fresh SQLite database and learned from
through the engine (``win_chance.learn``), once with Region marked as a predictor and
once without. ``TEST`` more deals from the same rule score the three, looked at as a
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
from typing import Any

from sqlalchemy import insert, select

from wfm_app import db
from wfm_app.auth.actor import Actor
from wfm_app.cli import migrate
from wfm_app.engine import custom_fields, definitions
from wfm_app.engine.custom_fields import CustomFieldCreate, CustomFieldUpdate
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.win_chance import store as win_chance
from wfm_app.engine.win_chance.learning import WinModel
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.seed import seed_definitions
from wfm_app.sqltypes import table_of, utc_now

LEARN = int(os.environ.get("WFM_BENCH_LEARN", "4000"))
TEST = int(os.environ.get("WFM_BENCH_TEST", "4000"))
OPEN = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Contract Sent")
MEAN_DAYS = (3.0, 5.0, 7.0, 5.0, 3.0)
REGION_SHIFT = {"EMEA": -0.10, "APAC": 0.15, "Americas": 0.0}  # on each step's loss chance


@dataclass(frozen=True)
class Deal:
    stays: list[tuple[int, float]]  # (open step index, hours there)
    won: bool
    region: str


def generate(rng: random.Random) -> Deal:
    stays = []
    region = rng.choice(list(REGION_SHIFT))
    for index, mean in enumerate(MEAN_DAYS):
        hours = rng.expovariate(1 / (mean * 24))
        stays.append((index, hours))
        lost = 0.15 + 0.5 * (1 - math.exp(-hours / 240)) + REGION_SHIFT[region]
        if rng.random() < lost:
            return Deal(stays, False, region)
    return Deal(stays, True, region)


def write(
    deals_made: list[Deal], templates: tuple[dict, dict], steps: dict[str, uuid.UUID]
) -> None:
    """Each deal as a copy of the template deal and its project, with its history."""
    template, deal_template = templates
    projects, history = table_of(WfmProject), table_of(WfmProjectHistory)
    start = utc_now() - timedelta(days=300)
    project_rows, history_rows, deal_rows = [], [], []
    for deal in deals_made:
        project_id, at = uuid.uuid4(), start
        deal_rows.append(
            {
                **deal_template,
                "id": uuid.uuid4(),
                "wfm_project_id": project_id,
                "custom_field_values": {"region": deal.region},
            }
        )
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
        conn.execute(insert(table_of(deals.Deal)), deal_rows)


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


def _row_of(table: Any, row_id: uuid.UUID) -> dict[str, Any]:
    with db.get_engine().connect() as conn:
        row = conn.execute(select(table).where(table.c.id == row_id)).mappings().one()
    return {k: v for k, v in row.items() if k != "id"}


def _brier(pairs: list[tuple[float, bool]]) -> float:
    return sum((p - won) ** 2 for p, won in pairs) / len(pairs)


def _learn(admin: Actor, workflow_id: uuid.UUID, label: str) -> WinModel | None:
    began = time.perf_counter()
    model, note = win_chance.learn(admin, workflow_id)
    took = time.perf_counter() - began
    if model is None:
        print(f"{label}: nothing learned: {note}")
        return None
    print(
        f"{label}: learned from {model.closed_cards:,} closed deals ({model.won_cards:,} won) "
        f"in {took * 1000:.0f} ms (latest {min(LEARN, 5000):,} read); "
        f"predictors: {', '.join(model.predictor_labels) or 'none'}"
    )
    return model


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
        region = custom_fields.create(
            admin,
            CustomFieldCreate(
                entity_type="DEAL",
                label="Region",
                field_type="DROPDOWN",
                options=list(REGION_SHIFT),
                predicts_win=True,
            ),
        )
        made = deals.service.create(admin, DealCreate(name="template"))
        templates = (
            _row_of(table_of(WfmProject), made.wfm.wfm_project_id),
            _row_of(table_of(deals.Deal), made.id),
        )
        rng = random.Random(7)
        history = [generate(rng) for _ in range(LEARN)]
        write(history, templates, steps)
        with_region = _learn(admin, graph.id, "with Region")
        custom_fields.update(admin, region.id, CustomFieldUpdate(predicts_win=False))
        without = _learn(admin, graph.id, "without")
        if with_region is None or without is None:
            return
        scored: dict[str, list[tuple[float, bool]]] = {"with": [], "without": [], "fixed": []}
        pool = [generate(rng) for _ in range(TEST)]
        open_hours = [sum(hours for _, hours in deal.stays) for deal in pool]
        for deal in rng.choices(pool, weights=open_hours, k=TEST):
            index, age = looked_at(deal, rng)
            step = steps[OPEN[index]]
            for name, model in (("with", with_region), ("without", without)):
                chance = model.chance(step, age, "DEAL", {"region": deal.region})
                scored[name].append((fixed[index] if chance is None else chance, deal.won))
            scored["fixed"].append((fixed[index], deal.won))
        rate = sum(d.won for d in history) / len(history)
        print(f"held-out looks: {TEST:,}; won share in the learned history {rate:.1%}")
        print(f"Brier score, learned with Region:       {_brier(scored['with']):.4f}")
        print(f"Brier score, learned without predictors: {_brier(scored['without']):.4f}")
        print(f"Brier score, steps' fixed probability:  {_brier(scored['fixed']):.4f}")
        flat = _brier([(rate, won) for _, won in scored["fixed"]])
        print(f"Brier score, one rate for all ({rate:.0%}):     {flat:.4f}")
        for name, title in (
            ("with", "learned with Region"),
            ("without", "learned without predictors"),
            ("fixed", "fixed probabilities"),
        ):
            print(f"calibration, {title}:")
            print("\n".join(calibration(scored[name])))


if __name__ == "__main__":
    started: datetime = utc_now()
    main()
    print(f"({(utc_now() - started).total_seconds():.1f} s)")
