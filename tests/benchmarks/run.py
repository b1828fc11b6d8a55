"""Service layer vs minimal hand-written SQL on the same PostgreSQL, in one run.

`make bench` runs this. It makes its own database, loads 100,000 WFM projects (each a
deal), then times each of the spec's operations through the services and as raw SQL
doing the same work, interleaved, and prints median / p95 and the ratio. The last line
is `worst ratio to raw SQL: X.XX`. Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from decimal import Decimal
from typing import Any

import psycopg

from tests import harness
from tests.benchmarks.common import (
    BOARD_CARDS,
    ROUNDS,
    SIZES,
    WARMUP,
    Figures,
    dsn,
    load,
    measure,
    on_new_database,
)
from wfm_app import db, organizations
from wfm_app.auth import users
from wfm_app.auth.actor import Actor
from wfm_app.cli import migrate
from wfm_app.demo import DEMO_USERS
from wfm_app.engine import definitions, steps, transitions, workflows
from wfm_app.engine.schemas import StepUpdate, TransitionUpdate
from wfm_app.entities import deals
from wfm_app.seed import seed_definitions
from wfm_app.tenancy import DEFAULT_ORG_ID, acting_in

BOARD_ROUNDS = 40
# The projects are shared by this many organizations (each seeded alike, each with its
# share); the operations are timed in the default one, ORG.
ORGS = max(1, int(os.environ.get("WFM_BENCH_ORGS", "10")))
ORG = DEFAULT_ORG_ID
# 1: the services connect as the app's role, under row-level security (as the app does);
# 0: as the tables' owner, whom the policies do not hold (the cost of RLS is the difference).
UNDER_RLS = os.environ.get("WFM_BENCH_RLS", "1") == "1"

# The board's floor: one pass over the member's deals (the ones they own or are assigned:
# idx_deals_user OR-ed with the assignee index), each joined to its project by primary
# key, ranked per step; then the columns' counts and totals.
RAW_BOARD_PAGES = """
SELECT * FROM (
  SELECT b.*, row_number() OVER (PARTITION BY b.current_step_id
                                 ORDER BY b.step_entered_at DESC, b.project_id DESC) AS rank
  FROM (
    SELECT d.id, d.name, d.amount, d.currency, d.expected_close_date, d.user_id,
           d.assigned_to_user_id, d.wfm_project_id, d.created_at, d.updated_at,
           p.project_type_id, p.workflow_id, p.current_step_id, p.is_active,
           p.step_entered_at, p.completed_at, u.display_name, a.display_name,
           p.id AS project_id
    FROM deals d JOIN wfm_projects p ON p.id = d.wfm_project_id AND p.org_id = %(org)s
    LEFT JOIN users u ON u.id = d.user_id AND u.org_id = %(org)s
    LEFT JOIN users a ON a.id = d.assigned_to_user_id AND a.org_id = %(org)s
    WHERE p.workflow_id = %(wf)s AND d.org_id = %(org)s
      AND (d.user_id = %(owner)s OR d.assigned_to_user_id = %(owner)s)
  ) b
) ranked WHERE rank <= 20
"""
RAW_BOARD_TOTALS = """
SELECT p.current_step_id, count(*), coalesce(sum(d.amount), 0)
FROM deals d JOIN wfm_projects p ON p.id = d.wfm_project_id AND p.org_id = %(org)s
WHERE p.workflow_id = %(wf)s AND d.org_id = %(org)s
  AND (d.user_id = %(owner)s OR d.assigned_to_user_id = %(owner)s)
GROUP BY p.current_step_id
"""

# The card read back, with the change told to every server's open boards in the same
# statement, as the service does (entities/announce.py): live boards are part of a move.
BOARD_SQL = """
SELECT d.id, d.name, d.amount, d.currency, d.expected_close_date, d.user_id, d.wfm_project_id,
       d.assigned_to_user_id, d.created_at, d.updated_at, p.project_type_id, p.workflow_id,
       p.current_step_id, p.is_active, p.step_entered_at, p.completed_at, u.display_name,
       a.display_name,
       pg_notify('wfm_changes', json_build_object(
         'op', 'moved', 'entity_type', 'DEAL', 'entity_id', d.id::text,
         'workflow_id', p.workflow_id::text, 'owner_id', d.user_id::text,
         'previous_owner_id', d.user_id::text, 'from_step_id', p.current_step_id::text,
         'to_step_id', p.current_step_id::text, 'assignee_id', d.assigned_to_user_id::text,
         'previous_assignee_id', d.assigned_to_user_id::text, 'org_id', d.org_id::text)::text)
FROM deals d JOIN wfm_projects p ON p.id = d.wfm_project_id AND p.org_id = %(org)s
LEFT JOIN users u ON u.id = d.user_id AND u.org_id = %(org)s
LEFT JOIN users a ON a.id = d.assigned_to_user_id AND a.org_id = %(org)s
WHERE d.id = %(deal)s AND d.org_id = %(org)s
"""


def main() -> None:
    by_size = {projects: _run_on_new_database(projects) for projects in SIZES}
    if len(by_size) > 1:
        print("side by side: service median ms (ratio to raw SQL)")
        print(f"{'operation':<34} " + " ".join(f"{f'{n:,} projects':>22}" for n in by_size))
        for index, figures in enumerate(next(iter(by_size.values()))):
            cells = [
                f"{statistics.median(found[index].service):>13.3f} ({found[index].ratio:5.2f})"
                for found in by_size.values()
            ]
            print(f"{figures.name:<34} " + " ".join(f"{cell:>22}" for cell in cells))
    worst = max(f.ratio for found in by_size.values() for f in found)
    print(f"worst ratio to raw SQL: {worst:.2f}")


def _run_on_new_database(projects: int) -> list[Figures]:
    return on_new_database(lambda url: run(url, projects))


def _other_organization(key: str) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A seeded organization and [its Sales workflow, three owners of its cards]."""
    org_id, _ = organizations.create_seeded(key)
    with acting_in(org_id):
        user = users.upsert(issuer="bench", subject="owner", email=None, display_name=key)
        workflow_id = deals.service.default_workflow_id(
            Actor.for_user(user.id, {"wfm_admin"}, key, org_id=org_id)
        )
    return org_id, [workflow_id, user.id, user.id, user.id]


def run(url: str, projects: int) -> list[Figures]:
    migrate(url)
    db.configure(url)
    seed_definitions()
    people = []
    for subject, display, email, roles in DEMO_USERS[1:]:
        user = users.upsert(issuer="bench", subject=subject, email=email, display_name=display)
        people.append(Actor.for_user(user.id, set(roles), display))
    _manager, alice, bob = people
    workflow_id = deals.service.default_workflow_id(alice)
    graph = definitions.graph(workflow_id)
    first, second, third = graph.steps[0], graph.steps[1], graph.steps[2]
    # The third step gets a WIP limit (warn: it holds ~14% of the cards, read from its kept
    # count on every move, which then passes with a notice), and the way into it a
    # condition on a field every benchmark deal has: the rules are checked, and pass.
    transitions.update_transition(
        Actor.system(),
        graph.transition(second.id, third.id).id,  # type: ignore[union-attr]
        TransitionUpdate(
            conditions={"required_fields": [{"field": "amount", "condition": "not_null"}]}
        ),
    )
    own = projects - (ORGS - 1) * (projects // ORGS)  # this organization's share
    wip_limit = min(own // 20, 10_000)  # a seventh of the cards are on it: over
    steps.update_step(
        Actor.system(),
        third.id,
        StepUpdate(metadata={**third.metadata, "wip_limit": wip_limit, "wip_policy": "warn"}),
    )
    # The same session settings as the app's own connections (planner, time zone).
    conn = psycopg.connect(dsn(url), options=db.session_options())
    started = time.perf_counter()
    load(conn, workflow_id, [alice.user_id, bob.user_id, _manager.user_id], projects=own)
    for n in range(1, ORGS):
        org_id, owner = _other_organization(f"bench-{n}")
        load(conn, owner[0], owner[1:], projects=projects // ORGS, board_cards=0, org_id=org_id)
    print(
        f"loaded {projects:,} projects and deals in {ORGS} organization(s) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    if UNDER_RLS:  # from here on the services are held to row-level security
        db.configure(harness.as_app_role(url))
        definitions.invalidate()

    # Deals of bob's sitting on the first step: fresh ones for each timed move.
    movable = [
        row[0]
        for row in conn.execute(
            "SELECT d.id FROM deals d JOIN wfm_projects p ON p.id = d.wfm_project_id "
            "WHERE d.user_id = %s AND p.current_step_id = %s LIMIT %s",
            (bob.user_id, first.id, 2 * (ROUNDS + WARMUP)),
        )
    ]
    conn.commit()
    service_moves, raw_moves = movable[0::2], movable[1::2]

    def raw_lookup(_i: int) -> object:
        workflow = conn.execute(
            "SELECT * FROM workflows WHERE id = %s AND org_id = %s", (workflow_id, ORG)
        ).fetchone()
        steps = conn.execute(
            "SELECT s.*, st.name, st.color FROM workflow_steps s JOIN statuses st "
            "ON st.id = s.status_id AND st.org_id = %(org)s "
            "WHERE s.workflow_id = %(wf)s AND s.org_id = %(org)s ORDER BY s.step_order",
            {"wf": workflow_id, "org": ORG},
        ).fetchall()
        transitions = conn.execute(
            "SELECT * FROM workflow_transitions WHERE workflow_id = %s AND org_id = %s",
            (workflow_id, ORG),
        ).fetchall()
        conn.commit()
        return workflow, steps, transitions

    def raw_allowed(_i: int) -> object:
        found = conn.execute(
            "SELECT * FROM workflow_transitions WHERE workflow_id = %s AND from_step_id = %s "
            "AND org_id = %s",
            (workflow_id, first.id, ORG),
        ).fetchall()
        conn.commit()
        return found

    def raw_step_and_history(
        deal_id: object, project_id: object, current: object, to: Any
    ) -> object:
        """Compare-and-set the step (the transition must exist) and write its history row,
        in one statement (the UPDATE a CTE feeding the INSERT), then read back."""
        moved = conn.execute(
            "WITH moved AS (UPDATE wfm_projects SET current_step_id = %(to)s, "
            "step_entered_at = now(), updated_at = now(), updated_by_user_id = %(user)s "
            "WHERE id = %(id)s AND org_id = %(org)s AND current_step_id = %(from)s AND EXISTS "
            "(SELECT 1 FROM workflow_transitions t WHERE t.workflow_id = %(wf)s AND "
            "t.from_step_id = %(from)s AND t.to_step_id = %(to)s AND t.org_id = %(org)s) "
            "RETURNING id) "
            "INSERT INTO wfm_project_history (org_id, id, wfm_project_id, from_step_id, "
            "to_step_id, changed_by_user_id, changed_at) SELECT %(org)s, gen_random_uuid(), "
            "moved.id, %(from)s, %(to)s, %(user)s, now() FROM moved RETURNING id",
            {
                "to": to.id,
                "user": bob.user_id,
                "id": project_id,
                "from": current,
                "wf": workflow_id,
                "org": ORG,
            },
        ).fetchone()
        assert moved is not None
        row = conn.execute(BOARD_SQL, {"deal": deal_id, "org": ORG}).fetchone()
        conn.commit()
        return row

    def raw_move(i: int) -> object:
        deal_id = raw_moves[i]
        owner, assignee, project_id, current = conn.execute(
            "SELECT d.user_id, d.assigned_to_user_id, p.id, p.current_step_id FROM deals d "
            "JOIN wfm_projects p ON p.id = d.wfm_project_id AND p.org_id = %(org)s "
            "WHERE d.id = %(deal)s AND d.org_id = %(org)s FOR UPDATE OF p",
            {"deal": deal_id, "org": ORG},
        ).fetchone()
        assert bob.user_id in (owner, assignee)
        return raw_step_and_history(deal_id, project_id, current, second)

    def raw_rule_move(i: int) -> object:
        """The same move as raw_move, onto a step with a WIP limit through a transition
        with a condition: lock, check the field, lock both ends' kept counts (the triggers
        of migration 0013 write them), read the arriving one, move."""
        deal_id = raw_moves[i]
        owner, amount, project_id, current = conn.execute(
            "SELECT d.user_id, d.amount, p.id, p.current_step_id FROM deals d JOIN "
            "wfm_projects p ON p.id = d.wfm_project_id AND p.org_id = %(org)s "
            "WHERE d.id = %(deal)s AND d.org_id = %(org)s FOR UPDATE OF p",
            {"deal": deal_id, "org": ORG},
        ).fetchone()
        assert owner == bob.user_id and amount is not None
        loads = dict(
            conn.execute(
                "SELECT step_id, active_cards FROM wfm_step_loads WHERE step_id = ANY(%s) "
                "AND org_id = %s ORDER BY step_id FOR UPDATE",
                ([current, third.id], ORG),
            ).fetchall()
        )
        load_now = loads[third.id]
        assert load_now >= wip_limit  # over a warn limit: counted, then let through
        return raw_step_and_history(deal_id, project_id, current, third)

    def raw_create(i: int) -> object:
        project_id = conn.execute(
            "INSERT INTO wfm_projects (org_id, id, project_type_id, workflow_id, current_step_id, "
            "name, is_active, step_entered_at, created_by_user_id, updated_by_user_id, "
            "created_at, updated_at) SELECT pt.org_id, gen_random_uuid(), pt.id, "
            "pt.default_workflow_id, s.id, %s, true, "
            "now(), %s, %s, now(), now() FROM project_types pt JOIN workflow_steps s ON "
            "s.workflow_id = pt.default_workflow_id AND s.is_initial_step AND s.org_id = %s "
            "WHERE pt.name = 'Sales Deal' AND pt.org_id = %s RETURNING id",
            (f"WFM for Deal: Raw {i}", bob.user_id, bob.user_id, ORG, ORG),
        ).fetchone()[0]
        deal_id = conn.execute(
            "INSERT INTO deals (org_id, id, name, amount, currency, user_id, wfm_project_id, "
            "created_at, updated_at) VALUES (%s, gen_random_uuid(), %s, 5000, 'USD', %s, %s, "
            "now(), now()) RETURNING id",
            (ORG, f"Raw {i}", bob.user_id, project_id),
        ).fetchone()[0]
        row = conn.execute(BOARD_SQL, {"deal": deal_id, "org": ORG}).fetchone()
        conn.commit()
        return row

    board_params = {
        "org": ORG,
        "wf": workflow_id,
        "owner": alice.user_id,
        **{f"s{i}": step.id for i, step in enumerate(graph.steps)},
    }

    def raw_board(_i: int) -> object:
        """The same result as the service: each column's first 20 of alice's deals, newest
        in the step first, and every column's count and total (RAW_BOARD_*)."""
        rows = conn.execute(RAW_BOARD_PAGES, board_params).fetchall()
        totals = conn.execute(RAW_BOARD_TOTALS, board_params).fetchall()
        conn.commit()
        columns: dict[object, list[object]] = {step.id: [] for step in graph.steps}
        for row in rows:
            columns[row[12]].append(row)  # current_step_id
        return columns, totals

    for label, statement in (("pages", RAW_BOARD_PAGES), ("totals", RAW_BOARD_TOTALS)):
        plan = conn.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + statement, board_params
        ).fetchall()
        conn.commit()
        print(f"raw board {label}, EXPLAIN ANALYZE at {projects:,} projects:")
        print("\n".join("    " + line[0] for line in plan))

    board = deals.service.board(alice)
    cards = sum(column.count for column in board.columns)
    assert cards == min(BOARD_CARDS, own), cards
    results = [
        measure(
            "workflow lookup",
            lambda _i: workflows.get_by_id(alice, workflow_id),
            raw_lookup,
            ROUNDS,
        ),
        measure(
            "allowed transitions",
            lambda _i: workflows.allowed_transitions(alice, workflow_id, first.id),
            raw_allowed,
            ROUNDS,
        ),
        measure(
            "move (validate+update+history)",
            lambda i: deals.service.move(bob, service_moves[i], second.id),
            raw_move,
            ROUNDS,
        ),
        measure(
            "move with condition + WIP limit",
            lambda i: deals.service.move(bob, service_moves[i], third.id),
            raw_rule_move,
            ROUNDS,
        ),
        measure(
            "create deal with WFM project",
            lambda i: deals.service.create(
                bob, deals.DealCreate(name=f"Service {i}", amount=Decimal(5000))
            ),
            raw_create,
            ROUNDS,
        ),
        measure(
            f"board load ({BOARD_CARDS:,} deals)",
            lambda _i: deals.service.board(alice),
            raw_board,
            BOARD_ROUNDS,
        ),
    ]
    conn.close()
    print(
        f"PostgreSQL, {projects:,} projects in {ORGS} organization(s), the services "
        + ("under row-level security" if UNDER_RLS else "as the tables' owner (no RLS)")
        + "; milliseconds per operation"
    )
    headings = ["svc med", "svc p95", "raw med", "raw p95"]
    print(f"{'operation':<34} " + " ".join(f"{h:>9}" for h in headings) + f" {'ratio':>7}")
    for figures in results:
        print(figures.row())
    by_name = {f.name.split(" (")[0]: f for f in results}
    print(
        "targets: every ratio <= 2.00; allowed transitions < 0.05 ms (got "
        f"{statistics.median(by_name['allowed transitions'].service):.4f}); move and create "
        f"< 5 ms median (got {statistics.median(by_name['move'].service):.2f} and "
        f"{statistics.median(by_name['create deal with WFM project'].service):.2f})"
    )
    return results


if __name__ == "__main__":
    main()
