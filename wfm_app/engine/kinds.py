"""Entity kinds an admin defines, no code: a name, a plural, a key (its board is
``/boards/<key>``) and the project type whose workflow its cards follow.

A kind is data: its row here, its cards in the generic items table (entities/items.py),
its fields the custom fields of its entity type. The registry (engine/registry.py) reads
these rows from the definitions cache beside the built-in kinds, so a kind made in one
process is known to every process without a restart. Built-in kinds (deals, leads,
tickets) are described in code and are not rows here.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Text, UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, col, select

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import definitions, registry
from wfm_app.engine.access import require_access, require_definitions_manager
from wfm_app.engine.inputs import Input, Name
from wfm_app.engine.registry import EntityDescription, FieldSpec
from wfm_app.errors import Conflict, NotFound, ValidationFailed
from wfm_app.sqltypes import timestamp_field, utc_now
from wfm_app.tenancy import OrgOwned, org_field

CACHE_KIND = "entity_kinds"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_KEY_LENGTH = 40
MAX_KINDS = 100
# Words the app's own routes and built-in kinds use: a custom kind's key is none of them.
RESERVED_KEYS = frozenset({"deal", "deals", "lead", "leads", "ticket", "tickets", "new"})


class EntityKindRow(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_entity_kinds"
    # each organization names its own kinds: two may both have an "asset"
    __table_args__ = (
        UniqueConstraint("org_id", "key", name="uq_wfm_entity_kinds_org_key"),
        UniqueConstraint("org_id", "entity_type", name="uq_wfm_entity_kinds_org_entity_type"),
    )

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    key: str = Field(sa_type=Text)
    entity_type: str = Field(sa_type=Text)
    name: str = Field(sa_type=Text)
    plural_name: str = Field(sa_type=Text)
    project_type_id: uuid.UUID = Field(foreign_key="project_types.id")
    is_archived: bool = Field(default=False, sa_type=Boolean)
    created_by_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


@dataclass(frozen=True, slots=True)
class KindRead:
    id: uuid.UUID | None  # None: a built-in kind
    key: str
    entity_type: str
    name: str
    plural_name: str
    project_type_id: uuid.UUID | None
    board_path: str
    built_in: bool
    is_archived: bool


class KindCreate(Input):
    name: Name
    plural_name: Name | None = None
    key: str | None = None  # derived from the name when not given
    project_type_id: uuid.UUID | None = None  # required; None is refused with a sentence


class KindUpdate(Input):
    """The key never changes: links to its board and its cards' fields hang on it."""

    name: Name | None = None
    plural_name: Name | None = None
    is_archived: bool | None = None


def entity_type_of(key: str) -> str:
    """ "purchase-request" -> "PURCHASE_REQUEST": how custom fields and changes name it."""
    return key.upper().replace("-", "_")


def key_for(name: str) -> str:
    """ "Purchase request" -> "purchase-request"."""
    key = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:MAX_KEY_LENGTH].strip("-")
    return key if key and key[0].isalpha() else f"kind-{key}".strip("-")


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: message})


def _description(row: EntityKindRow, project_type_name: str) -> EntityDescription:
    return EntityDescription(
        entity_type=row.entity_type,
        noun=row.name.lower(),
        plural_label=row.plural_name,
        fields=(FieldSpec("name", "Name", required=True),),
        project_types=(project_type_name,),
        key=row.key,
        label=row.name,
        archived=row.is_archived,
    )


def _load(session: Session) -> tuple[EntityDescription, ...]:
    names = {pt.id: pt.name for pt in definitions.project_types().values()}
    rows = session.exec(select(EntityKindRow).order_by(col(EntityKindRow.created_at))).all()
    return tuple(_description(row, names.get(row.project_type_id, "")) for row in rows)


def described() -> tuple[EntityDescription, ...]:
    """Every custom kind (archived ones too), from the definitions cache."""
    return definitions.cached(CACHE_KIND, "all", _load)


registry.add_source(described)


def _project_type_id(description: EntityDescription) -> uuid.UUID | None:
    """A built-in kind's default project type (None before the seed has made it)."""
    names = {pt.name: pt.id for pt in definitions.project_types().values()}
    return names.get(description.default_project_type) if description.project_types else None


def _read(description: EntityDescription, row: EntityKindRow | None = None) -> KindRead:
    return KindRead(
        id=row.id if row else None,
        key=description.key,
        entity_type=description.entity_type,
        name=description.label,
        plural_name=description.plural_label,
        project_type_id=row.project_type_id if row else _project_type_id(description),
        board_path=description.board_path,
        built_in=row is None,
        is_archived=description.archived,
    )


def get_all(actor: Actor | None, *, include_archived: bool = False) -> list[KindRead]:
    """Built-in kinds first, then the custom ones in the order they were made."""
    require_access(actor)
    with unit_of_work() as uow:
        rows = {row.entity_type: row for row in uow.session.exec(select(EntityKindRow)).all()}
    return [
        _read(description, rows.get(description.entity_type))
        for description in registry.all_described(include_archived=include_archived)
    ]


def _check_project_type(project_type_id: uuid.UUID | None, entity_type: str | None) -> str:
    """The project type's name; refused when archived, missing, or another kind's."""
    project_type = definitions.project_types().get(project_type_id) if project_type_id else None
    field = "project_type_id"
    if project_type is None:
        raise _invalid(field, "Pick a project type.")
    if project_type.is_archived:
        raise _invalid(field, f'Project type "{project_type.name}" is archived.')
    if project_type.default_workflow_id is None:
        raise _invalid(field, f'Project type "{project_type.name}" has no default workflow yet.')
    taken = registry.kind_for_project_type(project_type.name)
    if taken is not None and taken.entity_type != entity_type:
        raise _invalid(
            field,
            f'Project type "{project_type.name}" is already the {taken.plural_label}\' own: '
            "give this kind a project type of its own.",
        )
    return project_type.name


def create(actor: Actor | None, data: KindCreate) -> KindRead:
    actor = require_definitions_manager(actor)
    key = data.key.strip() if data.key else key_for(data.name)
    if len(key) > MAX_KEY_LENGTH or not KEY_PATTERN.match(key):
        raise _invalid(
            "key",
            "A key holds lower-case letters, digits and single hyphens, starts with a letter "
            f"and has at most {MAX_KEY_LENGTH} characters (e.g. purchase-request).",
        )
    if key in RESERVED_KEYS:
        raise _invalid("key", f'"{key}" is taken by a built-in kind or page: pick another key.')
    entity_type = entity_type_of(key)
    _check_project_type(data.project_type_id, None)
    assert data.project_type_id is not None  # checked just above
    with unit_of_work() as uow:
        session = uow.session
        if session.exec(select(func.count()).select_from(EntityKindRow)).one() >= MAX_KINDS:
            raise _invalid("key", f"At most {MAX_KINDS} kinds: archive one you no longer use.")
        if (
            registry.described(entity_type) is not None
            or session.exec(select(EntityKindRow).where(col(EntityKindRow.key) == key)).first()
        ):
            raise Conflict(f'A kind with the key "{key}" exists.')
        names = {d.label.lower() for d in registry.all_described(include_archived=True)}
        if data.name.lower() in names:
            raise Conflict(f'A kind named "{data.name}" exists.')
        row = EntityKindRow(
            key=key,
            entity_type=entity_type,
            name=data.name,
            plural_name=data.plural_name or f"{data.name}s",
            project_type_id=data.project_type_id,
            created_by_user_id=actor.user_id,
        )
        session.add(row)
        session.flush()
        definitions.mark_changed(uow)
        return _read(_description(row, definitions.project_types()[row.project_type_id].name), row)


def update(actor: Actor | None, key: str, data: KindUpdate) -> KindRead:
    require_definitions_manager(actor)
    given = data.model_fields_set
    with unit_of_work() as uow:
        row = uow.session.exec(select(EntityKindRow).where(col(EntityKindRow.key) == key)).first()
        if row is None:
            if registry.by_key(key) is not None:
                raise ValidationFailed(f'"{key}" is a built-in kind: it is changed in code.')
            raise NotFound(f'There is no kind "{key}".')
        if "name" in given and data.name:
            row.name = data.name
        if "plural_name" in given and data.plural_name:
            row.plural_name = data.plural_name
        if "is_archived" in given and data.is_archived is not None:
            row.is_archived = data.is_archived
        row.updated_at = utc_now()
        uow.session.add(row)
        uow.session.flush()
        definitions.mark_changed(uow)
        return _read(_description(row, definitions.project_types()[row.project_type_id].name), row)
