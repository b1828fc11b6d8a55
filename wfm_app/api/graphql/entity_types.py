"""Entity types: the spec's standard WFM fields on every entity (``WFMEntity``), custom
field values, and each entity's own columns (deals, leads, support tickets)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry

from wfm_app.api.graphql.custom_fields import CustomFieldValue, values_of
from wfm_app.api.graphql.types import (
    GqlInfo,
    User,
    WFMHistoryEntry,
    WFMProject,
    WFMStatus,
    WFMWorkflowStep,
    _user,
)
from wfm_app.entities import deals, leads, tickets
from wfm_app.entities.base import EntityService
from wfm_app.entities.deals import DealRead
from wfm_app.entities.kind import WfmPosition
from wfm_app.entities.leads import LeadRead
from wfm_app.entities.tickets import TicketRead


@strawberry.interface(name="WFMEntity")
class WFMEntity:
    """The spec's standard fields of every entity on the engine, WFM integration included."""

    _read: strawberry.Private[Any]  # DealRead, LeadRead, ...: each has .wfm (WfmPosition)
    _service: strawberry.Private[EntityService[Any, Any, Any]]

    @property
    def _wfm(self) -> WfmPosition:
        return self._read.wfm

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field
    def name(self) -> str:
        return str(self._read.name)

    @strawberry.field(name="wfm_project_id")
    def wfm_project_id(self) -> strawberry.ID:
        return strawberry.ID(str(self._wfm.wfm_project_id))

    @strawberry.field
    async def wfm_project(self, info: GqlInfo) -> WFMProject | None:
        project = await info.context.projects.load(self._wfm.wfm_project_id)
        return WFMProject(_read=project) if project else None

    @strawberry.field
    def current_wfm_step(self) -> WFMWorkflowStep | None:
        return WFMWorkflowStep(_read=self._wfm.step) if self._wfm.step else None

    @strawberry.field
    def current_wfm_status(self) -> WFMStatus | None:
        return WFMStatus(_read=self._wfm.step.status) if self._wfm.step else None

    @strawberry.field
    def entity_status(self) -> str:
        return self._wfm.outcome

    @strawberry.field
    def entity_progress(self) -> float:
        return self._wfm.progress

    @strawberry.field
    async def owner(self, info: GqlInfo) -> User | None:
        return await _user(info, self._read.owner_id)

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.created_at

    @strawberry.field
    def updated_at(self) -> datetime:
        return self._read.updated_at

    @strawberry.field
    def custom_field_values(self, info: GqlInfo) -> list[CustomFieldValue]:
        entity_type = self._service.kind.description.entity_type
        specs = info.context.custom_fields_of(entity_type)
        return values_of(specs, self._read.custom_fields)

    @strawberry.field
    async def history(self, info: GqlInfo) -> list[WFMHistoryEntry]:
        entries = await info.context.history.load((self._service, self._read.id))
        return [WFMHistoryEntry(_read=e, _workflow_id=self._wfm.workflow_id) for e in entries]


def _money(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


@strawberry.type(name="Deal")
class Deal(WFMEntity):
    @staticmethod
    def of(read: DealRead) -> Deal:
        return Deal(_read=read, _service=deals.service)

    @strawberry.field
    def amount(self) -> float | None:
        return _money(self._read.amount)

    @strawberry.field
    def currency(self) -> str:
        return str(self._read.currency)

    @strawberry.field(name="expected_close_date")
    def expected_close_date(self) -> date | None:
        return self._read.expected_close_date

    @strawberry.field
    def weighted_amount(self) -> float | None:
        return _money(self._read.weighted_amount)


@strawberry.type(name="Lead")
class Lead(WFMEntity):
    @staticmethod
    def of(read: LeadRead) -> Lead:
        return Lead(_read=read, _service=leads.service)

    @strawberry.field
    def company(self) -> str | None:
        return self._read.company

    @strawberry.field
    def email(self) -> str | None:
        return self._read.email

    @strawberry.field
    def score(self) -> int | None:
        return self._read.score


@strawberry.type(name="Ticket")
class Ticket(WFMEntity):
    @staticmethod
    def of(read: TicketRead) -> Ticket:
        return Ticket(_read=read, _service=tickets.service)

    @strawberry.field
    def priority(self) -> str:
        return str(self._read.priority)

    @strawberry.field(name="customer_email")
    def customer_email(self) -> str | None:
        return self._read.customer_email

    @strawberry.field(name="due_date")
    def due_date(self) -> date | None:
        return self._read.due_date
