"""Moving a WFM project along its workflow: the row lock, the transition a move takes,
and the move itself (conditions, branches, WIP limit, compare-and-set, history, then
automation), inside the caller's transaction. Every path that moves a card (an entity's
move command, the spec's updateWFMProjectStep, automation) comes through here.

The project row is locked (SELECT ... FOR UPDATE on PostgreSQL), the transition is
checked against the step it is really on, and the UPDATE compares-and-sets that step, so
two people moving the same card can never both win and no move skips validation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, insert, select, update
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.engine import definitions, rules, step_loads, step_settings
from wfm_app.engine.automation import runner
from wfm_app.engine.automation.events import Subject
from wfm_app.engine.branches import moves as branch_moves
from wfm_app.engine.models import WfmProject, WfmProjectHistory, Workflow, WorkflowTransition
from wfm_app.engine.schemas import TransitionRead, WorkflowGraph
from wfm_app.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from wfm_app.hot_statements import HotStatement
from wfm_app.observability import operations
from wfm_app.sqltypes import table_of, utc_now
from wfm_app.tenancy import current_org_id

_projects = table_of(WfmProject)
_history = table_of(WfmProjectHistory)
_transitions = table_of(WorkflowTransition)
_workflows = table_of(Workflow)

# Hot-path statements are built once and bound per call: building and cache-keying a
# statement costs more Python time than the round trip it makes.
# Every column given (org_id too): nothing is left to SQLAlchemy's defaults, so it runs hot
_INSERT_HISTORY = HotStatement(
    insert(_history).values({column.name: bindparam(column.name) for column in _history.columns})
)
_LOCK_PROJECT = (
    select(
        _projects.c.id,
        _projects.c.workflow_id,
        _projects.c.current_step_id,
        _projects.c.is_active,
        _projects.c.step_entered_at,
    )
    .where(_projects.c.id == bindparam("project_id"))
    .with_for_update()
)
_MOVED: dict[str, Any] = {
    "current_step_id": bindparam("to_step"),
    "step_entered_at": bindparam("now"),
    "completed_at": bindparam("completed_at"),
    "completed_by_user_id": bindparam("completed_by"),
    "updated_at": bindparam("now"),
    "updated_by_user_id": bindparam("user_id"),
}
# Compare-and-set on the current step, and the transition must still exist in the
# database: a stale definitions cache can refuse a move, never let a bad one through.
_MOVE_PROJECT = (
    update(_projects)
    .where(
        _projects.c.id == bindparam("project_id"),
        _projects.c.current_step_id == bindparam("from_step"),
        exists().where(
            _transitions.c.id == bindparam("transition_id"),
            _transitions.c.from_step_id == bindparam("from_step"),
            _transitions.c.to_step_id == bindparam("to_step"),
        ),
    )
    .values(_MOVED)
)
# An undo back to the exact step with no transition back: the workflow must still allow
# that in the database.
_RESTORE_PROJECT = (
    update(_projects)
    .where(
        _projects.c.id == bindparam("project_id"),
        _projects.c.current_step_id == bindparam("from_step"),
        exists().where(
            _workflows.c.id == _projects.c.workflow_id,
            _workflows.c.undo_restores_step.is_(True),
        ),
    )
    .values(_MOVED)
)


class _CompareAndSet:
    """A move's compare-and-set and its history row. On PostgreSQL they are one statement
    (the UPDATE a data-modifying CTE whose RETURNING feeds the history INSERT, so the row
    is written only if the card moved): one round trip fewer of a move's six. SQLite has
    no such CTE: there they are two."""

    def __init__(self, moving: Any) -> None:
        self.alone = HotStatement(moving)
        moved = moving.returning(_projects.c.id).cte("moved")
        row = [
            moved.c.id
            if column.name == "wfm_project_id"
            # typed, so each is sent with its cast: a bare parameter in a SELECT list would
            # be text to PostgreSQL, and text goes into no uuid or jsonb column
            else bindparam(f"history_{column.name}", type_=column.type)
            for column in _history.columns
        ]
        self.with_history = HotStatement(
            insert(_history)
            .from_select([column.name for column in _history.columns], select(*row))
            .add_cte(moved),
            kind="update",  # timed as the compare-and-set it is (SQLite's is an UPDATE too)
        )

    def run(self, session: Session, changed: dict[str, Any], history: dict[str, Any]) -> int:
        """How many cards moved (0 or 1); the history row is written with a move."""
        if session.get_bind().dialect.name == "postgresql":
            named = {f"history_{key}": value for key, value in history.items()}
            return self.with_history.rowcount(session, {**changed, **named})
        moved = self.alone.rowcount(session, changed)
        if moved == 1:
            _INSERT_HISTORY.rowcount(session, {**history, "wfm_project_id": changed["project_id"]})
        return moved


_MOVE = _CompareAndSet(_MOVE_PROJECT)
_RESTORE = _CompareAndSet(_RESTORE_PROJECT)


def compare_and_set(session: Session, changed: dict[str, Any], history: dict[str, Any]) -> int:
    """The move itself, from a step along a transition (an undo's restore when its
    ``transition_id`` is None), and its history row: how many cards moved, 0 when someone
    else's move or a change of the workflow came first."""
    kind = _RESTORE if changed["transition_id"] is None else _MOVE
    return kind.run(session, changed, history)


@dataclass(frozen=True, slots=True)
class StepRestore:
    """An undo's way back where the workflow has no transition back but lets an undo
    restore the exact step: no transition, so no conditions."""

    from_step_id: uuid.UUID
    to_step_id: uuid.UUID
    id: None = None
    conditions: None = None


@dataclass(frozen=True, slots=True)
class LockedProject:
    """The part of a project row a move needs, read under a row lock."""

    id: uuid.UUID
    workflow_id: uuid.UUID
    current_step_id: uuid.UUID | None
    is_active: bool
    step_entered_at: datetime


def lock(session: Session, project_id: uuid.UUID) -> LockedProject:
    row = session.connection().execute(_LOCK_PROJECT, {"project_id": project_id}).first()
    if row is None:
        raise NotFound(f"WFM project {project_id} does not exist.")
    return LockedProject(*row)


@dataclass(frozen=True, slots=True)
class Moved:
    """What a move did besides moving: the card as automation left it (None: no rule
    ran), a full ``warn`` column's notice, and the active cards of the steps it left and
    entered that have a WIP limit (what a board's WIP labels show)."""

    subject: Subject | None
    notice: str | None
    loads: dict[uuid.UUID, int]
    history_id: uuid.UUID  # its history row (what an undo names)


def _refuse(graph: WorkflowGraph, project: LockedProject, target_step_id: uuid.UUID) -> None:
    target = graph.step(target_step_id)
    if target is None:
        raise ValidationFailed(
            f'Step {target_step_id} is not part of workflow "{graph.workflow.name}".',
            {"target_step_id": "Pick a step of this project's workflow."},
        )
    current = graph.step(project.current_step_id) if project.current_step_id else None
    if current is None:
        raise InvalidTransition("This project is on no step, so it cannot move.")
    if current.id == target.id:
        raise InvalidTransition(f'It is already at "{current.display_name}".')
    allowed = [graph.step(t.to_step_id) for t in graph.allowed_from(current.id)]
    names = ", ".join(f'"{step.display_name}"' for step in allowed if step)
    options = f"it may move to {names}." if names else "it cannot move anywhere from there."
    raise InvalidTransition(
        f'No transition from "{current.display_name}" to "{target.display_name}"; {options}'
    )


def transition_for(
    graph: WorkflowGraph,
    project: LockedProject,
    target_step_id: uuid.UUID,
    expected_step_id: uuid.UUID | None = None,
    *,
    undoing: bool = False,
) -> TransitionRead | StepRestore:
    """The transition a move of this locked project takes, or the sentence why none: an
    archived project, someone else's move meanwhile, no such transition. An undo on a
    workflow that allows it may go back with no transition (``StepRestore``)."""
    if not project.is_active:
        raise Conflict("This project is archived; it cannot move.")
    if expected_step_id is not None and project.current_step_id != expected_step_id:
        raise Conflict("Someone else moved it meanwhile; reload to see where it is now.")
    transition = (
        graph.transition(project.current_step_id, target_step_id)
        if project.current_step_id
        else None
    )
    restorable = undoing and graph.workflow.undo_restores_step and project.current_step_id
    if transition is None and restorable and graph.step(target_step_id) is not None:
        assert project.current_step_id is not None
        return StepRestore(project.current_step_id, target_step_id)
    if transition is None:
        _refuse(graph, project, target_step_id)
    assert transition is not None
    return transition


def apply_move(
    session: Session,
    actor: Actor,
    project: LockedProject,
    graph: WorkflowGraph,
    transition: TransitionRead | StepRestore,
    *,
    request: rules.MoveRequest | None = None,
    values: dict[str, Any] | None = None,
    load_subject: runner.SubjectLoader | None = None,
) -> Moved:
    """Apply one move along ``transition`` (from ``transition_for``): its conditions, the
    branches holding it back, the target's WIP limit, the compare-and-set and its history
    row, then the automation rules it sets off, all in the caller's transaction. Access
    is the caller's job; ``values`` for the conditions are the entity's after the values
    given with the move (``load_subject``: how to read the card, see runner.moved)."""
    from_step, to_step = graph.step(transition.from_step_id), graph.step(transition.to_step_id)
    assert from_step is not None and to_step is not None
    request = request or rules.MoveRequest()
    if not (request.converting or step_settings.reached_by_hand(to_step)):
        raise InvalidTransition(
            f'"{to_step.display_name}" is reached by converting the card: use "Convert to '
            'deal" (convertLead), which makes the deal in the same step.'
        )
    if isinstance(transition, TransitionRead) and transition.conditions:
        labels = rules.field_labels(project.workflow_id)
        rules.check_conditions(actor, transition, values or {}, request, labels)
    branch_moves.check_gate(session, graph, project.id, from_step.id, to_step)
    limited = [s.id for s in (from_step, to_step) if step_settings.of(s).wip_limit is not None]
    # Both ends' rows are locked when either is counted: the triggers write only rows this
    # move already holds, taken in one order (step_loads.lock says why).
    counts = step_loads.lock(session, limited, (from_step.id, to_step.id)) if limited else {}
    wip = rules.check_wip(actor, to_step, request, counts.get(to_step.id))
    operations.validated()  # what remains is the move itself
    now = utc_now()
    finished = to_step.is_final_step
    changed = {
        "project_id": project.id,
        "from_step": from_step.id,
        "to_step": to_step.id,
        "now": now,
        "completed_at": now if finished else None,
        "completed_by": actor.user_id if finished else None,
        "user_id": actor.user_id,
        "transition_id": transition.id,
    }
    history_id = uuid.uuid4()
    history = {
        "org_id": current_org_id(),
        "id": history_id,
        "from_step_id": from_step.id,
        "to_step_id": to_step.id,
        "transition_id": transition.id,
        "changed_by_user_id": actor.user_id,
        "changed_at": now,
        "from_entered_at": project.step_entered_at,
        "comment": (request.comment or "").strip() or None,
        "move_values": request.values or None,
        "wip_override": request.override,
        "kind": "move",
        "undoes_history_id": request.undoes,
    }
    if compare_and_set(session, changed, history) != 1:
        # Our cached graph is older than the database (another process changed it).
        definitions.invalidate()
        raise Conflict("The workflow or the project changed meanwhile; reload and try again.")
    branch_moves.left(session, graph, project.id, from_step.id)
    branch_moves.entered(session, graph, project.id, to_step.id)
    # The triggers have moved the card's count from one row to the other (rows locked).
    loads = {step_id: counts[step_id] + (1 if step_id == to_step.id else -1) for step_id in counts}
    subject = runner.moved(
        session,
        actor,
        project.id,
        project.workflow_id,
        from_step.id,
        to_step.id,
        history_id,
        load_subject,
    )
    return Moved(subject, wip.notice, loads, history_id)
