"""One CSV row as a card, or the reasons it cannot be one: every cell converted and
checked as the kind's own form would (the same input model, custom field rules and the
step's entry conditions), so the dry run and the import refuse the same rows."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from wfm_app.auth import users
from wfm_app.auth.actor import UPDATE_ANY_PROJECT, Actor
from wfm_app.engine import custom_values, definitions, rules
from wfm_app.engine.access import require_permission
from wfm_app.engine.custom_fields import PREFIX
from wfm_app.engine.external_refs import MAX_EXTERNAL_ID_LENGTH
from wfm_app.engine.inputs import parse
from wfm_app.engine.registry import FieldSpec
from wfm_app.engine.schemas import StepRead, WorkflowGraph
from wfm_app.entities.base import EntityService
from wfm_app.entities.card_import import presets
from wfm_app.entities.card_import.presets import Preset
from wfm_app.errors import ValidationFailed

Service = EntityService[Any, Any, Any]


@dataclass(frozen=True)
class Plan:
    """What a mapping means for one kind's cards on one workflow."""

    actor: Actor
    service: Service
    preset: Preset
    mapping: dict[str, str]  # column -> target
    graph: WorkflowGraph
    project_type_id: uuid.UUID
    steps: dict[str, StepRead]  # a step's name, status or mapped value (lower case)
    people: dict[str, uuid.UUID | None]  # e-mail or name (lower case); None: two people
    labels: dict[str, str]  # target -> its label, for reasons in words
    initial: StepRead  # where a row without a step starts
    incoming: dict[uuid.UUID, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Card:
    line: int
    data: Any  # the kind's create input
    values: dict[str, Any]  # as move conditions name them
    custom: dict[str, Any]  # custom field key -> value, checked
    step: StepRead
    owner_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    created_at: datetime | None
    external_id: str | None


def targets(service: Service) -> dict[str, str]:
    """Every target a column may fill, with its label: the kind's fields, its active
    custom fields, owner, assignee, step, created date and external id."""
    description = service.kind.description
    found = {spec.key: spec.label for spec in description.fields}
    for custom in custom_values.cached_definitions(description.entity_type):
        if custom.active:
            found[PREFIX + custom.key] = custom.label
    return found | presets.SPECIAL_TARGETS


def plan(
    actor: Actor | None,
    service: Service,
    preset_key: str,
    mapping: Mapping[str, str],
    step_names: Mapping[str, str],
    workflow_id: uuid.UUID | None = None,
) -> Plan:
    """Check the mapping (and ``step_names``: a value in the file -> a step's name)."""
    actor = require_permission(actor, UPDATE_ANY_PROJECT, f"import {service.kind.noun}s")
    preset = presets.PRESETS.get(preset_key)
    if preset is None:
        raise ValidationFailed("Pick a known preset.", {"preset": "Pick a known preset."})
    labels = targets(service)
    chosen = {column: target for column, target in mapping.items() if target}
    unknown = sorted(set(chosen.values()) - set(labels))
    twice = sorted({t for t in chosen.values() if list(chosen.values()).count(t) > 1})
    if "name" not in chosen.values() or unknown or twice:
        message = (
            f"Map a column to {labels['name']}."
            if "name" not in chosen.values()
            else f"Each field takes one column: {', '.join(labels.get(t, t) for t in twice)}."
            if twice
            else f"Unknown fields: {', '.join(unknown)}."
        )
        raise ValidationFailed(message, {"mapping": message})
    type_id = (
        service.starts_on(actor, workflow_id) if workflow_id else service.default_project_type_id()
    )
    start = definitions.project_types()[type_id].default_workflow_id
    if start is None:
        raise ValidationFailed("Its project type has no workflow.", {"workflow_id": "No workflow."})
    graph = definitions.graph(start)
    steps = definitions.steps_by_name(graph)
    if graph.initial_step is None:
        message = f'"{graph.workflow.name}" has no initial step yet.'
        raise ValidationFailed(message, {"workflow_id": message})
    for value, name in step_names.items():
        named = steps.get(name.strip().lower())
        if named is None:
            message = f'There is no step "{name}" on "{graph.workflow.name}".'
            raise ValidationFailed(message, {"step_names": message})
        steps[value.strip().lower()] = named
    people: dict[str, uuid.UUID | None] = {}
    for person in users.read_all():
        for said in {(person.email or "").lower(), (person.display_name or "").lower()} - {""}:
            people[said] = None if said in people else person.id
    incoming: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for transition in graph.transitions:
        incoming.setdefault(transition.to_step_id, []).append(transition.conditions or {})
    initial = graph.initial_step
    return Plan(
        actor, service, preset, chosen, graph, type_id, steps, people, labels, initial, incoming
    )


def _number(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "").replace(" ", "").rstrip("%"))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None


def _field_value(plan: Plan, spec: FieldSpec, cell: str) -> Any:
    if spec.type == "date":
        day = presets.parse_day(cell)
        if day is None:
            raise ValueError(f"{cell!r} is not a date")
        return day.isoformat()
    if spec.type == "percent":  # "75" or "75 %" in a file, a fraction in the model
        return _number(cell) / 100
    if spec.type == "currency":
        return cell.upper()
    if spec.key == "priority":
        return presets.translated_priority(plan.preset, cell)
    if spec.type == "choice":
        return next((c for c in spec.choices if c.lower() == cell.lower()), cell)
    return cell


def _person(plan: Plan, cell: str) -> uuid.UUID:
    found = plan.people.get(cell.lower(), ...)
    if found is ...:
        raise ValueError(f"nobody here has the e-mail or name {cell!r}")
    if found is None:
        raise ValueError(f"two people are called {cell!r}: use their e-mail")
    return found


def _moment(cell: str) -> datetime:
    moment = presets.parse_moment(cell)
    if moment is None:
        raise ValueError(f"{cell!r} is not a date")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def prepare(plan: Plan, line: int, row: Mapping[str, str]) -> Card | list[str]:
    """The row as a card, or every reason it cannot be one (each naming its field)."""
    description = plan.service.kind.description
    specs = {spec.key: spec for spec in description.fields}
    given: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    special: dict[str, Any] = {}
    problems: list[str] = []
    for column, target in plan.mapping.items():
        cell = row.get(column, "")
        if not cell:
            continue
        try:
            if target in specs:
                given[target] = _field_value(plan, specs[target], cell)
            elif target.startswith(PREFIX):
                custom[target] = cell
            elif target in (presets.OWNER, presets.ASSIGNEE):
                special[target] = _person(plan, cell)
            elif target == presets.STEP:
                special[target] = _step(plan, cell)
            elif target == presets.CREATED:
                special[target] = _moment(cell)
            elif len(cell) > MAX_EXTERNAL_ID_LENGTH:
                raise ValueError(f"longer than {MAX_EXTERNAL_ID_LENGTH} characters")
            else:
                special[target] = cell
        except ValueError as error:
            problems.append(f"{plan.labels[target]}: {error}.")
    data, checked = None, {}
    try:
        data = parse(
            plan.service.kind.create_model, given | {"wfm_project_type_id": plan.project_type_id}
        )
    except ValidationFailed as refused:
        problems += [_reason(plan, key, said) for key, said in refused.field_errors.items()]
    try:
        checked = custom_values.clean_values(description.entity_type, custom, creating=True)
    except ValidationFailed as refused:
        problems += [_reason(plan, key, said) for key, said in refused.field_errors.items()]
    if problems or data is None:
        return problems
    step: StepRead = special.get(presets.STEP) or plan.initial
    values = {key: getattr(data, key) for key in specs}
    values |= {PREFIX + key: value for key, value in checked.items()}
    problems += _entry_problems(plan, step, values)
    if problems:
        return problems
    return Card(
        line,
        data,
        values,
        checked,
        step,
        special.get(presets.OWNER),
        special.get(presets.ASSIGNEE),
        special.get(presets.CREATED),
        special.get(presets.EXTERNAL_ID),
    )


def _reason(plan: Plan, key: str, said: str) -> str:
    label = plan.labels.get(key, key.replace("_", " "))
    return said if said.lower().startswith(label.lower()) else f"{label}: {said}"


def _step(plan: Plan, cell: str) -> StepRead:
    step = plan.steps.get(cell.lower())
    if step is None:
        raise ValueError(f'no step "{cell}" on "{plan.graph.workflow.name}"')
    return step


def _entry_problems(plan: Plan, step: StepRead, values: dict[str, Any]) -> list[str]:
    """A card put on a later step must meet what one way into it asks (its fields'
    conditions; who may move and a reason are for moves, not imports)."""
    if step.id == plan.initial.id:
        return []
    ways = plan.incoming.get(step.id, [])
    asked = [{"required_fields": c.get("required_fields")} for c in ways]
    if not ways or any(rules.holds(c, values, frozenset()) for c in asked):
        return []
    return [f'Step "{step.display_name}" needs {rules.describe(asked[0], plan.labels)}.']
