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
