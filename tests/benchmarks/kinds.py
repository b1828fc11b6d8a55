"""A card of a kind an admin defined costs what a deal costs (issue 25: within 1.2x).

`make bench` runs this after the deal figures. On its own PostgreSQL database, with the
spec's seed, a kind "Purchase request" rides on a project type of its own whose workflow
is the sales process itself, so both kinds' cards meet the same steps and transitions.
Creates and moves are timed interleaved (deal, then purchase request) and printed as
median / p95 with the ratio of the kind to the deal. Figures are printed, never asserted.

    .venv/bin/python -m tests.benchmarks.kinds
"""

from __future__ import annotations

import statistics
import uuid

from tests.benchmarks.common import ROUNDS, measure, on_new_database
from wfm_app import db
from wfm_app.auth import users
from wfm_app.auth.actor import Actor
from wfm_app.cli import migrate
from wfm_app.demo import DEMO_USERS
from wfm_app.engine import definitions, kinds, project_types
from wfm_app.engine.schemas import ProjectTypeCreate
from wfm_app.entities import deals, service_by_key
from wfm_app.seed import seed_definitions


def _line(name: str, deal: list[float], kind: list[float]) -> str:
    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    ratio = statistics.median(kind) / statistics.median(deal)
    return (
        f"{name:<22} {statistics.median(deal):9.3f} {p95(deal):9.3f}"
        f" {statistics.median(kind):9.3f} {p95(kind):9.3f} {ratio:7.2f}"
    )


def run(url: str) -> None:
    migrate(url)
    db.configure(url)
    seed_definitions()
    user = users.upsert(
        issuer="bench", subject=DEMO_USERS[3][0], email=DEMO_USERS[3][2], display_name="Bob"
    )
    bob = Actor.for_user(user.id, {"wfm_member"}, "Bob")
    admin = Actor.system()
    sales = deals.service.default_workflow_id(bob)
    project_type = project_types.create(
        admin, ProjectTypeCreate(name="Purchasing", default_workflow_id=sales)
    )
    kinds.create(admin, kinds.KindCreate(name="Purchase request", project_type_id=project_type.id))
    requests = service_by_key("purchase-request")
    assert requests is not None
    graph = definitions.graph(sales)
    second = graph.steps[1].id
    made_deals: list[uuid.UUID] = []
    made_requests: list[uuid.UUID] = []

    def create_deal(i: int) -> object:
        made = deals.service.create(bob, deals.DealCreate(name=f"Deal {i}"))
        made_deals.append(made.id)
        return made

    def create_request(i: int) -> object:
        made = requests.create(bob, requests.kind.create_model(name=f"Request {i}"))
        made_requests.append(made.id)
        return made

    # measure() alternates the two, so both see the same machine and cache state
    create = measure("create", create_deal, create_request, ROUNDS)
    move = measure(
        "move",
        lambda i: deals.service.move(bob, made_deals[i], second),
        lambda i: requests.move(bob, made_requests[i], second),
        ROUNDS,
    )
    print("an admin's kind beside deals (PostgreSQL); milliseconds per operation")
    headings = ["deal med", "deal p95", "kind med", "kind p95"]
    print(f"{'operation':<22} " + " ".join(f"{h:>9}" for h in headings) + f" {'ratio':>7}")
    print(_line("create", create.service, create.raw))
    print(_line("move", move.service, move.raw))
    print("target: each ratio (the kind's median to the deal's) <= 1.20")


def main() -> None:
    on_new_database(run)


if __name__ == "__main__":
    main()
