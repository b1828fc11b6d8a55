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
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.engine import rules
from wfm_app.engine.automation import actions, triggers
from wfm_app.engine.automation.config import RuleRead
from wfm_app.engine.automation.events import Event, Subject, subject_of
from wfm_app.engine.automation.models import AutomationRun
from wfm_app.engine.automation.rule_admin import enabled_rules
from wfm_app.errors import WfmError
from wfm_app.sqltypes import table_of, utc_now

log = logging.getLogger(__name__)

MAX_DEPTH = 5
_runs: Table = table_of(AutomationRun)
_INSERT_RUN = insert(_runs)
_depth: ContextVar[int] = ContextVar("wfm_automation_depth", default=0)


def _matches(rule: RuleRead, event: Event) -> bool:
    return rule.trigger_event == event.trigger and triggers.get(event.trigger).matches(rule, event)


def _run_row(rule: RuleRead, event: Event, result: str, detail: str) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "rule_id": rule.id,
        "rule_name": rule.name,
        "wfm_project_id": event.project_id,
        "history_id": event.history_id,
        "trigger_event": event.trigger,
        "result": result,
        "detail": detail,
        "created_at": utc_now(),
    }


SubjectLoader = Callable[[], Subject | None]


def _run(
    session: Session, matching: Iterable[RuleRead], event: Event, subject: Subject | None
) -> Subject | None:
    """Run the rules; the card as the last of them left it."""
    depth = _depth.get()
    done: list[dict[str, Any]] = []  # run records, written together at the end
    for rule in matching:
        if subject is None:
            break
        if depth >= MAX_DEPTH:
            reason = (
                f"Not run: automation set off automation {MAX_DEPTH} levels deep, "
                "the most a chain may go (does a rule set itself off?)."
            )
            log.warning('Automation rule "%s" on %s: %s', rule.name, event.project_id, reason)
            done.append(_run_row(rule, event, "stopped", reason))
            continue
        if rule.conditions and not rules.holds(rule.conditions, subject.values, event.actor.roles):
            done.append(_run_row(rule, event, "skipped", "Its conditions did not hold."))
            continue
        token = _depth.set(depth + 1)
        try:
            # Each action answers the card as it left it: later rules see its changes.
            detail, subject = actions.perform(session, rule, event, subject)
        except WfmError as error:
            error.message = f'Automation rule "{rule.name}" could not run: {error.message}'
            error.args = (error.message,)
            raise
        finally:
            _depth.reset(token)
        done.append(_run_row(rule, event, "done", detail))
    if done:
        session.connection().execute(_INSERT_RUN, done)
    return subject


def moved(
    session: Session,
    actor: Actor,
    project_id: uuid.UUID,
    workflow_id: uuid.UUID,
    from_step_id: uuid.UUID,
    to_step_id: uuid.UUID,
    history_id: uuid.UUID,
    load_subject: SubjectLoader | None = None,
) -> Subject | None:
    """After a move's history row is written: step_exited, transition_taken, then
    step_entered rules. No query at all when the workflow has no rules. ``load_subject``
    reads the card as the move left it (the mover's own service knows how best); the
    answer is the card after the rules, or None when no rule ran."""
    rules_here = enabled_rules(workflow_id)
    subject: Subject | None = None
    for trigger in ("step_exited", "transition_taken", "step_entered"):
        event = Event(trigger, project_id, workflow_id, actor, from_step_id, to_step_id, history_id)
        matching = [rule for rule in rules_here if _matches(rule, event)]
        if matching:
            subject = subject or (load_subject or _loader(session, project_id))()
            subject = _run(session, matching, event, subject)
    return subject


def _loader(session: Session, project_id: uuid.UUID) -> SubjectLoader:
    return lambda: subject_of(session, project_id)


def created(session: Session, actor: Actor, project_id: uuid.UUID, workflow_id: uuid.UUID) -> None:
    """After a new card and its project are inserted: entity_created rules."""
    event = Event("entity_created", project_id, workflow_id, actor)
    matching = [rule for rule in enabled_rules(workflow_id) if _matches(rule, event)]
    if matching:
        _run(session, matching, event, subject_of(session, project_id))


def converted(
    session: Session, actor: Actor, project_id: uuid.UUID, workflow_id: uuid.UUID
) -> None:
    """After a card was converted (a lead into a deal): entity_converted rules, on the
    converted card's workflow."""
    event = Event("entity_converted", project_id, workflow_id, actor)
    matching = [rule for rule in enabled_rules(workflow_id) if _matches(rule, event)]
    if matching:
        _run(session, matching, event, subject_of(session, project_id))


def branch_decided(
    session: Session,
    actor: Actor,
    project_id: uuid.UUID,
    workflow_id: uuid.UUID,
    step_id: uuid.UUID,
    branch_id: uuid.UUID,
    state: str,
) -> None:
    """After a branch on the card's step was approved or rejected."""
    event = Event(
        f"branch_{state}", project_id, workflow_id, actor, step_id, step_id, branch_id=branch_id
    )
    matching = [rule for rule in enabled_rules(workflow_id) if _matches(rule, event)]
    if matching:
        _run(session, matching, event, subject_of(session, project_id))


def timer_fired(session: Session, rule: RuleRead, project_id: uuid.UUID) -> None:
    """A time_in_step_exceeded rule whose time has come for this card's stay."""
    step_id = rule.workflow_step_id
    event = Event(
        "time_in_step_exceeded", project_id, rule.workflow_id, Actor.automation(), None, step_id
    )
    _run(session, [rule], event, subject_of(session, project_id))


def record_failure(session: Session, rule: RuleRead, project_id: uuid.UUID, message: str) -> None:
    """A timer rule whose action failed (its own transaction rolled back)."""
    event = Event("time_in_step_exceeded", project_id, rule.workflow_id, Actor.automation())
    session.connection().execute(_INSERT_RUN, [_run_row(rule, event, "failed", message)])
