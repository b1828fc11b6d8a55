"""Every automation trigger, each one object: its label, what it says in the rule list
and in a rule's sentence, the settings it takes and how they are checked, the editor's
inputs it needs, and which events it matches. The rule checks, the runner, the editor
and definition files read this registry; a trigger not in it is refused.

A new trigger is one ``Trigger`` here plus the place that raises its event (runner.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from wfm_app.engine import step_settings
from wfm_app.engine.automation.config import (
    MAX_HOURS,
    RuleRead,
    number_or_none,
    refuse,
    step_of,
    uuid_of,
)
from wfm_app.engine.automation.events import Event
from wfm_app.engine.schemas import WorkflowGraph

StepUse = Literal["optional", "required", "none"]


@dataclass(frozen=True)
class Trigger:
    key: str
    label: str  # the editor's "When": "A card enters a step"
    phrase: str  # the rule list: "enters {step}" ({step}, {source}, {hours}, {branch})
    happened: str  # a rule's sentence about the card: "entered {to}" ({to}, {from_})
    matches: Callable[[RuleRead, Event], bool]
    settings: tuple[str, ...] = ()  # the trigger_config keys it takes
    step: StepUse = "optional"  # whether it names a step (None: any step)
    inputs: tuple[str, ...] = ()  # the editor's inputs besides the step
    # settings that name another definition: (key, "step" | "branch"), remapped when a
    # workflow is copied and written by name in definition files
    references: tuple[tuple[str, str], ...] = ()


def _step_is(rule: RuleRead, step_id: uuid.UUID | None) -> bool:
    return rule.workflow_step_id is None or rule.workflow_step_id == step_id


def _setting_is(rule: RuleRead, key: str, value: Any) -> bool:
    wanted = rule.trigger_config.get(key)
    return not wanted or wanted == str(value)


def _entered(rule: RuleRead, event: Event) -> bool:
    return _setting_is(rule, "from_step_id", event.from_step_id) and _step_is(
        rule, event.to_step_id
    )


def _branch(rule: RuleRead, event: Event) -> bool:
    return _setting_is(rule, "branch_id", event.branch_id) and _step_is(rule, event.to_step_id)


_ALL = (
    Trigger(
        "step_entered",
        "A card enters a step",
        "enters {step}",
        "entered {to}",
        _entered,
    ),
    Trigger(
        "step_exited",
        "A card leaves a step",
        "leaves {step}",
        "left {from_}",
        lambda rule, event: _step_is(rule, event.from_step_id),
    ),
    Trigger(
        "transition_taken",
        "A card moves from one step to another",
        "moves from {source} to {step}",
        "moved from {from_} to {to}",
        _entered,
        settings=("from_step_id",),
        inputs=("from_step_id",),
        references=(("from_step_id", "step"),),
    ),
    Trigger(
        "entity_created",
        "A card is created",
        "is created",
        "was created",
        lambda _rule, _event: True,
        step="none",
    ),
    Trigger(
        "entity_converted",
        "A card is converted (a lead into a deal)",
        "is converted",
        "was converted",
        lambda _rule, _event: True,
        step="none",
    ),
    Trigger(
        "time_in_step_exceeded",
        "A card stays in a step too long",
        "stays in {step} over {hours} hours",
        "has been in {to} longer than {hours:g} hours",
        lambda rule, event: rule.workflow_step_id == event.to_step_id,
        settings=("after_hours",),
        step="required",
        inputs=("after",),
    ),
    Trigger(
        "branch_approved",
        "An approval on a card is given",
        "has {branch} given on {step}",
        "had an approval given on {to}",
        _branch,
        settings=("branch_id",),
        inputs=("branch_id",),
        references=(("branch_id", "branch"),),
    ),
    Trigger(
        "branch_rejected",
        "An approval on a card is refused",
        "has {branch} refused on {step}",
        "had an approval refused on {to}",
        _branch,
        settings=("branch_id",),
        inputs=("branch_id",),
        references=(("branch_id", "branch"),),
    ),
)
TRIGGERS: dict[str, Trigger] = {trigger.key: trigger for trigger in _ALL}


def get(key: str) -> Trigger:
    trigger = TRIGGERS.get(key)
    if trigger is None:
        raise refuse("trigger_event", f"The trigger must be one of {', '.join(TRIGGERS)}.")
    return trigger


def with_input(name: str) -> list[str]:
    """The triggers whose editor shows this input (the editor's dialog asks this)."""
    return [trigger.key for trigger in _ALL if name in trigger.inputs]


def _spelled_our_way(config: dict[str, Any]) -> dict[str, Any]:
    """camelCase keys (as GraphQL clients write them) and a time in days, as stored."""
    renames = {
        "afterHours": "after_hours",
        "hours": "after_hours",
        "fromStepId": "from_step_id",
        "branchId": "branch_id",
    }
    out = {renames.get(key, key): value for key, value in config.items()}
    for days in ("after_days", "afterDays", "days"):
        if days in out:
            value = out.pop(days)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            out["after_hours"] = value * 24 if number else value
    return out


def _after_hours(graph: WorkflowGraph, step_id: uuid.UUID, config: dict[str, Any]) -> float:
    given = config.get("after_hours")
    if given is None:  # the step's own SLA, or its rotting time
        given = step_settings.of(graph.step(step_id)).limit_hours
    hours = number_or_none(given)
    if hours is None or not 0 < hours <= MAX_HOURS:
        raise refuse(
            "trigger_config.after_hours",
            f"After how many hours: a number above 0 and at most {MAX_HOURS:,}.",
        )
    return hours


def check_trigger(
    graph: WorkflowGraph,
    key: str,
    step_id: uuid.UUID | None,
    config: dict[str, Any] | None,
) -> dict[str, Any]:
    """The trigger's settings as stored, or ValidationFailed naming the field."""
    trigger = get(key)
    if step_id is not None:
        if trigger.step == "none":
            raise refuse("workflow_step_id", "A new card always starts on the initial step.")
        step_of(graph, step_id, "workflow_step_id")
    elif trigger.step == "required":
        raise refuse("workflow_step_id", "This trigger needs its step.")
    config = _spelled_our_way(dict(config or {}))
    unknown = set(config) - set(trigger.settings)
    if unknown:
        raise refuse("trigger_config", f"{key} takes no {', '.join(sorted(unknown))}.")
    if "after_hours" in trigger.settings and step_id is not None:
        config["after_hours"] = _after_hours(graph, step_id, config)
    if "branch_id" in config:
        branch_id = uuid_of(config["branch_id"], "trigger_config.branch_id", "The branch")
        if not any(branch.id == branch_id for branch in graph.branches):
            raise refuse(
                "trigger_config.branch_id",
                f'That branch is not part of workflow "{graph.workflow.name}".',
            )
        config["branch_id"] = str(branch_id)
    if "from_step_id" in config:
        config["from_step_id"] = str(
            step_of(graph, config["from_step_id"], "trigger_config.from_step_id")
        )
    return config
