"""What a list, a board or an export of one kind's cards is narrowed to, as SQL: one
``CardFilter`` and one translation for every reader (boards, ``dealsFiltered``,
``leadsFiltered``, ``items``, exports). Ranges and equalities name the kind's built-in
fields by key (and ``created_at`` / ``updated_at``); custom fields are read from the card's
JSON values by their definition's type. ``_visible`` (entities/base.py) adds what the
actor may see. Part of ``EntityService``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Generic

from sqlalchemy import Date, DateTime, Numeric, Table, and_, func, not_, or_, select

from wfm_app.auth.actor import Actor
from wfm_app.engine import definitions, versions
from wfm_app.engine.automation import timers
from wfm_app.engine.branches import reading as branch_reading
from wfm_app.engine.custom_values import cached_definitions
from wfm_app.engine.inputs import MAX_NAME_LENGTH, clean_text
from wfm_app.engine.models import WfmProject, WorkflowStep
from wfm_app.entities.kind import EntityKind, ReadT
from wfm_app.errors import ValidationFailed
from wfm_app.sqltypes import UtcDateTime, table_of, utc_now

_projects: Table = table_of(WfmProject)
_steps: Table = table_of(WorkflowStep)
MAX_IDS = 200  # ids in one filter list
MAX_CUSTOM_CONDITIONS = 20
MAX_VALUES = 100  # values of one IN / NOT_IN condition
RANGE_TYPES = ("amount", "number", "percent", "date")


class Operator(Enum):
    """How a custom field condition compares (PipeCD's FieldFilterOperator)."""

    EQUALS = "EQUALS"
    NOT_EQUALS = "NOT_EQUALS"
    CONTAINS = "CONTAINS"
    NOT_CONTAINS = "NOT_CONTAINS"
    STARTS_WITH = "STARTS_WITH"
    ENDS_WITH = "ENDS_WITH"
    GREATER_THAN = "GREATER_THAN"
    LESS_THAN = "LESS_THAN"
    GREATER_EQUAL = "GREATER_EQUAL"
    LESS_EQUAL = "LESS_EQUAL"
    IS_NULL = "IS_NULL"
    IS_NOT_NULL = "IS_NOT_NULL"
    IN = "IN"
    NOT_IN = "NOT_IN"
    BETWEEN = "BETWEEN"


OPERATORS = tuple(operator.value for operator in Operator)


@dataclass(frozen=True, slots=True)
class FieldRange:
    """``low <= field <= high`` on a built-in field or a time (either end open)."""

    key: str
    low: Any = None
    high: Any = None


@dataclass(frozen=True, slots=True)
class CustomCondition:
    """One custom field condition: ``key`` is the field's key, ``values`` its operands
    (one for most operators, two for BETWEEN, any number for IN / NOT_IN)."""

    key: str
    operator: str
    values: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class CardFilter:
    search: str | None = None
    # A board's workflow: its cards, including those still on its older versions.
    workflow_id: uuid.UUID | None = None
    workflow_ids: tuple[uuid.UUID, ...] = ()
    step_ids: tuple[uuid.UUID, ...] = ()
    status_ids: tuple[uuid.UUID, ...] = ()
    project_type_ids: tuple[uuid.UUID, ...] = ()
    owner_ids: tuple[uuid.UUID, ...] = ()
    assignee_ids: tuple[uuid.UUID, ...] = ()
    unassigned: bool = False
    ranges: tuple[FieldRange, ...] = ()
    equals: tuple[tuple[str, Any], ...] = ()
    custom: tuple[CustomCondition, ...] = ()
    open_only: bool = False  # cards not yet on a final step
    overdue_only: bool = False  # past the step's rotting or SLA time (needs workflow_id)
    waiting_on_me: bool = False  # an open branch the actor may approve (needs workflow_id)

    @property
    def one_person(self) -> bool:
        """Narrowed to one owner's or assignee's cards (a board then ranks per column)."""
        return len(self.owner_ids) == 1 or len(self.assignee_ids) == 1


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: message})


def _bounded(ids: tuple[uuid.UUID, ...], field: str) -> tuple[uuid.UUID, ...]:
    if len(ids) > MAX_IDS:
        raise invalid(field, f"{field} takes at most {MAX_IDS} ids.")
    return ids


def _typed(value: Any, field_type: str, field: str) -> Any:
    """A filter's operand as the column compares it; a sentence naming ``field`` when it
    is not of the field's type."""
    if field_type in ("amount", "number", "NUMBER"):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise invalid(field, f"{field} must be a number.") from None
        if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
            raise invalid(field, f"{field} must be a number below 10^15.")
        return number
    if field_type in ("date", "DATE"):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            raise invalid(field, f"{field} must be a date such as 2026-12-31.") from None
    if field_type == "time":
        try:
            when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        except ValueError:
            raise invalid(field, f"{field} must be a date and time.") from None
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    text = str(value)
    if len(text) > MAX_NAME_LENGTH:
        raise invalid(field, f"{field} must be at most {MAX_NAME_LENGTH} characters.")
    return text


class EntityFilters(Generic[ReadT]):
    kind: EntityKind[ReadT, Any, Any]

    def _field_type(self, key: str, field: str) -> str:
        column = self.kind.table.c.get(key)
        if column is not None and isinstance(column.type, DateTime | UtcDateTime):
            return "time"  # created_at, updated_at, converted_at...
        spec = next((f for f in self.kind.description.fields if f.key == key), None)
        if spec is None:
            raise invalid(field, f'{self.kind.noun.capitalize()}s have no field "{key[:60]}".')
        return spec.type

    def _range(self, given: FieldRange) -> list[Any]:
        field = given.key
        field_type = self._field_type(given.key, field)
        if field_type not in (*RANGE_TYPES, "time"):
            raise invalid(field, f'"{field}" is not a number or a date.')
        column = self.kind.table.c[given.key]
        out = []
        if given.low is not None:
            out.append(column >= _typed(given.low, field_type, field))
        if given.high is not None:
            out.append(column <= _typed(given.high, field_type, field))
        return out

    def _custom(self, condition: CustomCondition) -> Any:
        field = f"custom.{condition.key[:60]}"
        specs = {s.key: s for s in cached_definitions(self.kind.description.entity_type)}
        spec = specs.get(condition.key)
        if spec is None:
            raise invalid(field, f'There is no custom field "{condition.key[:60]}".')
        if condition.operator not in OPERATORS:
            raise invalid(field, f"The operator must be one of {', '.join(OPERATORS)}.")
        if len(condition.values) > MAX_VALUES:
            raise invalid(field, f"A condition takes at most {MAX_VALUES} values.")
        stored = self.kind.table.c.custom_field_values[condition.key]
        op, kind = condition.operator, spec.field_type
        if op == "IS_NULL":
            return stored.as_string().is_(None)
        if op == "IS_NOT_NULL":
            return stored.as_string().is_not(None)
        values = [_typed(v, kind, field) for v in condition.values]
        if not values or (op == "BETWEEN" and len(values) != 2):
            raise invalid(field, f"{op} needs {'two values' if op == 'BETWEEN' else 'a value'}.")
        if kind == "MULTI_SELECT":  # a list of choices: does it hold the value(s)
            chosen = [func.coalesce(stored.as_string(), "").contains(f'"{v}"') for v in values]
            if op in ("EQUALS", "CONTAINS", "IN"):
                return or_(*chosen)
            if op in ("NOT_EQUALS", "NOT_CONTAINS", "NOT_IN"):
                return not_(or_(*chosen))
            raise invalid(field, f"{spec.label} is a list of choices: use IN, NOT_IN or EQUALS.")
        if kind == "BOOLEAN":
            flag = str(values[0]).lower() in {"true", "yes", "1", "on"}
            if op not in ("EQUALS", "NOT_EQUALS"):
                raise invalid(field, f"{spec.label} is yes or no: use EQUALS or NOT_EQUALS.")
            is_set = stored.as_boolean().is_(True)
            return is_set if flag == (op == "EQUALS") else or_(not_(is_set), stored.is_(None))
        column: Any = stored.as_string()
        if kind == "NUMBER":
            column = stored.as_float().cast(Numeric)
        elif kind == "DATE":
            column = column.cast(Date)
        return _compare(column, op, values, field)

    def _conditions(self, actor: Actor, filters: CardFilter) -> list[Any]:
        """The filters as SQL conditions (``_visible`` adds what the actor may see)."""
        table = self.kind.table
        where: list[Any] = [] if self.kind.scope is None else [self.kind.scope]
        if filters.workflow_id is not None:
            # A live version's board also shows the cards still on its older versions.
            spans = versions.columns(filters.workflow_id).workflow_ids
            where.append(
                _projects.c.workflow_id.in_(spans)
                if len(spans) > 1
                else _projects.c.workflow_id == filters.workflow_id
            )
            if filters.overdue_only:
                graph = definitions.graph(filters.workflow_id)
                where.append(timers.overdue_only(graph, utc_now()))
            if filters.waiting_on_me:
                where.append(branch_reading.waiting_on(actor, spans))
        lists = (
            (_projects.c.workflow_id, filters.workflow_ids, "wfmWorkflowIds"),
            (_projects.c.current_step_id, filters.step_ids, "wfmStepIds"),
            (_projects.c.project_type_id, filters.project_type_ids, "wfmProjectTypeIds"),
            (table.c.user_id, filters.owner_ids, "ownerIds"),
        )
        for column, ids, field in lists:
            if ids:
                where.append(column.in_(_bounded(ids, field)))
        if filters.status_ids:
            with_status = select(_steps.c.id).where(
                _steps.c.status_id.in_(_bounded(filters.status_ids, "wfmStatusIds"))
            )
            where.append(_projects.c.current_step_id.in_(with_status))
        assignees = _bounded(filters.assignee_ids, "assignedToUserIds")
        if assignees or filters.unassigned:
            column = table.c.assigned_to_user_id
            either = [column.in_(assignees)] if assignees else []
            where.append(or_(*either, column.is_(None)) if filters.unassigned else either[0])
        for given in filters.ranges:
            where.extend(self._range(given))
        for key, value in filters.equals:
            where.append(table.c[key] == _typed(value, self._field_type(key, key), key))
        if len(filters.custom) > MAX_CUSTOM_CONDITIONS:
            message = f"At most {MAX_CUSTOM_CONDITIONS} custom field conditions."
            raise invalid("customFieldFilters", message)
        where.extend(self._custom(condition) for condition in filters.custom)
        if filters.open_only:
            where.append(_projects.c.completed_at.is_(None))
        if filters.search and filters.search.strip():
            try:
                search = clean_text(filters.search, what="Search", limit=MAX_NAME_LENGTH)
            except ValueError as error:
                raise invalid("search", str(error)) from None
            where.append(func.lower(table.c.name).contains(search.lower(), autoescape=True))
        return where


def _compare(column: Any, op: str, values: list[Any], field: str) -> Any:
    first = values[0]
    if op == "EQUALS":
        return column == first
    if op == "NOT_EQUALS":
        return or_(column != first, column.is_(None))
    if op in ("CONTAINS", "NOT_CONTAINS", "STARTS_WITH", "ENDS_WITH"):
        if not isinstance(first, str):
            raise invalid(field, f"{op} compares text.")
        lowered = func.lower(column)
        if op == "STARTS_WITH":
            return lowered.startswith(first.lower(), autoescape=True)
        if op == "ENDS_WITH":
            return lowered.endswith(first.lower(), autoescape=True)
        found = lowered.contains(first.lower(), autoescape=True)
        return found if op == "CONTAINS" else or_(not_(found), column.is_(None))
    comparisons = {
        "GREATER_THAN": column > first,
        "LESS_THAN": column < first,
        "GREATER_EQUAL": column >= first,
        "LESS_EQUAL": column <= first,
    }
    if op in comparisons:
        return comparisons[op]
    if op == "BETWEEN":
        return and_(column >= values[0], column <= values[1])
    if op == "IN":
        return column.in_(values)
    if op == "NOT_IN":
        return or_(column.not_in(values), column.is_(None))
    raise invalid(field, f"The operator must be one of {', '.join(OPERATORS)}.")
