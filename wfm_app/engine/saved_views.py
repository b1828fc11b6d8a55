"""Saved views: a board's filters, search, grouping and workflow under a name.

A view is its author's; a manager may publish one to everyone in the organization. Each
person may make one view per board their default (their own or a published one), which
the board opens with. A view is found by its id (``?view=<id>`` links) by its author and,
once published, by everyone; to anyone else it does not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Index,
    Table,
    UniqueConstraint,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlmodel import Field, SQLModel

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import access
from wfm_app.engine.inputs import clean_text
from wfm_app.errors import Forbidden, NotFound, ValidationFailed
from wfm_app.sqltypes import JsonDocument, UtcDateTime, table_of, timestamp_field, utc_now
from wfm_app.tenancy import OrgOwned, org_field

MAX_VIEW_NAME = 80
MAX_SEARCH = 200
MAX_GROUP_BY = 100
MAX_VIEWS_PER_BOARD = 50  # one person's own views on one board
MAX_BOARD_KEY = 64


class SavedView(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_saved_views"
    __table_args__ = (
        UniqueConstraint("org_id", "entity_type", "user_id", "name", name="uq_saved_view_name"),
        Index("idx_saved_views_board", "org_id", "entity_type"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entity_type: str
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    name: str
    is_published: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    settings: dict[str, Any] = Field(sa_type=JsonDocument)
    created_at: datetime = timestamp_field()
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class SavedViewDefault(SQLModel, OrgOwned, table=True):
    """The view a person's board opens with, one per board."""

    __tablename__ = "wfm_saved_view_defaults"

    org_id: uuid.UUID = org_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    entity_type: str = Field(primary_key=True)
    view_id: uuid.UUID = Field(foreign_key="wfm_saved_views.id", ondelete="CASCADE")


_views: Table = table_of(SavedView)
_defaults: Table = table_of(SavedViewDefault)


@dataclass(frozen=True, slots=True)
class ViewSettings:
    """What a view restores; empty strings mean "not narrowed"."""

    workflow_id: str = ""
    search: str = ""
    owner_id: str = ""
    assignee_id: str = ""
    overdue_only: bool = False
    waiting_on_me: bool = False
    group_by: str = ""

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> ViewSettings:
        """Read leniently: a key an older version did not write takes its default."""
        known = {name: stored[name] for name in cls.__slots__ if name in stored}
        return cls(**known)


@dataclass(frozen=True, slots=True)
class SavedViewRead:
    id: uuid.UUID
    entity_type: str
    name: str
    is_published: bool
    is_mine: bool
    is_default: bool
    author: str
    settings: ViewSettings = field(default_factory=ViewSettings)


def may_publish(actor: Actor) -> bool:
    """Publishing a view to everyone: those who work with everyone's cards (managers)."""
    return access.works_on_everyones(actor)


def _invalid(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field_name: message})


def _clean_settings(settings: ViewSettings) -> ViewSettings:
    for name in ("workflow_id", "owner_id", "assignee_id"):
        value = getattr(settings, name)
        if value:
            try:
                uuid.UUID(value)
            except ValueError:
                raise _invalid(name, f"{name} must be an id.") from None
    search = _text(settings.search, "search", "Search", MAX_SEARCH)
    group_by = _text(settings.group_by, "group_by", "Group by", MAX_GROUP_BY)
    return ViewSettings(
        workflow_id=settings.workflow_id,
        search=search,
        owner_id=settings.owner_id,
        assignee_id=settings.assignee_id,
        overdue_only=bool(settings.overdue_only),
        waiting_on_me=bool(settings.waiting_on_me),
        group_by=group_by,
    )


def _text(value: str, field_name: str, what: str, limit: int) -> str:
    try:
        return clean_text(value, what=what, limit=limit)
    except ValueError as error:
        raise _invalid(field_name, str(error)) from None


def _clean_name(name: str) -> str:
    cleaned = _text(name, "name", "Name", MAX_VIEW_NAME)
    if not cleaned:
        raise _invalid("name", "Name is required.")
    return cleaned


def _clean_board(entity_type: str) -> str:
    if not entity_type or len(entity_type) > MAX_BOARD_KEY:
        raise _invalid("entity_type", f"entity_type must be 1 to {MAX_BOARD_KEY} characters.")
    return entity_type


def _signed_in(actor: Actor | None) -> tuple[Actor, uuid.UUID]:
    actor = access.require_permission(actor, READ_PROJECTS, "use saved views")
    if actor.user_id is None:
        raise Forbidden("Saved views belong to a person: sign in as one.")
    return actor, actor.user_id


def _visible_to(user_id: uuid.UUID) -> Any:
    return or_(_views.c.user_id == user_id, _views.c.is_published.is_(True))


def _read(row: Any, user_id: uuid.UUID, default_id: uuid.UUID | None) -> SavedViewRead:
    return SavedViewRead(
        id=row.id,
        entity_type=row.entity_type,
        name=row.name,
        is_published=row.is_published,
        is_mine=row.user_id == user_id,
        is_default=row.id == default_id,
        author=row.author or "",
        settings=ViewSettings.from_stored(row.settings or {}),
    )


def _select_views() -> Any:
    from wfm_app.auth.models import User  # the people table, for the author's name

    users = table_of(User)
    return select(_views, users.c.display_name.label("author")).join_from(
        _views, users, users.c.id == _views.c.user_id, isouter=True
    )


def _default_id(session: Any, user_id: uuid.UUID, entity_type: str) -> uuid.UUID | None:
    return session.execute(
        select(_defaults.c.view_id).where(
            _defaults.c.user_id == user_id, _defaults.c.entity_type == entity_type
        )
    ).scalar_one_or_none()


def listed(actor: Actor | None, entity_type: str) -> list[SavedViewRead]:
    """One board's views the person may open: their own and the published ones, by name."""
    actor, user_id = _signed_in(actor)
    entity_type = _clean_board(entity_type)
    with unit_of_work() as uow:
        default = _default_id(uow.session, user_id, entity_type)
        rows = uow.session.execute(
            _select_views()
            .where(_views.c.entity_type == entity_type, _visible_to(user_id))
            .order_by(func.lower(_views.c.name), _views.c.id)
        ).all()
        return [_read(row, user_id, default) for row in rows]


def get(actor: Actor | None, view_id: uuid.UUID) -> SavedViewRead:
    actor, user_id = _signed_in(actor)
    with unit_of_work() as uow:
        row = uow.session.execute(
            _select_views().where(_views.c.id == view_id, _visible_to(user_id))
        ).first()
        if row is None:
            raise NotFound("This saved view does not exist or is not shared with you.")
        return _read(row, user_id, _default_id(uow.session, user_id, row.entity_type))


def default_view(actor: Actor | None, entity_type: str) -> SavedViewRead | None:
    """The view the person's board opens with, if they chose one (and may still see it)."""
    actor, user_id = _signed_in(actor)
    with unit_of_work() as uow:
        view_id = _default_id(uow.session, user_id, _clean_board(entity_type))
    if view_id is None:
        return None
    try:
        return get(actor, view_id)
    except NotFound:  # unpublished since: the board opens as it would without one
        return None


def save(
    actor: Actor | None,
    entity_type: str,
    name: str,
    settings: ViewSettings,
    *,
    publish: bool = False,
    make_default: bool = False,
) -> SavedViewRead:
    """Save the board's settings under a name: a new view, or the person's own view of
    that name on that board, replaced."""
    actor, user_id = _signed_in(actor)
    entity_type, name = _clean_board(entity_type), _clean_name(name)
    stored = asdict(_clean_settings(settings))
    if publish and not may_publish(actor):
        raise Forbidden("Only managers may publish a view to everyone.")
    with unit_of_work() as uow:
        mine = (_views.c.entity_type == entity_type) & (_views.c.user_id == user_id)
        existing = uow.session.execute(
            select(_views.c.id).where(mine, _views.c.name == name)
        ).scalar_one_or_none()
        if existing is None:
            count = uow.session.execute(
                select(func.count()).select_from(_views).where(mine)
            ).scalar_one()
            if count >= MAX_VIEWS_PER_BOARD:
                raise _invalid(
                    "name",
                    f"You have {MAX_VIEWS_PER_BOARD} views on this board: delete one first.",
                )
            view = SavedView(
                entity_type=entity_type,
                user_id=user_id,
                name=name,
                is_published=publish,
                settings=stored,
            )
            uow.session.add(view)
            uow.session.flush()
            view_id = view.id
        else:
            view_id = existing
            uow.session.execute(
                update(_views)
                .where(_views.c.id == view_id)
                .values(settings=stored, is_published=publish, updated_at=utc_now())
            )
        if make_default:
            _set_default(uow.session, user_id, entity_type, view_id)
    return get(actor, view_id)


def _set_default(session: Any, user_id: uuid.UUID, entity_type: str, view_id: uuid.UUID) -> None:
    mine = (_defaults.c.user_id == user_id) & (_defaults.c.entity_type == entity_type)
    session.execute(delete(_defaults).where(mine))
    session.execute(
        insert(_defaults).values(user_id=user_id, entity_type=entity_type, view_id=view_id)
    )


def make_default(actor: Actor | None, view_id: uuid.UUID) -> SavedViewRead:
    """The board opens with this view for the person from now on."""
    view = get(actor, view_id)
    actor, user_id = _signed_in(actor)
    with unit_of_work() as uow:
        _set_default(uow.session, user_id, view.entity_type, view.id)
    return get(actor, view_id)


def clear_default(actor: Actor | None, entity_type: str) -> None:
    actor, user_id = _signed_in(actor)
    with unit_of_work() as uow:
        uow.session.execute(
            delete(_defaults).where(
                _defaults.c.user_id == user_id,
                _defaults.c.entity_type == _clean_board(entity_type),
            )
        )


def remove(actor: Actor | None, view_id: uuid.UUID) -> None:
    """Delete a view: its author, or a manager for a published one."""
    view = get(actor, view_id)
    actor, _user_id = _signed_in(actor)
    if not view.is_mine and not (view.is_published and may_publish(actor)):
        raise Forbidden(f'Only its author or a manager may delete "{view.name}".')
    with unit_of_work() as uow:
        uow.session.execute(delete(_views).where(_views.c.id == view_id))
