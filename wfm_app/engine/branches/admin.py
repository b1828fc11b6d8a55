"""Defining branches on a step (admins): checked against the workflow, each problem a
sentence naming its field; cards already on the step get their instances at once."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import Field
from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from wfm_app.auth.actor import ROLE_PERMISSIONS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions
from wfm_app.engine.access import require_access, require_definitions_manager
from wfm_app.engine.branches import moves
from wfm_app.engine.branches.models import WfmBranchInstance, WorkflowBranch
from wfm_app.engine.branches.stored import branch_read
from wfm_app.engine.common import get_or_404
from wfm_app.engine.inputs import Input, Name
from wfm_app.engine.models import WfmProject, WorkflowStep
from wfm_app.engine.schemas import BranchRead, WorkflowGraph
from wfm_app.errors import Conflict, ValidationFailed
from wfm_app.sqltypes import table_of, utc_now

MODES = ("all_approved", "any_approved")
MAX_BRANCHES_PER_STEP = 20
_instances = table_of(WfmBranchInstance)
_projects = table_of(WfmProject)


class BranchCreate(Input):
    workflow_step_id: uuid.UUID
    name: Name
    allowed_roles: list[str] = Field(min_length=1, max_length=10)
    merge_mode: str = "all_approved"
    # The steps whose moves wait on it; None: every later step that is not a LOST outcome.
    gates_step_ids: list[uuid.UUID] | None = Field(default=None, max_length=100)
    branch_workflow_id: uuid.UUID | None = None
    position: int = Field(default=0, ge=0, le=10_000)


class BranchUpdate(Input):
    """Only the fields that were given change; ``gates_step_ids`` given as None resets it."""

    name: Name | None = None
    allowed_roles: list[str] | None = Field(default=None, min_length=1, max_length=10)
    merge_mode: str | None = None
    gates_step_ids: list[uuid.UUID] | None = Field(default=None, max_length=100)
    branch_workflow_id: uuid.UUID | None = None
    position: int | None = Field(default=None, ge=0, le=10_000)


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: message})


def _check_roles(roles: list[str]) -> list[str]:
    wrong = [role for role in roles if role not in ROLE_PERMISSIONS]
    if wrong:
        known = ", ".join(ROLE_PERMISSIONS)
        raise _refuse("allowed_roles", f"Unknown role {', '.join(wrong)}; use {known}.")
    return sorted(set(roles))


def _check_mode(mode: str) -> str:
    if mode not in MODES:
        raise _refuse("merge_mode", f"The merge condition must be one of {', '.join(MODES)}.")
    return mode


def _check_gates(graph: WorkflowGraph, step_id: uuid.UUID, gates: list[uuid.UUID]) -> list[str]:
    for target in gates:
        if graph.step(target) is None or target == step_id:
            raise _refuse(
                "gates_step_ids",
                f'Gated moves must go to other steps of workflow "{graph.workflow.name}".',
            )
    return [str(target) for target in dict.fromkeys(gates)]


def _check_branch_workflow(graph: WorkflowGraph, workflow_id: uuid.UUID | None) -> None:
    if workflow_id is None:
        return
    if workflow_id == graph.id:
        raise _refuse("branch_workflow_id", "A branch cannot run the workflow it is part of.")
    own = definitions.graph(workflow_id)
    if own.initial_step is None or not any(step.is_final_step for step in own.steps):
        raise _refuse(
            "branch_workflow_id",
            f'Workflow "{own.workflow.name}" needs an initial and a final step to run a branch.',
        )


def _check_name(
    session: Session, step_id: uuid.UUID, name: str, except_id: uuid.UUID | None
) -> None:
    table = table_of(WorkflowBranch)
    query = select(table.c.id).where(
        table.c.workflow_step_id == step_id,
        func.lower(table.c.branch_name) == name.lower(),
    )
    if except_id is not None:
        query = query.where(table.c.id != except_id)
    if session.scalars(query).first() is not None:
        raise Conflict(f'This step already has a branch named "{name}".')


def open_for_cards_on_step(session: Session, branch: WorkflowBranch) -> None:
    """A new branch applies to the cards already on its step too."""
    project_ids = session.scalars(
        select(_projects.c.id).where(
            _projects.c.current_step_id == branch.workflow_step_id, _projects.c.is_active
        )
    ).all()
    moves.open_new(session, project_ids, [branch_read(branch)])


def get_all(actor: Actor | None, workflow_id: uuid.UUID) -> tuple[BranchRead, ...]:
    require_access(actor)
    return definitions.graph(workflow_id).branches


def create(actor: Actor | None, data: BranchCreate) -> BranchRead:
    actor = require_definitions_manager(actor)
    with unit_of_work() as uow:
        session = uow.session
        step = get_or_404(session, WorkflowStep, data.workflow_step_id, "Workflow step")
        graph = definitions.graph(step.workflow_id)
        if len(graph.branches_on(step.id)) >= MAX_BRANCHES_PER_STEP:
            raise _refuse(
                "workflow_step_id", f"A step has at most {MAX_BRANCHES_PER_STEP} branches."
            )
        _check_name(session, step.id, data.name, None)
        _check_branch_workflow(graph, data.branch_workflow_id)
        merge: dict[str, Any] = {"mode": _check_mode(data.merge_mode)}
        if data.gates_step_ids is not None:
            merge["to_step_ids"] = _check_gates(graph, step.id, data.gates_step_ids)
        row = WorkflowBranch(
            parent_workflow_id=step.workflow_id,
            workflow_step_id=step.id,
            branch_name=data.name,
            merge_condition=merge,
            allowed_roles=_check_roles(data.allowed_roles),
            branch_workflow_id=data.branch_workflow_id,
            position=data.position,
        )
        session.add(row)
        session.flush()
        open_for_cards_on_step(session, row)
        definitions.mark_changed(uow)
        return branch_read(row)


def update(actor: Actor | None, branch_id: uuid.UUID, data: BranchUpdate) -> BranchRead:
    actor = require_definitions_manager(actor)
    given = data.model_fields_set
    with unit_of_work() as uow:
        session = uow.session
        row = get_or_404(session, WorkflowBranch, branch_id, "Branch")
        graph = definitions.graph(row.parent_workflow_id)
        if data.name is not None:
            _check_name(session, row.workflow_step_id, data.name, row.id)
            row.branch_name = data.name
        if data.allowed_roles is not None:
            row.allowed_roles = _check_roles(data.allowed_roles)
        merge = dict(row.merge_condition or {})
        if data.merge_mode is not None:
            merge["mode"] = _check_mode(data.merge_mode)
        if "gates_step_ids" in given:
            merge.pop("to_step_ids", None)
            if data.gates_step_ids is not None:
                merge["to_step_ids"] = _check_gates(
                    graph, row.workflow_step_id, data.gates_step_ids
                )
        row.merge_condition = merge
        if "branch_workflow_id" in given and data.branch_workflow_id != row.branch_workflow_id:
            _check_branch_workflow(graph, data.branch_workflow_id)
            open_count = session.scalar(
                select(func.count())
                .select_from(_instances)
                .where(_instances.c.branch_id == row.id, _instances.c.is_open)
            )
            if open_count:
                raise Conflict(
                    f'{open_count} card(s) are on branch "{row.branch_name}" now; its workflow '
                    "can change once they have left the step."
                )
            row.branch_workflow_id = data.branch_workflow_id
        if data.position is not None:
            row.position = data.position
        row.updated_at = utc_now()
        session.add(row)
        session.flush()
        definitions.mark_changed(uow)
        return branch_read(row)


def delete_branch(actor: Actor | None, branch_id: uuid.UUID) -> None:
    """Its instances and their history go with it: moves stop waiting on it."""
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        get_or_404(uow.session, WorkflowBranch, branch_id, "Branch")
        uow.session.execute(delete(WorkflowBranch).where(col(WorkflowBranch.id) == branch_id))
        definitions.mark_changed(uow)
