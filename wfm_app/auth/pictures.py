"""People's pictures, as their identity provider gives them (the OpenID Connect `picture`
claim): on card faces beside their initials."""

from __future__ import annotations

import time
import uuid

from sqlmodel import col, select

from wfm_app.auth.models import User
from wfm_app.db import unit_of_work
from wfm_app.tenancy import current_org_id

MAX_LENGTH = 8192  # a provider's address, or a small inline image
_SHOWN_SCHEMES = ("https://", "data:image/png;base64,", "data:image/jpeg;base64,")
_FRESH_FOR = 60.0  # seconds: a new picture shows within a minute of its owner's sign-in
_cache: dict[uuid.UUID | None, tuple[float, dict[uuid.UUID | None, str]]] = {}


def shown(url: object) -> str | None:
    """The claim if a browser may load it as an image: https, or an inline PNG or JPEG
    (never javascript:, plain http or an SVG that could carry script)."""
    if not isinstance(url, str) or len(url) > MAX_LENGTH:
        return None
    if any(c in url for c in "\"'()\\ \t\n<>"):  # it goes into a CSS url(): nothing else
        return None
    return url if url.startswith(_SHOWN_SCHEMES) else None


def of_people() -> dict[uuid.UUID | None, str]:
    """Everyone's picture in the organization the work acts in, by user id (read at most
    once a minute per process: a board asks for it on every load)."""
    org, now = current_org_id(), time.monotonic()
    cached = _cache.get(org)
    if cached is not None and now - cached[0] < _FRESH_FOR:
        return cached[1]
    with unit_of_work() as uow:
        rows = uow.session.exec(
            select(User.id, User.avatar_url).where(col(User.avatar_url).is_not(None))
        ).all()
    pictures: dict[uuid.UUID | None, str] = {
        user_id: url for user_id, url in rows if url is not None and shown(url)
    }
    _cache[org] = (now, pictures)
    return pictures
