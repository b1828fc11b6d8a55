"""Deals: sales opportunities on the "Sales Deal" project type's workflow."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, Numeric, Text, text
from sqlmodel import Field, SQLModel

from wfm_app.engine import org_settings
from wfm_app.engine.inputs import Name
from wfm_app.engine.registry import EntityDescription, FieldSpec, MetadataKey
from wfm_app.entities.base import EntityService
from wfm_app.entities.fields import Amount, Currency, Fraction
from wfm_app.entities.kind import (
    EntityInput,
    EntityKind,
    WfmPosition,
    assignee_field,
    custom_values_field,
    weighted,
)
from wfm_app.sqltypes import UtcDateTime, table_of, timestamp_field
from wfm_app.tenancy import OrgOwned, org_field

# The index of lists sorted by close date, a null last (entities/listing.py; migration
# 0020), written as PostgreSQL prints it back, so that models and migrations compare equal.
CLOSING_SORT = (
    "(\nCASE\n    WHEN expected_close_date IS NULL THEN 'infinity'::date\n"
    "    ELSE expected_close_date\nEND)"
)

DESCRIPTION = EntityDescription(
    entity_type="DEAL",
    noun="deal",
    plural_label="Deals",
    board_path="/deals",  # its own route, older than /boards/<key>
    fields=(
        FieldSpec("name", "Name", required=True),
        FieldSpec("amount", "Amount", "amount"),
        FieldSpec("currency", "Currency", "currency", required=True),
        FieldSpec("expected_close_date", "Expected close date", "date"),
        FieldSpec(
            "deal_specific_probability",
            "Probability override",
            "percent",
            help="A percentage from 0 to 100; blank: the step's probability.",
        ),
    ),
    project_types=("Sales Deal",),
    card_fields=("amount",),
    metadata_keys=(MetadataKey("deal_probability", "Probability", 0, 100, unit="%"),),
    probability_key="deal_probability",
)


class Deal(SQLModel, OrgOwned, table=True):
    __tablename__ = "deals"
    __table_args__ = (
        Index("idx_deals_created", "org_id", "created_at", "id"),
        # Lists sorted by close date (entities/listing.py): a null one sorts last.
        Index("idx_deals_closing", "org_id", text(CLOSING_SORT), "id"),
        Index("idx_deals_wfm_project", "wfm_project_id"),
        Index("idx_deals_user", "user_id"),
        # Custom field filters (containment, @>) stay index lookups at any size.
        Index("idx_deals_custom", "custom_field_values", postgresql_using="gin"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(sa_type=Text)
    amount: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    currency: str = Field(
        default="USD", sa_type=Text, sa_column_kwargs={"server_default": text("'USD'")}
    )
    expected_close_date: date | None = None
    deal_specific_probability: Decimal | None = Field(default=None, sa_type=Numeric(5, 4))
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    assigned_to_user_id: uuid.UUID | None = assignee_field()
    assigned_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    wfm_project_id: uuid.UUID | None = Field(default=None, foreign_key="wfm_projects.id")
    custom_field_values: dict[str, Any] = custom_values_field()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class DealCreate(EntityInput):
    name: Name
    amount: Amount = None
    currency: Currency | None = None  # the organization's default
    expected_close_date: date | None = None
    deal_specific_probability: Fraction = None
    wfm_project_type_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


class DealUpdate(EntityInput):
    name: Name | None = None
    amount: Amount = None
    currency: Currency | None = None
    expected_close_date: date | None = None
    deal_specific_probability: Fraction = None
    owner_id: uuid.UUID | None = None


@dataclass(slots=True)
class DealRead:
    id: uuid.UUID
    name: str
    amount: Decimal | None
    currency: str
    expected_close_date: date | None
    deal_specific_probability: Decimal | None
    owner_id: uuid.UUID | None
    owner_name: str | None
    assignee_id: uuid.UUID | None
    assignee_name: str | None
    assigned_at: datetime | None
    wfm: WfmPosition
    weighted_amount: Decimal | None
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime


def _to_read(row: Mapping[str, Any], wfm: WfmPosition) -> DealRead:
    amount, own = row["amount"], row["deal_specific_probability"]
    # The deal's own probability, when it has one, weighs its amount instead of the step's.
    progress = wfm.progress if own is None else float(own)
    return DealRead(
        id=row["id"],
        name=row["name"],
        amount=amount,
        currency=row["currency"],
        expected_close_date=row["expected_close_date"],
        deal_specific_probability=own,
        owner_id=row["user_id"],
        owner_name=row["owner_name"],
        assignee_id=row["assigned_to_user_id"],
        assignee_name=row["assignee_name"],
        assigned_at=row["assigned_at"],
        wfm=wfm,
        weighted_amount=None if amount is None else weighted(amount, progress),
        custom_fields=row["custom_field_values"] or {},
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _create_values(data: DealCreate) -> dict[str, Any]:
    return {
        "amount": data.amount,
        "currency": data.currency or org_settings.default_currency(),
        "expected_close_date": data.expected_close_date,
        "deal_specific_probability": data.deal_specific_probability,
    }


KIND: EntityKind[DealRead, DealCreate, DealUpdate] = EntityKind(
    description=DESCRIPTION,
    create_model=DealCreate,
    update_model=DealUpdate,
    table=table_of(Deal),
    to_read=_to_read,
    create_values=_create_values,
    amount_of=lambda deal: deal.amount,
    own_probability="deal_specific_probability",
)

service: EntityService[DealRead, DealCreate, DealUpdate] = EntityService(KIND)
