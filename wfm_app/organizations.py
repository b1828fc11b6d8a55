"""Creating organizations (`wfm org create`, and at first sign-in with WFM_AUTO_ORGS=1)."""

from __future__ import annotations

import uuid

from sqlmodel import select

from wfm_app.db import unit_of_work
from wfm_app.errors import Conflict, Forbidden, ValidationFailed
from wfm_app.seed import seed_definitions
from wfm_app.settings import settings
from wfm_app.tenancy import KEY_PATTERN, Organization, acting_in, org_id_for

MAX_NAME_LENGTH = 200


def checked_key(key: str) -> str:
    key = key.strip().lower()
    if not KEY_PATTERN.fullmatch(key):
        raise ValidationFailed(
            "An organization's key is 1 to 63 lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit.",
            field_errors={"key": "1-63 of a-z, 0-9, '-', '_'"},
        )
    return key


def all_ids() -> list[uuid.UUID]:
    return [org_id for org_id, _key in all_keyed()]


def all_keyed() -> list[tuple[uuid.UUID, str]]:
    """Every organization's id and key, by key."""
    with unit_of_work() as uow:
        rows = uow.session.exec(
            select(Organization.id, Organization.key).order_by(Organization.key)
        )
        return [(org_id, key) for org_id, key in rows]


def exists(org_id: uuid.UUID) -> bool:
    with unit_of_work() as uow:
        found = uow.session.exec(select(Organization.id).where(Organization.id == org_id))
        return found.first() is not None


def ensure(key: str, name: str | None = None) -> tuple[uuid.UUID, bool]:
    """The organization ``key`` (made if missing); whether it was made now."""
    key = checked_key(key)
    name = (name or key).strip()[:MAX_NAME_LENGTH] or key
    org_id = org_id_for(key)
    if exists(org_id):
        return org_id, False
    try:
        with unit_of_work() as uow:
            uow.session.add(Organization(id=org_id, key=key, name=name))
    except Conflict:  # made by someone else a moment ago
        return org_id, False
    return org_id, True


def create_seeded(key: str, name: str | None = None) -> tuple[uuid.UUID, bool]:
    """The organization with the spec's default definitions (seeding again adds only what
    is missing, so a run cut short is finished by the next)."""
    org_id, made = ensure(key, name)
    with acting_in(org_id):  # its own transactions: each hands RLS this organization
        seed_definitions()
    return org_id, made


def for_sign_in(key: str | None) -> uuid.UUID:
    """The organization someone signing in acts in: the one their claim names, made and
    seeded at its first sign-in with WFM_AUTO_ORGS=1; without a claim, the default one."""
    key = key or settings.default_org
    try:
        key = checked_key(key)
    except ValidationFailed:
        raise Forbidden(f"Your organization {key[:64]!r} is not a valid key.") from None
    org_id = org_id_for(key)
    if exists(org_id):
        return org_id
    if key != settings.default_org and not settings.auto_orgs:
        raise Forbidden(
            f"Your organization {key!r} is not set up here: an operator creates it with "
            f"`wfm org create {key} --name NAME`."
        )
    return create_seeded(key)[0]
