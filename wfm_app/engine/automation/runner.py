"""Running automation rules inside the transaction of what set them off.

A move, a new card or a timer calls in here with the session of its own transaction;
every matching, enabled rule whose conditions hold runs its action there too, so the
cause and its effects commit together or not at all: an action that fails raises, with
the rule's name in the sentence, and the whole move rolls back. Actions that move or
change the card run through the entity's own service (the same checks as a person's
move), and may set off rules in turn, up to ``MAX_DEPTH`` levels; deeper rules are
recorded as stopped and logged, not run. Every rule considered leaves a row in
``automation_runs`` (done, skipped, stopped), shown under the move on the card.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from contextvars import ContextVar

from sqlalchemy import Table, insert
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.engine import rules
from wfm_app.engine.automation import actions
from wfm_app.engine.automation.config import RuleRead
from wfm_app.engine.automation.events import Event, Subject, subject_of
from wfm_app.engine.automation.models import AutomationRun
from wfm_app.engine.automation.rule_admin import enabled_rules
from wfm_app.engine.errors import WfmError
from wfm_app.sqltypes import utc_now

log = logging.getLogger(__name__)

MAX_DEPTH = 5
_runs: Table = AutomationRun.__table__  # type: ignore[attr-defined]
_INSERT_RUN = insert(_runs)
_depth: ContextVar[int] = ContextVar("wfm_automation_depth", default=0)


def _matches(rule: RuleRead, event: Event) -> bool:
    if rule.trigger_event != event.trigger:
        return False
    step = rule.workflow_step_id
    if event.trigger == "step_exited":
        return step is None or step == event.from_step_id
    if event.trigger in {"step_entered", "transition_taken"}:
        from_step = rule.trigger_config.get("from_step_id")
        if from_step and from_step != str(event.from_step_id):
            return False
        return step is None or step == event.to_step_id
    return event.trigger == "entity_created"


def _record(session: Session, rule: RuleRead, event: Event, result: str, detail: str) -> None:
    session.connection().execute(
        _INSERT_RUN,
        {
            "id": uuid.uuid4(),
            "rule_id": rule.id,
            "rule_name": rule.name,
            "wfm_project_id": event.project_id,
            "history_id": event.history_id,
            "trigger_event": event.trigger,
            "result": result,
            "detail": detail,
            "created_at": utc_now(),
        },
    )


def _run(session: Session, matching: Iterable[RuleRead], event: Event) -> None:
    subject: Subject | None = None
    depth = _depth.get()
    for rule in matching:
        if depth >= MAX_DEPTH:
            reason = (
                f"Not run: automation set off automation {MAX_DEPTH} levels deep, "
                "the most a chain may go (does a rule set itself off?)."
            )
            log.warning('Automation rule "%s" on %s: %s', rule.name, event.project_id, reason)
            _record(session, rule, event, "stopped", reason)
            continue
        # Earlier rules may have changed the card: read it again for each rule.
        subject = subject_of(session, event.project_id)
        if subject is None:
            return
        if rule.conditions and not rules.holds(rule.conditions, subject.values, event.actor.roles):
            _record(session, rule, event, "skipped", "Its conditions did not hold.")
            continue
        token = _depth.set(depth + 1)
        try:
            detail = actions.perform(session, rule, event, subject)
        except WfmError as error:
            error.message = f'Automation rule "{rule.name}" could not run: {error.message}'
            error.args = (error.message,)
            raise
        finally:
            _depth.reset(token)
        _record(session, rule, event, "done", detail)


def moved(
    session: Session,
    actor: Actor,
    project_id: uuid.UUID,
    workflow_id: uuid.UUID,
    from_step_id: uuid.UUID,
    to_step_id: uuid.UUID,
    history_id: uuid.UUID,
) -> None:
    """After a move's history row is written: step_exited, transition_taken, then
    step_entered rules. No query at all when the workflow has no rules."""
    rules_here = enabled_rules(workflow_id)
    if not rules_here:
        return
    for trigger in ("step_exited", "transition_taken", "step_entered"):
        event = Event(trigger, project_id, workflow_id, actor, from_step_id, to_step_id, history_id)
        matching = [rule for rule in rules_here if _matches(rule, event)]
        if matching:
            _run(session, matching, event)


def created(session: Session, actor: Actor, project_id: uuid.UUID, workflow_id: uuid.UUID) -> None:
    """After a new card and its project are inserted: entity_created rules."""
    event = Event("entity_created", project_id, workflow_id, actor)
    matching = [rule for rule in enabled_rules(workflow_id) if _matches(rule, event)]
    if matching:
        _run(session, matching, event)


def timer_fired(session: Session, rule: RuleRead, project_id: uuid.UUID) -> None:
    """A time_in_step_exceeded rule whose time has come for this card's stay."""
    step_id = rule.workflow_step_id
    event = Event(
        "time_in_step_exceeded", project_id, rule.workflow_id, Actor.automation(), None, step_id
    )
    _run(session, [rule], event)


def record_failure(session: Session, rule: RuleRead, project_id: uuid.UUID, message: str) -> None:
    """A timer rule whose action failed (its own transaction rolled back)."""
    event = Event("time_in_step_exceeded", project_id, rule.workflow_id, Actor.automation())
    _record(session, rule, event, "failed", message)
