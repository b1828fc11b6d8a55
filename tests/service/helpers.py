"""Small readers for assertions: what the database holds, counted directly."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from wfm_app import db
from wfm_app.auth.actor import Actor
from wfm_app.engine import definitions
from wfm_app.engine.schemas import StepRead, WorkflowGraph
from wfm_app.entities import deals, leads, tickets


def count(model: Any, *where: Any) -> int:
    with db.get_engine().connect() as conn:
        query = select(func.count()).select_from(model)
        for condition in where:
            query = query.where(condition)
        return int(conn.execute(query).scalar_one())


def sales_graph() -> WorkflowGraph:
    return definitions.graph(deals.service.default_workflow_id(Actor.system()))


def lead_graph() -> WorkflowGraph:
    return definitions.graph(leads.service.default_workflow_id(Actor.system()))


def ticket_graph() -> WorkflowGraph:
    return definitions.graph(tickets.service.default_workflow_id(Actor.system()))


def step_named(graph: WorkflowGraph, name: str) -> StepRead:
    return next(step for step in graph.steps if step.display_name == name)


def approve_contract(people: Any, deal: Any) -> None:
    """The seeded "Contract Sent" approvals, given by their roles (manager, admin)."""
    from wfm_app.engine.branches import decisions

    graph = definitions.graph(deal.wfm.workflow_id)
    contract = step_named(graph, "Contract Sent")
    approvers = {"Legal review": people.manager, "Finance approval": people.admin}
    for branch in graph.branches_on(contract.id):
        decisions.act(approvers[branch.name], deal.wfm.wfm_project_id, branch.id, "approve")


def make_process(admin: Any, name: str, step_names: list[str], moves: list[tuple[int, int]]) -> Any:
    """A workflow of ``step_names`` (the first initial, the last final) with the ``moves``
    (pairs of step indexes) as its transitions, and a project type of the same name on it.
    Returns the project type."""
    from wfm_app.engine import project_types, statuses, steps, transitions, workflows
    from wfm_app.engine.schemas import (
        ProjectTypeCreate,
        StatusCreate,
        StepCreate,
        TransitionCreate,
        WorkflowCreate,
    )

    flow = workflows.create(admin, WorkflowCreate(name=name))
    made = []
    for order, step_name in enumerate(step_names, start=1):
        status = statuses.create(admin, StatusCreate(name=f"{name}: {step_name}"))
        made.append(
            steps.create_step(
                admin,
                StepCreate(
                    workflow_id=flow.id,
                    status_id=status.id,
                    step_order=order,
                    is_initial_step=order == 1,
                    is_final_step=order == len(step_names),
                    metadata={"name": step_name},
                ),
            )
        )
    for source, target in moves:
        transitions.create_transition(
            admin,
            TransitionCreate(
                workflow_id=flow.id, from_step_id=made[source].id, to_step_id=made[target].id
            ),
        )
    return project_types.create(admin, ProjectTypeCreate(name=name, default_workflow_id=flow.id))
