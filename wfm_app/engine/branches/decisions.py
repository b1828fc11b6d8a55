"""Acting on a card's branch: approve, reject, or move it along its own workflow. Each
action is one transaction under the card's row lock (the same lock a move takes), with
a row in the branch's history; a decision sets off branch_approved / branch_rejected
automation rules in that transaction (e.g. a rejection routed back to "Negotiation")."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select, update
from sqlmodel import Session

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import access, changes, definitions, project_moves, projects, step_settings
from wfm_app.engine.automation import events, runner
from wfm_app.engine.branches import notify
from wfm_app.engine.branches.models import WfmBranchAction, WfmBranchInstance
from wfm_app.engine.branches.reading import BranchInstanceRead, instances_of
from wfm_app.engine.inputs import clean_text
from wfm_app.engine.models import WfmProject
from wfm_app.engine.schemas import BranchRead, StepRead
from wfm_app.errors import Conflict, NotFound, ValidationFailed
from wfm_app.sqltypes import table_of, utc_now

_instances = table_of(WfmBranchInstance)
_actions = table_of(WfmBranchAction)
_projects = table_of(WfmProject)
MAX_COMMENT = 2_000
MAX_ACTION = 200


def _decided(step: StepRead) -> str:
    outcome = step_settings.of(step).outcome
    if outcome == "LOST":
        return "rejected"
    if outcome == "WON" or step.is_final_step:
        return "approved"
    return "pending"


def _next(
    branch: BranchRead, state: str, at: uuid.UUID | None, action: str
) -> tuple[str, uuid.UUID | None]:
    """The instance's state (and step on its own workflow) after ``action``."""
    if state != "pending":
        raise Conflict(f'"{branch.name}" is already {state}.')
    word = action.lower()
    if branch.branch_workflow_id is None:
        if word not in ("approve", "reject"):
            message = 'The action must be "approve" or "reject".'
            raise ValidationFailed(message, {"action": message})
        return ("approved" if word == "approve" else "rejected"), None
    own = definitions.graph(branch.branch_workflow_id)
    current = own.step(at) if at else own.initial_step
    options = [own.step(t.to_step_id) for t in own.allowed_from(current.id)] if current else []
    choices = [step for step in options if step is not None]
    wanted = {"approve": "approved", "reject": "rejected"}.get(word)
    target = next(
        (
            step
            for step in choices
            if (wanted and _decided(step) == wanted)
            or step.display_name.lower() == word
            or str(step.id) == action
        ),
        None,
    )
    if target is None:
        names = ", ".join(f'"{step.display_name}"' for step in choices) or "nothing"
        message = f'"{branch.name}" cannot do "{action}" now; it may go to {names}.'
        raise ValidationFailed(message, {"action": message})
    return _decided(target), target.id


def _clean(text: str | None, field: str, limit: int) -> str | None:
    if text is None:
        return None
    try:
        return clean_text(text, what=field.capitalize(), limit=limit) or None
    except ValueError as error:
        raise ValidationFailed(str(error), {field: str(error)}) from None


def _announce(
    session: Session, project_id: uuid.UUID, workflow_id: uuid.UUID, step_id: uuid.UUID
) -> None:
    """Open boards show the card's new badges (live updates)."""
    subject = events.subject_of(session, project_id)
    if subject is not None:
        changes.announce(
            session,
            changes.change(
                "updated",
                subject.handler.description.entity_type,
                subject.entity_id,
                workflow_id,
                subject.owner_id,
                from_step_id=step_id,
                to_step_id=step_id,
                assignee_id=subject.assignee_id,
            ),
        )


def act(
    actor: Actor | None,
    project_id: uuid.UUID,
    branch_id: uuid.UUID,
    action: str,
    comment: str | None = None,
) -> BranchInstanceRead:
    """Approve, reject (or move along its own workflow) one branch of a card, with a row
    in its history; a decision sets off branch_approved / branch_rejected rules."""
    actor = access.require_permission(actor, READ_PROJECTS, "act on approvals")
    action = _clean(action, "action", MAX_ACTION) or ""
    if not action:
        raise ValidationFailed("Say what to do: approve or reject.", {"action": "Required."})
    comment = _clean(comment, "comment", MAX_COMMENT)
    with unit_of_work() as uow:
        session = uow.session
        locked = project_moves.lock(session, project_id)
        projects.check_see(session, actor, project_id)
        graph = definitions.graph(locked.workflow_id)
        branch = next((b for b in graph.branches if b.id == branch_id), None)
        if branch is None:
            raise NotFound(f"Branch {branch_id} is not part of this card's workflow.")
        access.check_may_act_on_branch(actor, branch.allowed_roles, branch.name)
        row = session.execute(
            select(_instances.c.state, _instances.c.branch_step_id, _instances.c.is_open).where(
                _instances.c.wfm_project_id == project_id, _instances.c.branch_id == branch_id
            )
        ).first()
        step = graph.step(branch.step_id)
        if row is None or not row.is_open or locked.current_step_id != branch.step_id:
            where = step.display_name if step else "its step"
            raise Conflict(f'"{branch.name}" is not open: the card is not on "{where}" now.')
        state, branch_step = _next(branch, row.state, row.branch_step_id, action)
        now = utc_now()
        session.execute(
            update(_instances)
            .where(_instances.c.wfm_project_id == project_id, _instances.c.branch_id == branch_id)
            .values(
                state=state,
                branch_step_id=branch_step,
                acted_by_user_id=actor.user_id,
                acted_at=now,
                comment=comment,
            )
        )
        session.execute(
            insert(_actions).values(
                id=uuid.uuid4(),
                wfm_project_id=project_id,
                branch_id=branch_id,
                action=action,
                state=state,
                acted_by_user_id=actor.user_id,
                acted_at=now,
                comment=comment,
            )
        )
        # a decision is activity on the card (a lead's last_activity_at reads this)
        session.execute(
            update(_projects).where(_projects.c.id == project_id).values(updated_at=now)
        )
        _announce(session, project_id, locked.workflow_id, branch.step_id)
        if state != "pending":
            notify.decided(session, project_id, branch.name, state, actor.display_name or "someone")
            runner.branch_decided(
                session, actor, project_id, locked.workflow_id, branch.step_id, branch_id, state
            )
        return instances_of(session, [project_id], open_only=False, branch_id=branch_id)[
            project_id
        ][0]
