"""Workflow versions: a draft copy edited while the live version serves, a lint before
publishing, and publishing (the draft becomes live, new cards start on it; cards on older
versions stay until migrated, engine/card_migration.py). A version is a workflow row of a
family (the first version's id): the live one has the family's name; older ones are
"<name> (v1)", a draft "<name> (draft v2)"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, func, insert, select, update
from sqlmodel import Session, col

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import access, definitions, ownership, rules, step_loads
from wfm_app.engine.access import require_access, require_definitions_manager
from wfm_app.engine.automation import actions as automation_actions
from wfm_app.engine.automation.models import AutomationRule
from wfm_app.engine.branches.models import WorkflowBranch
from wfm_app.engine.common import get_or_404
from wfm_app.engine.models import (
    ProjectType,
    WfmProject,
    Workflow,
    WorkflowStep,
    WorkflowTransition,
)
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.engine.version_lint import Lint, lint
from wfm_app.errors import Conflict, ValidationFailed
from wfm_app.sqltypes import table_of, utc_now

LIVE, DRAFT, SUPERSEDED = "live", "draft", "superseded"
_steps = table_of(WorkflowStep)
_transitions = table_of(WorkflowTransition)
_rules = table_of(AutomationRule)
_branches = table_of(WorkflowBranch)


@dataclass(frozen=True)
class VersionRead:
    id: uuid.UUID
    name: str
    version: int
    state: str
    cards: int


def _family(row: Workflow) -> uuid.UUID:
    return row.family_id or row.id


def _members(session: Session, family: uuid.UUID) -> list[Workflow]:
    return list(
        session.execute(
            select(Workflow)
            .where((col(Workflow.id) == family) | (col(Workflow.family_id) == family))
            .order_by(col(Workflow.version))
        ).scalars()
    )


def _read(session: Session, row: Workflow) -> VersionRead:
    cards = session.execute(
        select(func.count()).where(col(WfmProject.workflow_id) == row.id)
    ).scalar_one()
    return VersionRead(row.id, row.name, row.version, row.version_state, int(cards))


def get_all(actor: Actor | None, workflow_id: uuid.UUID) -> list[VersionRead]:
    """Every version of the workflow's family, oldest first, with its cards."""
    require_access(actor)
    with unit_of_work() as uow:
        row = get_or_404(uow.session, Workflow, workflow_id, "Workflow")
        return [_read(uow.session, member) for member in _members(uow.session, _family(row))]


def live_of(actor: Actor | None, workflow_id: uuid.UUID) -> uuid.UUID | None:
    """The live version of the workflow's family (None: the workflow is gone, or its
    family has no live version)."""
    require_access(actor)
    with unit_of_work() as uow:
        row = uow.session.get(Workflow, workflow_id)
        if row is None:
            return None
        members = _members(uow.session, _family(row))
        return next((m.id for m in members if m.version_state == LIVE), None)


def older_cards(actor: Actor | None, workflow_id: uuid.UUID) -> list[tuple[str, int]]:
    """For the live version's board: the older versions still holding cards the viewer
    may see, and how many (a member counts their own)."""
    actor = require_access(actor)
    with unit_of_work() as uow:
        row = get_or_404(uow.session, Workflow, workflow_id, "Workflow")
        if row.version_state != LIVE:
            return []
        found = []
        for member in _members(uow.session, _family(row)):
            if member.version_state != SUPERSEDED:
                continue
            query = select(func.count()).where(col(WfmProject.workflow_id) == member.id)
            if not access.sees_everyones(actor):
                mine = actor.user_id
                query = query.where(
                    ownership.owned_by(mine, col(WfmProject.id)) if mine else false()
                )
            cards = int(uow.session.execute(query).scalar_one())
            if cards:
                found.append((member.name, cards))
        return found


@dataclass(frozen=True)
class Columns:
    """How a live version's board shows the cards still on older versions: their
    workflows, and per column (a live step) the older steps with the same status."""

    workflow_ids: tuple[uuid.UUID, ...]
    older_steps: dict[uuid.UUID, tuple[uuid.UUID, ...]]  # live step -> same-status older steps
    column_of: dict[uuid.UUID, uuid.UUID]  # older step -> live step

    @property
    def spans_versions(self) -> bool:
        return len(self.workflow_ids) > 1


def _load_columns(session: Session, workflow_id: uuid.UUID) -> Columns:
    row = session.get(Workflow, workflow_id)
    if row is None or row.version_state != LIVE:
        return Columns((workflow_id,), {}, {})
    older = [m.id for m in _members(session, _family(row)) if m.version_state == SUPERSEDED]
    if not older:
        return Columns((workflow_id,), {}, {})
    rows = session.execute(
        select(_steps.c.id, _steps.c.workflow_id, _steps.c.status_id).where(
            _steps.c.workflow_id.in_([workflow_id, *older])
        )
    ).all()
    live = {status: step for step, workflow, status in rows if workflow == workflow_id}
    column_of = {
        step: live[status]
        for step, workflow, status in rows
        if workflow != workflow_id and status in live
    }
    older_steps: dict[uuid.UUID, tuple[uuid.UUID, ...]] = {}
    for old, new in column_of.items():
        older_steps[new] = (*older_steps.get(new, ()), old)
    return Columns((workflow_id, *older), older_steps, column_of)


def columns(workflow_id: uuid.UUID) -> Columns:
    """Cached with the definitions (publishing marks them changed)."""
    return definitions.cached(
        "version_columns", str(workflow_id), lambda session: _load_columns(session, workflow_id)
    )


def step_on_version(session: Session, graph: WorkflowGraph, step_id: uuid.UUID) -> uuid.UUID:
    """A step named by a board of another version of ``graph``'s workflow (a column of the
    live version, for a card still on an older one): the step of ``graph`` with the same
    status. Any other step is returned as given (the move then says what is wrong)."""
    if graph.step(step_id) is not None:
        return step_id
    found = session.execute(
        select(_steps.c.workflow_id, _steps.c.status_id).where(_steps.c.id == step_id)
    ).first()
    if found is None:
        return step_id
    other, mine = session.get(Workflow, found.workflow_id), session.get(Workflow, graph.id)
    if other is None or mine is None or _family(other) != _family(mine):
        return step_id
    same = next((step.id for step in graph.steps if step.status.id == found.status_id), None)
    return same or step_id


def _copy_definition(session: Session, source: uuid.UUID, target: uuid.UUID) -> None:
    """Steps, transitions and automation rules of ``source`` onto ``target`` (new ids)."""
    now = utc_now()
    step_map: dict[uuid.UUID, uuid.UUID] = {}
    rows: list[dict[str, Any]] = []
    for step in session.execute(select(_steps).where(_steps.c.workflow_id == source)).mappings():
        step_map[step["id"]] = uuid.uuid4()
        rows.append(
            {
                **step,
                "id": step_map[step["id"]],
                "workflow_id": target,
                "created_at": now,
                "updated_at": now,
            }
        )
    if rows:
        session.execute(insert(_steps), rows)
        step_loads.start_copied(session, rows)
    moves = [
        {
            **t,
            "id": uuid.uuid4(),
            "workflow_id": target,
            "from_step_id": step_map[t["from_step_id"]],
            "to_step_id": step_map[t["to_step_id"]],
            "created_at": now,
            "updated_at": now,
        }
        for t in session.execute(
            select(_transitions).where(_transitions.c.workflow_id == source)
        ).mappings()
    ]
    if moves:
        session.execute(insert(_transitions), moves)

    branch_map = _copy_branches(session, source, target, step_map)
    step_map.update(branch_map)  # rules name branches as they name steps

    def remapped(rule: Any) -> dict[str, Any]:
        """The rule's settings with the steps and branches they name (the registries of
        triggers and actions say which) replaced by the copy's."""
        parts = {"trigger_config": rule["trigger_config"], "action_config": rule["action_config"]}
        for part, key, what in automation_actions.references(
            rule["trigger_event"], rule["action_config"]
        ):
            config = parts[part]
            if what in ("step", "branch") and config and config.get(key):
                old = config[key]
                parts[part] = {**config, key: str(step_map.get(uuid.UUID(str(old)), old))}
        return parts

    copies = [
        {
            **r,
            "id": uuid.uuid4(),
            "workflow_id": target,
            "workflow_step_id": step_map.get(r["workflow_step_id"])
            if r["workflow_step_id"]
            else None,
            **remapped(r),
            "created_at": now,
            "updated_at": now,
        }
        for r in session.execute(select(_rules).where(_rules.c.workflow_id == source)).mappings()
    ]
    if copies:
        session.execute(insert(_rules), copies)


def _copy_branches(
    session: Session, source: uuid.UUID, target: uuid.UUID, step_map: dict[uuid.UUID, uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The parallel branches of ``source``'s steps onto their copies; old id -> new id."""
    now = utc_now()
    branch_map: dict[uuid.UUID, uuid.UUID] = {}
    rows = []
    for b in session.execute(
        select(_branches).where(_branches.c.parent_workflow_id == source)
    ).mappings():
        branch_map[b["id"]] = uuid.uuid4()
        merge = dict(b["merge_condition"] or {})
        if "to_step_ids" in merge:
            merge["to_step_ids"] = [str(step_map[uuid.UUID(s)]) for s in merge["to_step_ids"]]
        rows.append(
            {
                **b,
                "id": branch_map[b["id"]],
                "parent_workflow_id": target,
                "workflow_step_id": step_map[b["workflow_step_id"]],
                "merge_condition": merge,
                "created_at": now,
                "updated_at": now,
            }
        )
    if rows:
        session.execute(insert(_branches), rows)
    return branch_map


def members_of(session: Session, row: Workflow) -> list[Workflow]:
    """Every version of ``row``'s family, oldest first."""
    return _members(session, _family(row))


def start_draft(session: Session, actor: Actor, members: list[Workflow]) -> Workflow:
    """A draft copy of the family's live version (steps, transitions, branches, rules);
    the caller marks the definitions changed."""
    live = next(m for m in members if m.version_state == LIVE)
    number = max(m.version for m in members) + 1
    copy = Workflow(
        name=f"{live.name} (draft v{number})",
        description=live.description,
        undo_restores_step=live.undo_restores_step,
        calendar_id=live.calendar_id,
        learned_win_chance=live.learned_win_chance,
        family_id=_family(live),
        version=number,
        version_state=DRAFT,
        created_by_user_id=actor.user_id,
        updated_by_user_id=actor.user_id,
    )
    session.add(copy)
    session.flush()
    _copy_definition(session, live.id, copy.id)
    return copy


def create_draft(actor: Actor | None, workflow_id: uuid.UUID) -> VersionRead:
    """A draft copy of the live version (its steps, transitions and rules) to edit."""
    actor = require_definitions_manager(actor)
    with unit_of_work() as uow:
        session = uow.session
        members = members_of(session, get_or_404(session, Workflow, workflow_id, "Workflow"))
        draft = next((m for m in members if m.version_state == DRAFT), None)
        if draft is not None:
            raise Conflict(f'"{draft.name}" is already being drafted; edit or publish it.')
        copy = start_draft(session, actor, members)
        definitions.mark_changed(uow)
        return _read(session, copy)


def _draft_and_live(session: Session, draft_id: uuid.UUID) -> tuple[Workflow, Workflow | None]:
    """The draft and its family's live version (None: a new workflow never published)."""
    draft = get_or_404(session, Workflow, draft_id, "Workflow")
    if draft.version_state != DRAFT:
        raise ValidationFailed(f'"{draft.name}" is not a draft.', {"id": "Pick a draft version."})
    members = _members(session, _family(draft))
    return draft, next((m for m in members if m.version_state == LIVE), None)


def _lint_draft(session: Session, draft: Workflow, live: Workflow | None) -> Lint:
    graph = definitions.load_graph(session, draft.id)
    if live is None:  # everything in a first version is new; no card waits anywhere
        return lint(graph, WorkflowGraph(graph.workflow, (), ()), {})
    cards = rules.cards_per_step(session, live.id, active_only=False)
    return lint(graph, definitions.load_graph(session, live.id), cards)


def check(actor: Actor | None, draft_id: uuid.UUID) -> Lint:
    """What publishing the draft would say: errors that block it, warnings to accept."""
    require_definitions_manager(actor)
    with unit_of_work() as uow:
        draft, live = _draft_and_live(uow.session, draft_id)
        return _lint_draft(uow.session, draft, live)


def publish(
    actor: Actor | None, draft_id: uuid.UUID, *, accept_warnings: bool = False
) -> tuple[VersionRead, Lint]:
    """The draft becomes the live version (its family's name; project types start new cards
    on it); the old live version is superseded and keeps its cards."""
    actor = require_definitions_manager(actor)
    with unit_of_work() as uow:
        session = uow.session
        draft, live = _draft_and_live(session, draft_id)
        found = _lint_draft(session, draft, live)
        if found.errors:
            message = "Publishing is blocked: " + " ".join(found.errors)
            raise ValidationFailed(message, {"lint": " ".join(found.errors)})
        if found.warnings and not accept_warnings:
            message = "Accept these warnings to publish: " + " ".join(found.warnings)
            raise ValidationFailed(message, {"accept_warnings": message})
        family_name, now = (live or draft).name, utc_now()
        if live is not None:
            live.name, live.version_state = f"{family_name} (v{live.version})", SUPERSEDED
            live.updated_at = now
            session.add(live)
            session.flush()
        draft.name, draft.version_state, draft.updated_at = family_name, LIVE, now
        session.add(draft)
        if live is not None:
            session.execute(
                update(ProjectType)
                .where(col(ProjectType.default_workflow_id) == live.id)
                .values(default_workflow_id=draft.id, updated_at=now)
            )
        session.flush()
        definitions.mark_changed(uow)
        return _read(session, draft), found
