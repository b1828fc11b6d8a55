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

from wfm_app.engine.schemas import Input, Name
from wfm_app.entities.base import EntityKind, EntityService, WfmPosition, weighted
from wfm_app.entities.fields import Amount, Currency
from wfm_app.sqltypes import timestamp_field


class Deal(SQLModel, table=True):
    __tablename__ = "deals"
    __table_args__ = (
        Index("idx_deals_wfm_project", "wfm_project_id"),
        Index("idx_deals_user", "user_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(sa_type=Text)
    amount: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    currency: str = Field(
        default="USD", sa_type=Text, sa_column_kwargs={"server_default": text("'USD'")}
    )
    expected_close_date: date | None = None
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    wfm_project_id: uuid.UUID | None = Field(default=None, foreign_key="wfm_projects.id")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class DealCreate(Input):
    name: Name
    amount: Amount = None
    currency: Currency = "USD"
    expected_close_date: date | None = None
    wfm_project_type_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


class DealUpdate(Input):
    name: Name | None = None
    amount: Amount = None
    currency: Currency | None = None
    expected_close_date: date | None = None
    owner_id: uuid.UUID | None = None


@dataclass(slots=True)
class DealRead:
    id: uuid.UUID
    name: str
    amount: Decimal | None
    currency: str
    expected_close_date: date | None
    owner_id: uuid.UUID | None
    owner_name: str | None
    wfm: WfmPosition
    weighted_amount: Decimal | None
    created_at: datetime
    updated_at: datetime


def _to_read(row: Mapping[str, Any], wfm: WfmPosition) -> DealRead:
    amount = row["amount"]
    return DealRead(
        id=row["id"],
        name=row["name"],
        amount=amount,
        currency=row["currency"],
        expected_close_date=row["expected_close_date"],
        owner_id=row["user_id"],
        owner_name=row["owner_name"],
        wfm=wfm,
        weighted_amount=None if amount is None else weighted(amount, wfm.progress),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _create_values(data: DealCreate) -> dict[str, Any]:
    return {
        "amount": data.amount,
        "currency": data.currency,
        "expected_close_date": data.expected_close_date,
    }


KIND: EntityKind[DealRead, DealCreate, DealUpdate] = EntityKind(
    noun="deal",
    table=Deal.__table__,  # type: ignore[attr-defined]
    default_project_type="Sales Deal",
    probability_key="deal_probability",
    to_read=_to_read,
    create_values=_create_values,
    amount_of=lambda deal: deal.amount,
)

service: EntityService[DealRead, DealCreate, DealUpdate] = EntityService(KIND)
