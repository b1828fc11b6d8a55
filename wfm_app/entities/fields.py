"""Validated field types shared by entity inputs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from wfm_app.engine.inputs import MAX_NAME_LENGTH, clean_text
from wfm_app.entities import currencies

MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path


SCALES = {"k": Decimal(1_000), "m": Decimal(1_000_000), "b": Decimal(1_000_000_000)}
SEPARATORS = str.maketrans("", "", ",_' \u00a0\u202f")  # thousands, as people type them


def _number_text(value: object) -> object:
    """Typed text such as " 1,200.50 ", "12k" or "1.5m" becomes a Decimal; anything else
    is refused."""
    if isinstance(value, str):
        text = value.strip().lower().translate(SEPARATORS)
        if not text:
            return None
        scale = SCALES.get(text[-1], Decimal(1))
        try:
            number = Decimal(text[:-1] if text[-1] in SCALES else text)
        except InvalidOperation:
            raise ValueError("Amount must be a number, such as 12000, 12,000 or 12k.") from None
        return number * scale
    return value


def _percent_text(value: object) -> object:
    """A form's percentage ("75", "75 %") as the fraction stored (0.75); the API's
    numbers are fractions already."""
    if isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("Probability must be a percentage from 0 to 100.") from None
        if not number.is_finite() or not 0 <= number <= 100:
            raise ValueError("Probability must be a percentage from 0 to 100.")
        return number / 100
    return value


def _score_text(value: object) -> object:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not text.isdigit():
            raise ValueError("Score must be a whole number from 0 to 100.")
        return int(text)
    return value


def _score(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 100:
        raise ValueError("Score must be a whole number from 0 to 100.")
    return value


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
    if not value:
        raise ValueError("Currency is required.")
    if value not in currencies.CODES:
        raise ValueError("Currency must be an ISO 4217 code such as USD or EUR.")
    return value


def is_email(value: str) -> bool:
    """name@domain.tld, checked in one pass over at most MAX_EMAIL_LENGTH characters (a
    backtracking pattern took seconds on long input, stalling the whole server)."""
    if len(value) > MAX_EMAIL_LENGTH or any(char.isspace() for char in value):
        return False
    local, at, domain = value.partition("@")
    dot = domain.rfind(".")
    return bool(local and at and "@" not in domain) and 0 < dot < len(domain) - 1


def _email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > MAX_EMAIL_LENGTH:
        raise ValueError(f"Email must be at most {MAX_EMAIL_LENGTH} characters.")
    if not is_email(value):
        raise ValueError("Enter an email address such as name@example.com.")
    return value


Amount = Annotated[Decimal | None, BeforeValidator(_number_text), AfterValidator(_amount)]
Currency = Annotated[str, AfterValidator(_currency)]
Email = Annotated[str | None, AfterValidator(_email)]
Score = Annotated[int | None, BeforeValidator(_score_text), AfterValidator(_score)]


def _fraction(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite() or not 0 <= value <= 1:
        raise ValueError("Probability must be a fraction from 0 to 1 (0.75 is 75%).")
    return value.quantize(Decimal("0.0001"))


# A deal's own probability, overriding its step's (PipeCD's deal_specific_probability).
Fraction = Annotated[Decimal | None, BeforeValidator(_percent_text), AfterValidator(_fraction)]


def _short_text(value: str | None) -> str | None:
    if value is None:
        return None
    return clean_text(value, what="Text", limit=MAX_NAME_LENGTH) or None


ShortText = Annotated[str | None, AfterValidator(_short_text)]  # a name, a phone, a source
