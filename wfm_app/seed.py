"""The spec's definitions (and optional demo data), loaded idempotently by `wfm seed`."""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import select

from wfm_app.auth import users
from wfm_app.auth.actor import ADMIN, MANAGER, MEMBER, PERMISSION_DESCRIPTIONS, Actor
from wfm_app.auth.models import Permission
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, project_types, statuses, steps, transitions, workflows
from wfm_app.engine.schemas import (
    ProjectTypeCreate,
    StatusCreate,
    StepCreate,
    TransitionCreate,
    WorkflowCreate,
    WorkflowGraph,
)
from wfm_app.entities import deals, leads
from wfm_app.settings import settings


@dataclass(frozen=True)
class StepSpec:
    status: str
    color: str
    description: str
    metadata: dict[str, Any]
    initial: bool = False
    final: bool = False


@dataclass(frozen=True)
class WorkflowSpec:
    name: str
    description: str
    steps: list[StepSpec]
    # open steps move forward and back; every open step may go to the lost step
    lost_status: str
    project_type: str
    project_type_description: str
    icon_name: str
    extra: list[tuple[str, str]] = field(default_factory=list)


def _open(name: str, key: str, probability: int, color: str, description: str) -> StepSpec:
    return StepSpec(
        name, color, description, {"name": name, key: probability, "outcome_type": "OPEN"}
    )


SALES = WorkflowSpec(
    name="Standard Sales Process",
    description="From first contact to a signed contract (or a lost deal).",
    steps=[
        StepSpec(
            "Prospecting",
            "#94A3B8",
            "A possible deal, not yet qualified.",
            {"name": "Prospecting", "deal_probability": 10, "outcome_type": "OPEN"},
            initial=True,
        ),
        _open(
            "Qualification",
            "deal_probability",
            25,
            "#60A5FA",
            "Budget, authority, need and timing are being confirmed.",
        ),
        _open("Proposal", "deal_probability", 50, "#A78BFA", "A proposal has been sent."),
        _open(
            "Negotiation",
            "deal_probability",
            75,
            "#F59E0B",
            "Terms and price are being negotiated.",
        ),
        _open(
            "Contract Sent", "deal_probability", 90, "#F97316", "The contract is out for signature."
        ),
        StepSpec(
            "Closed Won",
            "#22C55E",
            "The customer signed.",
            {"name": "Closed Won", "deal_probability": 100, "outcome_type": "WON"},
            final=True,
        ),
        StepSpec(
            "Closed Lost",
            "#EF4444",
            "The deal will not happen.",
            {"name": "Closed Lost", "deal_probability": 0, "outcome_type": "LOST"},
            final=True,
        ),
    ],
    lost_status="Closed Lost",
    project_type="Sales Deal",
    project_type_description="A sales opportunity moving through the sales pipeline.",
    icon_name="handshake",
)

LEADS = WorkflowSpec(
    name="Lead Qualification",
    description="From a new lead to a qualified (or disqualified) prospect.",
    steps=[
        StepSpec(
            "New Lead",
            "#38BDF8",
            "Just arrived; nobody has talked to them yet.",
            {
                "name": "New Lead",
                "lead_probability": 10,
                "lead_score_threshold": 0,
                "outcome_type": "OPEN",
            },
            initial=True,
        ),
        StepSpec(
            "Contacted",
            "#818CF8",
            "First contact made.",
            {
                "name": "Contacted",
                "lead_probability": 30,
                "lead_score_threshold": 25,
                "outcome_type": "OPEN",
                "required_activities": ["initial_contact"],
            },
        ),
        StepSpec(
            "Nurturing",
            "#FBBF24",
            "Interested, not ready to buy yet.",
            {
                "name": "Nurturing",
                "lead_probability": 50,
                "lead_score_threshold": 50,
                "outcome_type": "OPEN",
                "required_activities": ["discovery_call"],
            },
        ),
        StepSpec(
            "Qualified",
            "#10B981",
            "Ready to become a deal.",
            {
                "name": "Qualified",
                "lead_probability": 100,
                "lead_score_threshold": 75,
                "outcome_type": "WON",
            },
            final=True,
        ),
        StepSpec(
            "Disqualified",
            "#F43F5E",
            "Not a fit.",
            {"name": "Disqualified", "lead_probability": 0, "outcome_type": "LOST"},
            final=True,
        ),
    ],
    lost_status="Disqualified",
    project_type="Lead Management",
    project_type_description="A lead being qualified before it becomes a deal.",
    icon_name="user-plus",
)


def _transition_plan(spec: WorkflowSpec) -> list[tuple[str, str, str]]:
    """(from status, to status, name): forward, backward, and any open step to lost."""
    open_steps = [step.status for step in spec.steps if not step.final]
    won = next(step.status for step in spec.steps if step.final and step.status != spec.lost_status)
    path = [*open_steps, won]
    plan = [(a, b, "Advance") for a, b in itertools.pairwise(path)]
    plan += [(b, a, "Send back") for a, b in itertools.pairwise(open_steps)]
    plan += [(name, spec.lost_status, "Mark lost") for name in open_steps]
    return plan


def _seed_workflow(actor: Actor, spec: WorkflowSpec) -> WorkflowGraph:
    status_ids: dict[str, uuid.UUID] = {}
    for step in spec.steps:
        existing = statuses.get_by_name(actor, step.status)
        status_ids[step.status] = (
            existing
            or statuses.create(
                actor,
                StatusCreate(name=step.status, description=step.description, color=step.color),
            )
        ).id
    workflow = workflows.get_by_name(actor, spec.name) or workflows.create(
        actor, WorkflowCreate(name=spec.name, description=spec.description)
    )
    present = {step.status.id for step in definitions.graph(workflow.id).steps}
    for step in spec.steps:
        if status_ids[step.status] not in present:
            steps.create_step(
                actor,
                StepCreate(
                    workflow_id=workflow.id,
                    status_id=status_ids[step.status],
                    is_initial_step=step.initial,
                    is_final_step=step.final,
                    metadata=step.metadata,
                ),
            )
    graph = definitions.graph(workflow.id)
    step_of = {step.status.name: step.id for step in graph.steps}
    for source, target, name in _transition_plan(spec):
        if graph.transition(step_of[source], step_of[target]) is None:
            transitions.create_transition(
                actor,
                TransitionCreate(
                    workflow_id=workflow.id,
                    from_step_id=step_of[source],
                    to_step_id=step_of[target],
                    name=name,
                ),
            )
    if project_types.get_by_name(actor, spec.project_type) is None:
        project_types.create(
            actor,
            ProjectTypeCreate(
                name=spec.project_type,
                description=spec.project_type_description,
                default_workflow_id=workflow.id,
                icon_name=spec.icon_name,
            ),
        )
    return definitions.graph(workflow.id)


def _seed_permissions() -> None:
    with unit_of_work() as uow:
        have = {(row.resource, row.action) for row in uow.session.exec(select(Permission)).all()}
        for name, description in PERMISSION_DESCRIPTIONS.items():
            resource, action = name.split(":")
            if (resource, action) not in have:
                uow.session.add(
                    Permission(resource=resource, action=action, description=description)
                )


def seed_definitions() -> None:
    actor = Actor.system()
    with unit_of_work():
        _seed_permissions()
        _seed_workflow(actor, SALES)
        _seed_workflow(actor, LEADS)


# ---- demo data ---------------------------------------------------------------------------

DEMO_USERS = [
    # subject, name, email, roles (the development identity provider gets the same list)
    ("admin", "Ada Admin", "ada.admin@example.com", [ADMIN]),
    ("manager", "Max Manager", "max.manager@example.com", [MANAGER]),
    ("alice", "Alice Member", "alice@example.com", [MEMBER]),
    ("bob", "Bob Member", "bob@example.com", [MEMBER]),
]

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
            if s and s.step_order > current.step_order and s.metadata.get("outcome_type") != "LOST"
        ]
        if not ahead:
            break
        current = ahead[0]
        path.append(current.id)
    if lost and current is not None:
        losing = [graph.step(t.to_step_id) for t in graph.allowed_from(current.id)]
        path += [s.id for s in losing if s and s.metadata.get("outcome_type") == "LOST"][:1]
    return path


def seed_demo() -> int:
    """Demo users with deals and leads spread over the steps; returns how many were made."""
    seed_definitions()
    actors = []
    for subject, name, email, roles in DEMO_USERS:
        user = users.upsert(
            issuer=settings.oidc_issuer, subject=subject, email=email, display_name=name
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
            deals.service.move(owner, deal.id, target)
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
            ),
        )
        for target in _walk_to(lead_graph, rng.randrange(0, 4), lost=rng.random() < 0.15):
            leads.service.move(owner, lead.id, target)
        made += 1
    return made
