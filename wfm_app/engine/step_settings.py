"""Step metadata that means something to the engine, owned here: each key, its bounds and
its default. ``of(step)`` reads a step's settings typed; ``problems(metadata, ...)``
checks a metadata document before it is saved. Nothing else reads these keys by string.

- ``name``: the column title (else the status's name);
- ``outcome_type``: OPEN, WON, LOST or CONVERTED (default OPEN);
- ``wip_limit`` (a whole number from 1 to 10,000) and ``wip_policy`` (``warn``, the
  default, or ``block``);
- ``rotting_days`` (Pipedrive's name) and ``sla_hours``: time limits for the rotting and
  SLA badges and the default of time-in-step rules;
- ``calendar_id``: the business calendar the SLA and time-in-step rules count working
  time on (engine/calendars; else the workflow's, else every hour counts).

Entity kinds add keys of their own (a probability, ...) through their description.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wfm_app.engine.registry import MetadataKey
from wfm_app.engine.schemas import StepRead

NAME = "name"
OUTCOME = "outcome_type"
WIP_LIMIT = "wip_limit"
WIP_POLICY = "wip_policy"
ROTTING_DAYS = "rotting_days"
SLA_HOURS = "sla_hours"
CALENDAR = "calendar_id"  # a business calendar's id: the step's own, over its workflow's

OUTCOMES = ("OPEN", "WON", "LOST", "CONVERTED")
OUTCOME_WORDS = {outcome: outcome.capitalize() for outcome in OUTCOMES}  # "Won", not WON
WIP_POLICIES = ("warn", "block")
NUMBERS = (
    MetadataKey(WIP_LIMIT, "WIP limit", 1, 10_000, integer=True),
    MetadataKey(ROTTING_DAYS, "Rotting after", 1, 3650, unit="days"),
    MetadataKey(SLA_HOURS, "SLA", 1, 87_600, unit="hours"),
)
KEYS = (NAME, OUTCOME, WIP_POLICY, CALENDAR, *(key.key for key in NUMBERS))


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass(frozen=True, slots=True)
class StepSettings:
    outcome: str
    wip_limit: int | None
    blocks: bool  # a full column refuses moves (else it warns)
    rotting_days: float | None
    sla_hours: float | None

    @property
    def limit_hours(self) -> float | None:
        """A time-in-step rule's default: the SLA, else the rotting time."""
        if self.sla_hours is not None:
            return self.sla_hours
        return self.rotting_days * 24 if self.rotting_days is not None else None

    @property
    def is_lost(self) -> bool:
        return self.outcome == "LOST"


_NONE = StepSettings("OPEN", None, False, None, None)


def wip_limit_in(metadata: dict[str, Any] | None) -> int | None:
    limit = (metadata or {}).get(WIP_LIMIT)
    return limit if isinstance(limit, int) and not isinstance(limit, bool) else None


def of(step: StepRead | None) -> StepSettings:
    if step is None:
        return _NONE
    metadata = step.metadata
    return StepSettings(
        outcome=str(metadata.get(OUTCOME) or "OPEN"),
        wip_limit=wip_limit_in(metadata),
        blocks=metadata.get(WIP_POLICY) == "block",
        rotting_days=_number(metadata.get(ROTTING_DAYS)),
        sla_hours=_number(metadata.get(SLA_HOURS)),
    )


def reached_by_hand(step: StepRead | None) -> bool:
    """Whether a move may enter ``step``: a CONVERTED one is entered by converting the
    card (a lead into a deal), which makes the deal in the same transaction."""
    return of(step).outcome != "CONVERTED"


def problems(metadata: dict[str, Any], kind_keys: dict[str, MetadataKey]) -> dict[str, str]:
    """What is wrong with a metadata document, by ``metadata.<key>``: the engine's keys and
    those the entity kinds on the workflow declare; other keys pass through."""
    errors: dict[str, str] = {}
    name = metadata.get(NAME)
    if name is not None and (not isinstance(name, str) or not name.strip()):
        errors[f"metadata.{NAME}"] = "The step name must be non-empty text."
    for key, spec in {**{k.key: k for k in NUMBERS}, **kind_keys}.items():
        problem = spec.problem(metadata[key]) if metadata.get(key) is not None else None
        if problem:
            errors[f"metadata.{key}"] = problem
    if metadata.get(WIP_POLICY) not in (None, *WIP_POLICIES):
        errors[f"metadata.{WIP_POLICY}"] = "WIP policy must be warn or block."
    if metadata.get(OUTCOME) not in (None, *OUTCOMES):
        errors[f"metadata.{OUTCOME}"] = f"outcome_type must be one of {', '.join(OUTCOMES)}."
    return errors
