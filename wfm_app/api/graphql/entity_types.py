"""Entity types: the spec's standard WFM fields on every entity (``WFMEntity``), custom
field values, and each entity's own columns (deals and leads here; support tickets in
api/graphql/ticket_type.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON

from wfm_app.api.graphql.comments import WFMComment
from wfm_app.api.graphql.common import actor_of
from wfm_app.api.graphql.custom_fields import CustomFieldValue, values_of
from wfm_app.api.graphql.history import DealHistoryEntry, LeadHistoryEntry
from wfm_app.api.graphql.prefetch import Later, then
from wfm_app.api.graphql.types import (
    GqlInfo,
    User,
    WFMProject,
    WFMStatus,
    WFMWorkflowStep,
    _project,
    _user,
)
from wfm_app.engine.schemas import HistoryEntry
from wfm_app.entities import deals, leads
from wfm_app.entities.base import EntityService
from wfm_app.entities.deals import DealRead
from wfm_app.entities.kind import WfmPosition
from wfm_app.entities.leads import LeadRead
from wfm_app.errors import ValidationFailed


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

    @strawberry.field(graphql_type=WFMProject | None)
    def wfm_project(self, info: GqlInfo) -> Later[WFMProject | None]:
        return _project(info, self._wfm.wfm_project_id)

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

    @strawberry.field(description="Its comments, oldest first.")
    def comments(self, info: GqlInfo) -> list[WFMComment]:
        found = self._service.comments(actor_of(info), self._read.id)
        return [WFMComment(_read=comment) for comment in found]

    @strawberry.field(graphql_type=User | None)
    def owner(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._read.owner_id)

    @strawberry.field(name="user_id", description="The owner's id (PipeCD's name).")
    def user_id(self) -> strawberry.ID | None:
        return _id(self._read.owner_id)

    @strawberry.field(name="assigned_to_user_id")
    def assigned_to_user_id(self) -> strawberry.ID | None:
        return _id(self._read.assignee_id)

    @strawberry.field(
        description="Works the card besides its owner, with the same access.",
        graphql_type=User | None,
    )
    def assigned_to_user(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._read.assignee_id)

    @strawberry.field(name="assigned_at")
    def assigned_at(self) -> datetime | None:
        return self._read.assigned_at

    @strawberry.field(description="Who started the card.", graphql_type=User | None)
    def created_by(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._wfm.created_by_user_id)

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.created_at

    @strawberry.field
    def updated_at(self) -> datetime:
        return self._read.updated_at

    @strawberry.field(name="created_at")
    def created_at_snake(self) -> datetime:
        return self._read.created_at

    @strawberry.field(name="updated_at")
    def updated_at_snake(self) -> datetime:
        return self._read.updated_at

    @strawberry.field
    def custom_field_values(self, info: GqlInfo) -> list[CustomFieldValue]:
        entity_type = self._service.kind.description.entity_type
        specs = info.context.custom_fields_of(entity_type)
        return values_of(specs, self._read.custom_fields)

    def _history(
        self,
        info: GqlInfo,
        limit: int | None,
        offset: int | None,
        make: Callable[[HistoryEntry], Any],
        edits: bool = True,
    ) -> Later[list[Any]]:
        """Oldest first; ``offset`` entries skipped, then at most ``limit``; without
        ``edits``, moves only."""
        start, size = offset or 0, MAX_HISTORY if limit is None else limit
        if not 0 <= start <= 1_000_000:
            raise ValidationFailed("offset: from 0 to 1,000,000.", {"offset": "0 to 1,000,000"})
        if not 1 <= size <= MAX_HISTORY:
            message = f"limit: from 1 to {MAX_HISTORY}."
            raise ValidationFailed(message, {"limit": message})
        return then(
            info.context.history.get((self._service, self._read.id)),
            lambda entries: [
                make(entry)
                for entry in [e for e in entries if edits or e.kind != "update"][
                    start : start + size
                ]
            ],
        )


MAX_HISTORY = 1_000


def _id(value: Any) -> strawberry.ID | None:
    return strawberry.ID(str(value)) if value is not None else None


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

    @strawberry.field(name="weighted_amount")
    def weighted_amount_snake(self) -> float | None:
        return _money(self._read.weighted_amount)

    @strawberry.field(
        description="The chance (0 to 1) it is won, learned from its workflow's closed "
        "deals by step and age in step; null where nothing was learned for its step."
    )
    def win_chance(self) -> float | None:
        chance = self._read.wfm.win_chance
        return round(chance, 4) if chance is not None else None

    @strawberry.field(
        name="deal_specific_probability",
        description="The deal's own probability (0 to 1), used instead of its step's.",
    )
    def deal_specific_probability(self) -> float | None:
        own = self._read.deal_specific_probability
        return float(own) if own is not None else None

    @strawberry.field(
        description="Moves and edits, oldest first (limit: at most 1,000).",
        graphql_type=list[DealHistoryEntry],
    )
    def history(
        self, info: GqlInfo, limit: int | None = None, offset: int | None = None
    ) -> Later[list[DealHistoryEntry]]:
        workflow_id = self._wfm.workflow_id
        return self._history(
            info, limit, offset, lambda e: DealHistoryEntry(_read=e, _workflow_id=workflow_id)
        )


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

    # PipeCD's names for the same three
    @strawberry.field(name="company_name")
    def company_name(self) -> str | None:
        return self._read.company

    @strawberry.field(name="contact_email")
    def contact_email(self) -> str | None:
        return self._read.email

    @strawberry.field(name="lead_score")
    def lead_score(self) -> int | None:
        return self._read.score

    @strawberry.field(name="contact_name")
    def contact_name(self) -> str | None:
        return self._read.contact_name

    @strawberry.field(name="contact_phone")
    def contact_phone(self) -> str | None:
        return self._read.contact_phone

    @strawberry.field(name="estimated_value")
    def estimated_value(self) -> float | None:
        return _money(self._read.estimated_value)

    @strawberry.field(name="estimated_close_date")
    def estimated_close_date(self) -> date | None:
        return self._read.estimated_close_date

    @strawberry.field
    def source(self) -> str | None:
        return self._read.source

    @strawberry.field
    def description(self) -> str | None:
        return self._read.description

    @strawberry.field(name="lead_score_factors", description="What the score is made of.")
    def lead_score_factors(self) -> JSON:
        return JSON(self._read.lead_score_factors)

    @strawberry.field(
        name="automation_score_factors", description="Always {}: scores are typed by people."
    )
    def automation_score_factors(self) -> JSON:
        return JSON({})

    @strawberry.field(name="ai_insights", description="Always null: no AI scoring here.")
    def ai_insights(self) -> JSON | None:
        return None

    @strawberry.field(name="converted_at")
    def converted_at(self) -> datetime | None:
        return self._read.converted_at

    @strawberry.field(name="converted_to_deal_id")
    def converted_to_deal_id(self) -> strawberry.ID | None:
        return _id(self._read.converted_to_deal_id)

    @strawberry.field(name="converted_to_deal", description="The deal it became, if visible.")
    def converted_to_deal(self, info: GqlInfo) -> Deal | None:
        deal_id = self._read.converted_to_deal_id
        found = deals.service.get_by_id(info.context.actor, deal_id) if deal_id else None
        return Deal.of(found) if found is not None else None

    @strawberry.field(
        name="converted_to_person_id", description="Always null: people are not kept here."
    )
    def converted_to_person_id(self) -> strawberry.ID | None:
        return None

    @strawberry.field(
        name="converted_to_organization_id",
        description="Always null: organizations (companies) are not kept here.",
    )
    def converted_to_organization_id(self) -> strawberry.ID | None:
        return None

    @strawberry.field(name="converted_by_user_id")
    def converted_by_user_id(self) -> strawberry.ID | None:
        return _id(self._read.converted_by_user_id)

    @strawberry.field(name="converted_by_user", graphql_type=User | None)
    def converted_by_user(self, info: GqlInfo) -> Later[User | None]:
        return _user(info, self._read.converted_by_user_id)

    @strawberry.field(
        name="last_activity_at", description="Its last change, move, approval or conversion."
    )
    def last_activity_at(self) -> datetime:
        return self._read.last_activity_at

    @strawberry.field(description="The step's is_qualified metadata, else its outcome is WON.")
    def is_qualified(self) -> bool:
        return leads.is_qualified(self._wfm.step)

    @strawberry.field(
        description="The step's lead_qualification_level (0 to 1), else its qualification chance."
    )
    def qualification_level(self) -> float:
        return leads.qualification_level(self._wfm.step, self._wfm.progress)

    @strawberry.field(description="The step's outcome: OPEN, WON, LOST or CONVERTED.")
    def qualification_status(self) -> str:
        return self._wfm.outcome

    @strawberry.field(
        description="Moves and edits, oldest first (limit: at most 1,000).",
        graphql_type=list[LeadHistoryEntry],
    )
    def history(
        self, info: GqlInfo, limit: int | None = None, offset: int | None = None
    ) -> Later[list[LeadHistoryEntry]]:
        workflow_id, lead_id = self._wfm.workflow_id, self._read.id
        return self._history(
            info,
            limit,
            offset,
            lambda e: LeadHistoryEntry(_read=e, _workflow_id=workflow_id, _lead_id=lead_id),
        )
