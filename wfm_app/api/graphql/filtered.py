"""``dealsFiltered`` and ``leadsFiltered``: PipeCD's filtered, sorted, cursor-paged lists
(the fields of its ``DealFiltersInput`` that apply to our deals; its people,
organizations, labels and activities are not ours, and asking for them is an error that
names the field). The translation to the one service filter is in lists.py."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from wfm_app.api.graphql.common import actor_of, id_of
from wfm_app.api.graphql.entity_types import Deal, Lead
from wfm_app.api.graphql.lists import (
    Connection,
    CustomFieldFilterInput,
    SortDirection,
    between,
    custom,
    dated,
    ids,
    overdue,
    quick_ranges,
    sort_of,
)
from wfm_app.api.graphql.types import GqlInfo
from wfm_app.entities import deals, leads
from wfm_app.entities.base import EntityService
from wfm_app.entities.filtering import CardFilter


@strawberry.input(name="DealFiltersInput")
class DealFiltersInput:
    search: str | None = None
    amount_min: float | None = None
    amount_max: float | None = None
    currency: str | None = None
    expected_close_date_from: datetime | None = None
    expected_close_date_to: datetime | None = None
    created_date_from: datetime | None = None
    created_date_to: datetime | None = None
    deal_specific_probability_min: float | None = None
    deal_specific_probability_max: float | None = None
    assigned_to_user_ids: list[strawberry.ID] | None = None
    unassigned: bool | None = None
    wfm_workflow_ids: list[strawberry.ID] | None = None
    wfm_step_ids: list[strawberry.ID] | None = None
    wfm_status_ids: list[strawberry.ID] | None = None
    wfm_project_type_ids: list[strawberry.ID] | None = None
    custom_field_filters: list[CustomFieldFilterInput] | None = None
    created_today: bool | None = None
    created_this_week: bool | None = None
    created_this_month: bool | None = None
    closing_today: bool | None = None
    closing_this_week: bool | None = None
    closing_this_month: bool | None = None
    overdue: bool | None = None


@strawberry.enum(name="DealSortField")
class DealSortField(Enum):
    NAME = "name"
    AMOUNT = "amount"
    EXPECTED_CLOSE_DATE = "expected_close_date"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    DEAL_SPECIFIC_PROBABILITY = "deal_specific_probability"
    WEIGHTED_AMOUNT = "weighted_amount"


@strawberry.input(name="DealSortInput")
class DealSortInput:
    field: DealSortField
    direction: SortDirection


@strawberry.type(name="DealsConnection")
class DealsConnection(Connection):
    nodes: list[Deal]


@strawberry.input(name="LeadFilters")
class LeadFilters:
    search: str | None = None
    source: str | None = None
    lead_score_min: int | None = None
    lead_score_max: int | None = None
    estimated_value_min: float | None = None
    estimated_value_max: float | None = None
    assigned_to_user_id: strawberry.ID | None = None
    assigned_to_user_ids: list[strawberry.ID] | None = None
    unassigned: bool | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    converted_after: datetime | None = None
    converted_before: datetime | None = None
    wfm_workflow_ids: list[strawberry.ID] | None = None
    wfm_step_ids: list[strawberry.ID] | None = None
    wfm_status_ids: list[strawberry.ID] | None = None
    custom_field_filters: list[CustomFieldFilterInput] | None = None


@strawberry.enum(name="LeadSortField")
class LeadSortField(Enum):
    NAME = "name"
    LEAD_SCORE = "score"
    ESTIMATED_VALUE = "estimated_value"
    ESTIMATED_CLOSE_DATE = "estimated_close_date"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input(name="LeadSortInput")
class LeadSortInput:
    field: LeadSortField
    direction: SortDirection


@strawberry.type(name="LeadsConnection")
class LeadsConnection(Connection):
    nodes: list[Lead]


def deal_filter(given: DealFiltersInput | None) -> CardFilter:
    f = given or DealFiltersInput()
    ranges = (
        *between("amount", f.amount_min, f.amount_max),
        *between(
            "expected_close_date", *dated(f.expected_close_date_from, f.expected_close_date_to)
        ),
        *between("created_at", f.created_date_from, f.created_date_to),
        *between(
            "deal_specific_probability",
            f.deal_specific_probability_min,
            f.deal_specific_probability_max,
        ),
        *quick_ranges(
            {"today": f.created_today, "week": f.created_this_week, "month": f.created_this_month},
            {"today": f.closing_today, "week": f.closing_this_week, "month": f.closing_this_month},
            "expected_close_date",
        ),
        *(overdue("expected_close_date") if f.overdue else ()),
    )
    return CardFilter(
        search=f.search,
        workflow_ids=ids(f.wfm_workflow_ids, "wfmWorkflowIds"),
        step_ids=ids(f.wfm_step_ids, "wfmStepIds"),
        status_ids=ids(f.wfm_status_ids, "wfmStatusIds"),
        project_type_ids=ids(f.wfm_project_type_ids, "wfmProjectTypeIds"),
        assignee_ids=ids(f.assigned_to_user_ids, "assignedToUserIds"),
        unassigned=bool(f.unassigned),
        ranges=ranges,
        equals=(("currency", f.currency),) if f.currency else (),
        custom=custom(f.custom_field_filters),
        open_only=bool(f.overdue),
    )


def lead_filter(given: LeadFilters | None) -> CardFilter:
    f = given or LeadFilters()
    assignees = ids(f.assigned_to_user_ids, "assignedToUserIds")
    if f.assigned_to_user_id:
        assignees = (*assignees, id_of(f.assigned_to_user_id, "assignedToUserId"))
    return CardFilter(
        search=f.search,
        workflow_ids=ids(f.wfm_workflow_ids, "wfmWorkflowIds"),
        step_ids=ids(f.wfm_step_ids, "wfmStepIds"),
        status_ids=ids(f.wfm_status_ids, "wfmStatusIds"),
        assignee_ids=assignees,
        unassigned=bool(f.unassigned),
        ranges=(
            *between("score", f.lead_score_min, f.lead_score_max),
            *between("estimated_value", f.estimated_value_min, f.estimated_value_max),
            *between("created_at", f.created_after, f.created_before),
            *between("converted_at", f.converted_after, f.converted_before),
        ),
        equals=(("source", f.source),) if f.source else (),
        custom=custom(f.custom_field_filters),
    )


def connection_parts(
    info: GqlInfo,
    service: EntityService[Any, Any, Any],
    filters: CardFilter,
    sort: Any,
    paging: dict[str, Any],
) -> dict[str, Any]:
    """One page and a deferred count, for any connection type."""
    actor = actor_of(info)
    listed = sort_of(sort.field, sort.direction) if sort else None
    page = service.list_page(actor, filters, listed, **paging)
    info.context.announce_entities(service, page.nodes)
    return {"_page": page, "_count": lambda: service.count(actor, filters)}


@strawberry.type
class FilteredQueries:
    @strawberry.field(name="dealsFiltered", description="Deals filtered, sorted and paged.")
    def deals_filtered(
        self,
        info: GqlInfo,
        filters: DealFiltersInput | None = None,
        sort: DealSortInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> DealsConnection:
        paging = {"first": first, "after": after, "last": last, "before": before}
        parts = connection_parts(info, deals.service, deal_filter(filters), sort, paging)
        return DealsConnection(nodes=[Deal.of(d) for d in parts["_page"].nodes], **parts)

    @strawberry.field(name="leadsFiltered", description="Leads filtered, sorted and paged.")
    def leads_filtered(
        self,
        info: GqlInfo,
        filters: LeadFilters | None = None,
        sort: LeadSortInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> LeadsConnection:
        paging = {"first": first, "after": after, "last": last, "before": before}
        parts = connection_parts(info, leads.service, lead_filter(filters), sort, paging)
        return LeadsConnection(nodes=[Lead.of(d) for d in parts["_page"].nodes], **parts)
