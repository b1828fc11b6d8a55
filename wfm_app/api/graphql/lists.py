"""Server-side lists in PipeCD's shapes: ``dealsFiltered`` (its ``DealFiltersInput``,
``DealSortInput`` and ``DealsConnection``), ``leadsFiltered`` (its ``LeadFilters``) and the
generic ``items``. Each turns its input into the one ``CardFilter`` and ``ListSort`` the
service reads boards, lists and exports through (entities/filtering.py, listing.py).
``totalCount`` is counted only when asked for: a page reads one page, a count every match.
Quick filters (today, this week, this month) are in UTC; a week starts on Monday."""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

import strawberry

from wfm_app.api.graphql.common import id_of
from wfm_app.entities.filtering import (
    MAX_IDS,
    CustomCondition,
    FieldRange,
    Operator,
    invalid,
)
from wfm_app.entities.listing import ListSort, Page
from wfm_app.sqltypes import utc_now


@strawberry.enum(name="SortDirection")
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


# PipeCD's operators, as the service knows them (one list: entities/filtering.py).
strawberry.enum(Operator, name="FieldFilterOperator")  # marks the class itself


@strawberry.input(name="CustomFieldFilterInput")
class CustomFieldFilterInput:
    field_name: str = strawberry.field(description="The custom field's key.")
    operator: Operator
    value: str = ""
    values: list[str] | None = strawberry.field(default=None, description="IN, NOT_IN, BETWEEN")


@strawberry.input(name="FieldRangeInput", description="A built-in field between min and max.")
class FieldRangeInput:
    field: str
    min: str | None = None
    max: str | None = None


@strawberry.type(name="PageInfo")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Connection:
    """The fields every connection shares (not in the schema by itself)."""

    _page: strawberry.Private[Page[Any]]
    _count: strawberry.Private[Callable[[], int]]

    @strawberry.field(description="How many match, on every page (read only when asked).")
    def total_count(self) -> int:
        return self._count()

    @strawberry.field
    def has_next_page(self) -> bool:
        return self._page.has_next

    @strawberry.field
    def has_previous_page(self) -> bool:
        return self._page.has_previous

    @strawberry.field
    def page_info(self) -> PageInfo:
        page = self._page
        return PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=page.start_cursor,
            end_cursor=page.end_cursor,
        )


# ---- turning inputs into the service's filter --------------------------------------------


def ids(given: Sequence[strawberry.ID] | None, field: str) -> tuple[uuid.UUID, ...]:
    if not given:
        return ()
    if len(given) > MAX_IDS:
        raise invalid(field, f"{field} takes at most {MAX_IDS} ids.")
    return tuple(id_of(one, field) for one in given)


def custom(given: Sequence[CustomFieldFilterInput] | None) -> tuple[CustomCondition, ...]:
    out = []
    for one in given or ():
        values = tuple(one.values) if one.values else (one.value,)
        if one.operator.value in ("IS_NULL", "IS_NOT_NULL"):
            values = ()
        out.append(CustomCondition(one.field_name[:100], one.operator.value, values))
    return tuple(out)


def field_ranges(given: Sequence[FieldRangeInput] | None) -> tuple[FieldRange, ...]:
    return tuple(FieldRange(one.field[:100], one.min, one.max) for one in given or ())


def between(key: str, low: Any, high: Any) -> tuple[FieldRange, ...]:
    return (FieldRange(key, low, high),) if low is not None or high is not None else ()


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _periods(today: date) -> dict[str, tuple[date, date]]:
    monday = today - timedelta(days=today.weekday())
    last_day = calendar.monthrange(today.year, today.month)[1]
    return {
        "today": (today, today),
        "week": (monday, monday + timedelta(days=6)),
        "month": (today.replace(day=1), today.replace(day=last_day)),
    }


def quick_ranges(
    created: dict[str, bool | None],
    closing: dict[str, bool | None],
    close_key: str | None,
) -> tuple[FieldRange, ...]:
    """PipeCD's quick filters (createdToday, closingThisMonth, ...) as ranges."""
    periods = _periods(utc_now().date())
    out: list[FieldRange] = []
    for period, wanted in created.items():
        if wanted:
            start, end = periods[period]
            last = datetime.combine(end, time.max, UTC)
            out.append(FieldRange("created_at", datetime.combine(start, time.min, UTC), last))
    for period, wanted in closing.items():
        if wanted and close_key:
            out.append(FieldRange(close_key, *periods[period]))
    return tuple(out)


def overdue(close_key: str) -> tuple[FieldRange, ...]:
    """Still open with its close date behind us."""
    return (FieldRange(close_key, None, utc_now().date() - timedelta(days=1)),)


def sort_of(field: Enum | str, direction: SortDirection) -> ListSort:
    """A sort input (an enum whose values are field keys, or a key) as the service's."""
    key = field.value if isinstance(field, Enum) else field[:100]
    return ListSort(key, direction == SortDirection.DESC)


def dated(low: date | datetime | None, high: date | datetime | None) -> tuple[Any, Any]:
    """A DateTime range on a date field: its days."""
    return _day(low), _day(high)
