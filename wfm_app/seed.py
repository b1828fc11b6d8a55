"""The spec's definitions (and optional demo data), loaded idempotently by `wfm seed`."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import select

import wfm_app.entities  # noqa: F401  (the built-in kinds, whose fields the seeded conditions name)
from wfm_app.auth.actor import ADMIN, MANAGER, PERMISSION_DESCRIPTIONS, Actor
from wfm_app.auth.models import Permission
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, project_types, statuses, steps, transitions, workflows
from wfm_app.engine.automation import rule_admin
from wfm_app.engine.automation.config import RuleCreate
from wfm_app.engine.branches import admin as branch_admin
from wfm_app.engine.branches.admin import BranchCreate
from wfm_app.engine.schemas import (
    ProjectTypeCreate,
    StatusCreate,
    StepCreate,
    TransitionCreate,
    WorkflowCreate,
    WorkflowGraph,
)


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
    # open steps move forward and back; every open step may go to the lost step (if any)
    lost_status: str | None
    project_type: str
    project_type_description: str
    icon_name: str
    extra: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, name)
    # conditions on every transition into a step, by the step's status
    entry_conditions: dict[str, dict[str, Any]] = field(default_factory=dict)


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
        StepSpec(
            "Negotiation",
            "#F59E0B",
            "Terms and price are being negotiated.",
            {
                "name": "Negotiation",
                "deal_probability": 75,
                "outcome_type": "OPEN",
                "wip_limit": 10,
                "wip_policy": "warn",
                "rotting_days": 14,
            },
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
    entry_conditions={
        "Proposal": {
            "required_fields": [
                {
                    "field": "expected_close_date",
                    "condition": "not_null",
                    "error_message": "Expected close date is required",
                }
            ]
        },
        "Closed Lost": {"require_comment": True},
    },
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
        # Where "Convert to deal" takes a qualified lead (entities/conversion.py).
        StepSpec(
            "Converted",
            "#8B5CF6",
            "Became a deal.",
            {"name": "Converted", "lead_probability": 100, "outcome_type": "CONVERTED"},
            final=True,
        ),
    ],
    lost_status="Disqualified",
    project_type="Lead Management",
    project_type_description="A lead being qualified before it becomes a deal.",
    icon_name="user-plus",
    extra=[("Qualified", "Converted", "Convert to deal")],
)


def _support_step(
    name: str, color: str, description: str, sla_hours: int | None = None, **flags: bool
) -> StepSpec:
    outcome = "WON" if flags.get("final") else "OPEN"
    metadata: dict[str, Any] = {"name": name, "outcome_type": outcome}
    if sla_hours:
        metadata["sla_hours"] = sla_hours
    return StepSpec(name, color, description, metadata, **flags)


SUPPORT = WorkflowSpec(
    name="Support Process",
    description="From a customer's request to a closed ticket (reopened when it comes back).",
    steps=[
        _support_step(
            "New", "#94A3B8", "Just reported; nobody has looked yet.", sla_hours=8, initial=True
        ),
        _support_step("Triaged", "#60A5FA", "Understood, prioritised and assigned."),
        _support_step("In Progress", "#A78BFA", "Someone is working on it."),
        _support_step("Waiting on Customer", "#F59E0B", "We need something from the customer."),
        _support_step("Resolved", "#10B981", "Fixed or answered; the customer may confirm."),
        _support_step("Closed", "#64748B", "Done.", final=True),
    ],
    lost_status=None,
    project_type="Support Ticket",
    project_type_description="A customer request handled by the support team.",
    icon_name="life-buoy",
    extra=[("Resolved", "In Progress", "Reopen")],
)


def _transition_plan(spec: WorkflowSpec) -> list[tuple[str, str, str]]:
    """(from status, to status, name): forward, backward, any open step to lost, extras."""
    open_steps = [step.status for step in spec.steps if not step.final]
    won = next(step.status for step in spec.steps if step.final and step.status != spec.lost_status)
    path = [*open_steps, won]
    plan = [(a, b, "Advance") for a, b in itertools.pairwise(path)]
    plan += [(b, a, "Send back") for a, b in itertools.pairwise(open_steps)]
    if spec.lost_status:
        plan += [(name, spec.lost_status, "Mark lost") for name in open_steps]
    return plan + [(a, b, name) for a, b, name in spec.extra]


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
                    conditions=spec.entry_conditions.get(target),
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


# Entering "Closed Won" tells the managers.
WON_RULE = "Tell managers about won deals"


def _seed_rules(actor: Actor, graph: WorkflowGraph) -> None:
    if any(rule.name == WON_RULE for rule in rule_admin.get_all(actor, graph.id)):
        return
    won = next(step for step in graph.steps if step.status.name == "Closed Won")
    rule_admin.create(
        actor,
        RuleCreate(
            name=WON_RULE,
            workflow_id=graph.id,
            workflow_step_id=won.id,
            trigger_event="step_entered",
            action_config={"type": "notify", "to": "role", "role": MANAGER},
        ),
    )


# "Contract Sent" waits on Legal and Finance at once before the deal may be won.
APPROVALS = (("Legal review", MANAGER), ("Finance approval", ADMIN))


def _seed_branches(actor: Actor, graph: WorkflowGraph) -> None:
    step_of = {step.status.name: step.id for step in graph.steps}
    contract, won = step_of["Contract Sent"], step_of["Closed Won"]
    present = {branch.name for branch in graph.branches_on(contract)}
    for position, (name, role) in enumerate(APPROVALS):
        if name not in present:
            branch_admin.create(
                actor,
                BranchCreate(
                    workflow_step_id=contract,
                    name=name,
                    allowed_roles=[role],
                    merge_mode="all_approved",
                    gates_step_ids=[won],
                    position=position,
                ),
            )


def seed_definitions() -> None:
    actor = Actor.system()
    with unit_of_work():
        _seed_permissions()
        sales = _seed_workflow(actor, SALES)
        _seed_rules(actor, sales)
        _seed_branches(actor, sales)
        _seed_workflow(actor, LEADS)
        _seed_workflow(actor, SUPPORT)
