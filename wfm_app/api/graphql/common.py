"""Small helpers every resolver module shares."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import strawberry

from wfm_app.api.graphql.types import GqlInfo
from wfm_app.auth.actor import Actor
from wfm_app.errors import ValidationFailed, WfmError


def id_of(value: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed(f"{value!r} is not a valid {what} id.") from None


def actor_of(info: GqlInfo) -> Actor:
    return info.context.require_actor()


def deleted(action: Callable[[], Any]) -> tuple[bool, str | None]:
    """Delete mutations answer success/message instead of failing the whole request."""
    try:
        action()
    except WfmError as error:
        return False, error.message
    return True, None


def _date_or_midnight(value: Any) -> date:
    """A calendar date; a date-time is taken at its date in UTC: PipeCD's client sends
    ``2025-07-16T00:00:00.000Z`` where we say ``2025-07-16``."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("Give a date such as 2025-07-16.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


LENIENT_DATE = strawberry.scalar(
    name="Date",
    description="A date (2025-07-16); a date-time is taken at its date in UTC.",
    serialize=lambda value: value.isoformat(),
    parse_value=_date_or_midnight,
)
