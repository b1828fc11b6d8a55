"""Validated field types shared by entity inputs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _amount(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite():
        raise ValueError("Amount must be a number.")
    if value < 0:
        raise ValueError("Amount cannot be negative.")
    if value >= Decimal("1e12"):
        raise ValueError("Amount is too large.")
    return value.quantize(Decimal("0.01"))


def _currency(value: str) -> str:
    value = value.strip().upper()
    if not _CURRENCY.match(value):
        raise ValueError("Currency must be a three-letter code such as USD.")
    return value


def _email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _EMAIL.match(value):
        raise ValueError("Enter an email address such as name@example.com.")
    return value


Amount = Annotated[Decimal | None, AfterValidator(_amount)]
Currency = Annotated[str, AfterValidator(_currency)]
Email = Annotated[str | None, AfterValidator(_email)]
Score = Annotated[int | None, Field(ge=0, le=100)]
