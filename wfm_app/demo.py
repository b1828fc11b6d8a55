"""Demo users, deals, leads and tickets spread over the steps (`wfm seed --demo`)."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from wfm_app.auth import users
from wfm_app.auth.actor import ADMIN, MANAGER, MEMBER, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, step_settings
from wfm_app.engine.branches import decisions, gate
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.rules import MoveRequest
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.entities import deals, leads, tickets
from wfm_app.seed import seed_definitions
from wfm_app.settings import settings
from wfm_app.sqltypes import table_of, utc_now

DEMO_USERS = [
    # subject, name, email, roles (the development identity provider gets the same list)
    ("admin", "Ada Admin", "ada.admin@example.com", [ADMIN]),
    ("manager", "Max Manager", "max.manager@example.com", [MANAGER]),
    ("alice", "Alice Member", "alice@example.com", [MEMBER]),
    ("bob", "Bob Member", "bob@example.com", [MEMBER]),
]
# Bob's identity provider gives a picture (the `picture` claim): a 24 px PNG, inline
BOB_PICTURE = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAVElEQVR42mPgndJBFcQwahB1DHrw6SOl"
    "BgGNQEZkGoRmCn6zaG8QVlPwmDWEvEbNWKNmOhpMKZs60Y/HFFxmMZBhClazGMgzBdMsBrJNQTNrGBsE"
    "AGbapkpN3at5AAAAAElFTkSuQmCC"
)

_COMPANIES = [
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Industries",
    "Wayne Logistics",
    "Hooli",
    "Pied Piper",
    "Vandelay Imports",
    "Soylent Foods",
    "Tyrell Systems",
    "Cyberdyne",
    "Massive Dynamic",
    "Wonka Confectionery",
    "Oscorp",
    "Aperture Labs",
    "Gringotts Bank",
    "Monarch Solutions",
    "Blue Sun",
    "Nakatomi Trading",
]
_DEAL_SUBJECTS = [
    "annual licence",
    "platform upgrade",
    "support renewal",
    "pilot project",
    "data migration",
    "onboarding package",
    "enterprise rollout",
    "training programme",
]
_TICKET_SUBJECTS = [
    "cannot sign in",
    "invoice shows the wrong VAT",
    "export to CSV times out",
    "request for an API key",
    "dashboard loads slowly",
    "password reset e-mail never arrives",
    "wrong time zone on reports",
    "add a second administrator",
    "data import failed halfway",
    "mobile app crashes on start",
    "question about the renewal",
    "webhook deliveries stopped",
]
_FIRST_NAMES = ["Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger"]


def _walk_to(graph: WorkflowGraph, steps_forward: int, lost: bool) -> list[uuid.UUID]:
    """Target steps for a card that advanced ``steps_forward`` times (then maybe lost)."""
    path: list[uuid.UUID] = []
    current = graph.initial_step
    for _ in range(steps_forward):
        if current is None:
            break
        forward = [graph.step(t.to_step_id) for t in graph.allowed_from(current.id)]
        ahead = [
            s
            for s in forward
            if s and s.step_order > current.step_order and not step_settings.of(s).is_lost
        ]
        if not ahead:
            break
        current = ahead[0]
        path.append(current.id)
    if lost and current is not None:
        losing = [graph.step(t.to_step_id) for t in graph.allowed_from(current.id)]
        path += [s.id for s in losing if s and step_settings.of(s).is_lost][:1]
    return path


def _reason(graph: WorkflowGraph, target: uuid.UUID) -> MoveRequest | None:
    """Losing a deal takes a reason (the seeded Standard Sales Process asks for one)."""
    step = graph.step(target)
    lost = step is not None and step_settings.of(step).is_lost
    return MoveRequest(comment="Chose another supplier.") if lost else None


def _approve_what_waits(actors: list[Actor], deal_id: uuid.UUID, target: uuid.UUID) -> None:
    """A deal won from "Contract Sent" was approved by Legal and Finance first."""
    deal = deals.service.get_by_id(Actor.system(), deal_id)
    step = deal.wfm.step if deal else None
    if deal is None or step is None:
        return
    graph = definitions.graph(deal.wfm.workflow_id)
    to_step = graph.step(target)
    for branch in gate.gating(graph, step.id, to_step) if to_step else []:
        approver = next(a for a in actors if a.roles.intersection(branch.allowed_roles))
        decisions.act(approver, deal.wfm.wfm_project_id, branch.id, "approve", "Looks fine.")


def seed_demo() -> int:
    """Demo users with deals and leads spread over the steps; returns how many were made."""
    seed_definitions()
    actors = []
    for subject, name, email, roles in DEMO_USERS:
        picture = BOB_PICTURE if subject == "bob" else None
        user = users.upsert(
            issuer=settings.oidc_issuer,
            subject=subject,
            email=email,
            display_name=name,
            avatar_url=picture,
        )
        actors.append(Actor.for_user(user.id, set(roles), name))
    owners = actors[1:]  # the manager and the members own the demo work
    if deals.service.get_all(Actor.system()):
        return 0
    rng = random.Random(20251125)
    made = 0
    deal_graph = definitions.graph(deals.service.default_workflow_id(Actor.system()))
    for index in range(36):
        owner = owners[index % len(owners)]
        company = _COMPANIES[index % len(_COMPANIES)]
        deal = deals.service.create(
            owner,
            deals.DealCreate(
                name=f"{company} {rng.choice(_DEAL_SUBJECTS)}",
                amount=Decimal(rng.randrange(20, 400) * 250),
                expected_close_date=date.today() + timedelta(days=rng.randrange(7, 120)),
            ),
        )
        for target in _walk_to(deal_graph, rng.randrange(0, 6), lost=rng.random() < 0.12):
            _approve_what_waits(actors, deal.id, target)
            deals.service.move(owner, deal.id, target, request=_reason(deal_graph, target))
        made += 1
    lead_graph = definitions.graph(leads.service.default_workflow_id(Actor.system()))
    for index in range(24):
        owner = owners[index % len(owners)]
        company = _COMPANIES[(index * 7) % len(_COMPANIES)]
        first = _FIRST_NAMES[index % len(_FIRST_NAMES)]
        lead = leads.service.create(
            owner,
            leads.LeadCreate(
                name=f"{first} at {company}",
                company=company,
                email=f"{first.lower()}@{company.split()[0].lower()}.example.com",
                score=rng.randrange(5, 100),
                # not from rng: the draws after this one keep the demo as it was
                estimated_value=Decimal(5_000 + (index * 3_517) % 60_000),
            ),
        )
        for target in _walk_to(lead_graph, rng.randrange(0, 4), lost=rng.random() < 0.15):
            leads.service.move(owner, lead.id, target)
        made += 1
    ticket_graph = definitions.graph(tickets.service.default_workflow_id(Actor.system()))
    for index, subject in enumerate(_TICKET_SUBJECTS):
        owner = owners[index % len(owners)]
        company = _COMPANIES[(index * 3) % len(_COMPANIES)]
        ticket = tickets.service.create(
            owner,
            tickets.TicketCreate(
                name=f"{company}: {subject}",
                priority=tickets.PRIORITIES[index % len(tickets.PRIORITIES)],
                customer_email=f"help@{company.split()[0].lower()}.example.com",
                due_date=date.today() + timedelta(days=rng.randrange(1, 21)),
            ),
        )
        for target in _walk_to(ticket_graph, rng.randrange(0, 5), lost=False):
            tickets.service.move(owner, ticket.id, target)
        made += 1
    _age(rng)
    return made


def _age(rng: random.Random) -> None:
    """Spread the demo work over the last 90 days: each card starts on a random day and
    its moves follow hours to days apart, so boards show ages, rotting deals and breached
    SLAs, and the analytics page has time in step, flow and throughput to show.
    Done in Python: SQLite has no timestamp arithmetic."""
    projects = table_of(WfmProject)
    history = table_of(WfmProjectHistory)
    now = utc_now()
    with unit_of_work() as uow:
        starts = uow.session.execute(select(projects.c.id).order_by(projects.c.created_at))
        moves: dict[uuid.UUID, list[uuid.UUID]] = {row.id: [] for row in starts}
        for move in uow.session.execute(
            select(history.c.id, history.c.wfm_project_id).order_by(
                history.c.wfm_project_id, history.c.changed_at
            )
        ):
            moves[move.wfm_project_id].append(move.id)
        for project_id, story in moves.items():
            at = now - timedelta(hours=rng.randrange(2 * 24, 90 * 24))
            created = at
            for move_id in story:  # hours to a week apart, never later than an hour ago
                entered = at
                at = min(at + timedelta(hours=rng.randrange(2, 7 * 24)), now - timedelta(hours=1))
                uow.session.execute(
                    update(history)
                    .where(history.c.id == move_id)
                    .values(changed_at=at, from_entered_at=entered)
                )
            uow.session.execute(
                update(projects)
                .where(projects.c.id == project_id)
                .values(created_at=created, step_entered_at=at)
            )
