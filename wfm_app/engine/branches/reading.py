"""A card's branch instances as people and boards see them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, select
from sqlmodel import Session

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.auth.models import User
from wfm_app.db import unit_of_work
from wfm_app.engine import access, definitions, ownership, projects, versions
from wfm_app.engine.branches.models import WfmBranchAction, WfmBranchInstance
from wfm_app.engine.models import WfmProject
from wfm_app.engine.schemas import BranchRead
from wfm_app.errors import NotFound
from wfm_app.sqltypes import among, table_of

_instances = table_of(WfmBranchInstance)
_actions = table_of(WfmBranchAction)
_projects = table_of(WfmProject)
_users = table_of(User)


@dataclass(frozen=True, slots=True)
class BranchInstanceRead:
    project_id: uuid.UUID
    branch: BranchRead
    state: str  # pending | approved | rejected
    step_name: str | None  # where it stands on the branch's own workflow, if any
    is_open: bool
    acted_by_user_id: uuid.UUID | None
    acted_by_name: str | None
    acted_at: datetime | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class BranchActionRead:
    """One decision on a branch (approve, reject, or a step of its own workflow)."""

    branch_name: str
    action: str
    state: str  # the branch's state after it
    acted_by_name: str | None
    acted_at: datetime
    comment: str | None


def instances_of(
    session: Session,
    project_ids: list[uuid.UUID],
    *,
    open_only: bool = True,
    branch_id: uuid.UUID | None = None,
) -> dict[uuid.UUID, list[BranchInstanceRead]]:
    """Each project's branch instances in the order of their branches (one query)."""
    found: dict[uuid.UUID, list[BranchInstanceRead]] = {pid: [] for pid in project_ids}
    if not project_ids:
        return found
    query = (
        select(_instances, _projects.c.workflow_id, _users.c.display_name)
        .join(_projects, _projects.c.id == _instances.c.wfm_project_id)
        .outerjoin(_users, _users.c.id == _instances.c.acted_by_user_id)
        .where(among(session, _instances.c.wfm_project_id, project_ids))
    )
    if open_only:
        query = query.where(_instances.c.is_open)
    if branch_id is not None:
        query = query.where(_instances.c.branch_id == branch_id)
    for row in session.execute(query).all():
        graph = definitions.graph(row.workflow_id)
        branch = next((b for b in graph.branches if b.id == row.branch_id), None)
        if branch is None:
            continue
        own_step = (
            definitions.graph(branch.branch_workflow_id).step(row.branch_step_id)
            if branch.branch_workflow_id and row.branch_step_id
            else None
        )
        found[row.wfm_project_id].append(
            BranchInstanceRead(
                project_id=row.wfm_project_id,
                branch=branch,
                state=row.state,
                step_name=own_step.display_name if own_step else None,
                is_open=row.is_open,
                acted_by_user_id=row.acted_by_user_id,
                acted_by_name=row.display_name,
                acted_at=row.acted_at,
                comment=row.comment,
            )
        )
    for listed in found.values():
        listed.sort(key=lambda i: (i.branch.position, i.branch.name))
    return found


def get_instances(actor: Actor | None, project_id: uuid.UUID) -> list[BranchInstanceRead]:
    """A card's branches (open and closed) for those who may see the card."""
    actor = access.require_permission(actor, READ_PROJECTS, "read work in progress")
    with unit_of_work() as uow:
        if uow.session.get(WfmProject, project_id) is None:
            raise NotFound(f"WFM project {project_id} does not exist.")
        projects.check_see(uow.session, actor, project_id)
        return instances_of(uow.session, [project_id], open_only=False)[project_id]


def waiting_on(actor: Actor, workflow_ids: Iterable[uuid.UUID]) -> Any:
    """A filter: the card has an open, pending branch this actor may act on (on any of
    these workflows: a board spans a workflow's versions)."""
    mine = [
        branch.id
        for workflow_id in workflow_ids
        for branch in definitions.graph(workflow_id).branches
        if access.may_act_on_branch(actor, branch.allowed_roles)
    ]
    if not mine:
        return _projects.c.id.is_(None)  # nothing waits on them: an empty board
    return exists().where(
        and_(
            _instances.c.wfm_project_id == _projects.c.id,
            _instances.c.branch_id.in_(mine),
            _instances.c.is_open,
            _instances.c.state == "pending",
        )
    )


def get_many(
    actor: Actor | None, project_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[BranchInstanceRead]]:
    """Branch instances of many cards in one query (for batched API loading); cards the
    actor may not see are left out."""
    actor = access.require_permission(actor, READ_PROJECTS, "read work in progress")
    with unit_of_work() as uow:
        project_ids = ownership.visible_among(uow.session, actor, project_ids)
        return instances_of(uow.session, project_ids, open_only=False)


def actions_of(actor: Actor | None, project_id: uuid.UUID) -> list[BranchActionRead]:
    """Every decision on a card's branches, oldest first, for those who may see it."""
    actor = access.require_permission(actor, READ_PROJECTS, "read work in progress")
    with unit_of_work() as uow:
        project = uow.session.get(WfmProject, project_id)
        if project is None:
            raise NotFound(f"WFM project {project_id} does not exist.")
        projects.check_see(uow.session, actor, project_id)
        rows = uow.session.execute(
            select(_actions, _users.c.display_name)
            .outerjoin(_users, _users.c.id == _actions.c.acted_by_user_id)
            .where(_actions.c.wfm_project_id == project_id)
            .order_by(_actions.c.acted_at, _actions.c.id)
        ).all()
        names = {
            branch.id: branch.name
            for version in versions.columns(project.workflow_id).workflow_ids
            for branch in definitions.graph(version).branches
        }
        return [
            BranchActionRead(
                names.get(row.branch_id, "A removed approval"),
                row.action,
                row.state,
                row.display_name,
                row.acted_at,
                row.comment,
            )
            for row in rows
        ]
