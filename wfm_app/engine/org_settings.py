"""An organization's own settings: its default currency (new deals start in it, and
currency lists offer it first). Cached with the definitions: every process hears of a
change at once (definitions.mark_changed)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions
from wfm_app.engine.access import require_definitions_manager
from wfm_app.entities import currencies
from wfm_app.errors import ValidationFailed
from wfm_app.sqltypes import table_of
from wfm_app.tenancy import Organization, current_org_id

_organizations = table_of(Organization)


def _load_currency(session: Session) -> str:
    found = session.execute(
        select(_organizations.c.default_currency).where(_organizations.c.id == current_org_id())
    ).scalar_one_or_none()
    return found or "USD"


def default_currency() -> str:
    """The acting organization's default currency."""
    return definitions.cached("organization", "default_currency", _load_currency)


def currencies_offered() -> list[str]:
    """Every currency a form offers: the organization's default first, then the most used,
    then A to Z."""
    first = default_currency()
    return [first, *(code for code in currencies.OFFERED if code != first)]


def set_default_currency(actor: Actor | None, code: str) -> str:
    require_definitions_manager(actor)
    code = code.strip().upper()
    if code not in currencies.CODES:
        message = f"{code[:8]!r} is not an ISO 4217 currency code."
        raise ValidationFailed(message, {"default_currency": "Pick a currency from the list."})
    with unit_of_work() as uow:
        uow.session.execute(
            update(_organizations)
            .where(_organizations.c.id == current_org_id())
            .values(default_currency=code)
        )
        definitions.mark_changed(uow)
    return code
