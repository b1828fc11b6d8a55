"""Small helpers every resolver module shares."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from wfm_app.api.graphql.types import GqlInfo
from wfm_app.auth.actor import Actor
from wfm_app.engine.errors import ValidationFailed, WfmError


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
