"""What automation costs a move: a move that fires one ``set_field`` and one ``webhook``
rule against a plain move of the same deals, through the same service, interleaved, on
PostgreSQL. Target: within 2x of the plain move. Figures are printed, never asserted.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

from tests.benchmarks.common import ROUNDS, WARMUP, measure, on_new_database
from wfm_app import db
from wfm_app.auth import users
from wfm_app.auth.actor import Actor
from wfm_app.cli import migrate
from wfm_app.engine import definitions
from wfm_app.engine.automation import rule_admin
from wfm_app.engine.automation.config import RuleCreate
from wfm_app.entities import deals
from wfm_app.seed import seed_definitions


def run(url: str) -> None:
    migrate(url)
    db.configure(url)
    seed_definitions()
    user = users.upsert(issuer="bench", subject="bob", email="bob@x.test", display_name="Bob")
    bob = Actor.for_user(user.id, {"wfm_member"}, "Bob")
    graph = definitions.graph(deals.service.default_workflow_id(bob))
    prospecting, qualification = graph.steps[0], graph.steps[1]
    count = WARMUP + ROUNDS
    made = [
        deals.service.create(bob, deals.DealCreate(name=f"Bench {i}", amount=Decimal(100)))
        for i in range(2 * count)
    ]
    automated, plain = made[0::2], made[1::2]
    for deal in plain:  # the plain moves go back from Qualification: no rule there
        deals.service.move(bob, deal.id, qualification.id)
    admin = Actor.system()
    for name, action in (
        ("Set amount", {"type": "set_field", "field": "amount", "value": "2500"}),
        ("Tell the CRM", {"type": "webhook", "url": "https://crm.example.test/hooks/wfm"}),
    ):
        rule_admin.create(
            admin,
            RuleCreate(
                name=name,
                workflow_id=graph.id,
                workflow_step_id=qualification.id,
                trigger_event="step_entered",
                action_config=action,
            ),
        )
    figures = measure(
        "move firing set_field + webhook",
        lambda i: deals.service.move(bob, automated[i].id, qualification.id),
        lambda i: deals.service.move(bob, plain[i].id, prospecting.id),
        ROUNDS,
    )
    moved = deals.service.get_by_id(bob, automated[-1].id)
    assert moved is not None and moved.amount == Decimal("2500.00")
    print("PostgreSQL; milliseconds per move, through the service")
    headings = ("auto med", "auto p95", "plain med", "plain p95")
    print(f"{'operation':<34} " + " ".join(f"{h:>9}" for h in headings) + f" {'ratio':>7}")
    print(figures.row())
    cost = statistics.median(figures.service) - statistics.median(figures.raw)
    print(
        f"automation's cost per move: {cost:.2f} ms (target ratio <= 2.00, got {figures.ratio:.2f})"
    )


def main() -> None:
    on_new_database(run)


if __name__ == "__main__":
    main()
