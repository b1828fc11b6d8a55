"""One API for every kind, built in or an admin's: ``items`` (a connection in PipeCD's
shape), ``item``, ``createItem``, ``updateItem``, ``deleteItem``,
``updateItemWFMProgress``; and the kinds themselves (``wfmEntityKinds``,
``createWFMEntityKind``). ``values`` are the kind's fields by key: its built-in columns
(for deals, leads and tickets) and its custom fields, checked by type by the service."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON

from wfm_app.api.graphql.common import actor_of, id_of
from wfm_app.api.graphql.entity_types import WFMEntity
from wfm_app.api.graphql.filtered import connection_parts
from wfm_app.api.graphql.inputs import given
from wfm_app.api.graphql.lists import (
    Connection,
    CustomFieldFilterInput,
    FieldRangeInput,
    SortDirection,
    between,
    custom,
    field_ranges,
    ids,
)
from wfm_app.api.graphql.types import GqlInfo, WFMProjectType
from wfm_app.engine import definitions, kinds
from wfm_app.engine.custom_fields import PREFIX
from wfm_app.engine.inputs import parse
from wfm_app.engine.rules import MoveRequest
from wfm_app.entities import service_by_key, service_of_card
from wfm_app.entities.base import EntityService
from wfm_app.entities.filtering import CardFilter
from wfm_app.errors import NotFound, ValidationFailed

Service = EntityService[Any, Any, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _service(kind: str) -> Service:
    service = service_by_key(kind) if len(kind) <= kinds.MAX_KEY_LENGTH else None
    if service is None:
        message = f'There is no kind "{kind[:60]}".'
        raise ValidationFailed(message, {"kind": message})
    return service


def _card_service(info: GqlInfo, item_id: strawberry.ID) -> tuple[Service, uuid.UUID]:
    entity_id = id_of(item_id, "item")
    actor_of(info)  # signed in before anything is looked up
    service = service_of_card(entity_id)
    if service is None:
        raise NotFound(f"Item {entity_id} does not exist.")
    return service, entity_id


def _split(service: Service, values: Any) -> dict[str, Any]:
    """``values`` as the kind's inputs take them: built-in columns by name, the rest its
    custom fields (by key, or as custom.<key>)."""
    if values is None:
        return {}
    if not isinstance(values, dict):
        message = "values must be an object of field key -> value."
        raise ValidationFailed(message, {"values": message})
    builtin = {spec.key for spec in service.kind.description.fields} - {"name"}
    columns = {k: v for k, v in values.items() if k in builtin}
    custom = {k.removeprefix(PREFIX): v for k, v in values.items() if k not in builtin}
    return {**columns, "custom_fields": custom} if custom else columns


@strawberry.type(name="Item")
class Item(WFMEntity):
    """A card of any kind."""

    @strawberry.field(description="The kind's key, e.g. deal or purchase-request.")
    def kind(self) -> str:
        return self._service.kind.description.key

    @strawberry.field(description="The kind's fields by key: built-in columns and custom fields.")
    def values(self) -> JSON:
        read = self._read
        out = {
            spec.key: _plain(getattr(read, spec.key))
            for spec in self._service.kind.description.fields
            if spec.key != "name"
        }
        out.update({key: _plain(value) for key, value in read.custom_fields.items()})
        return JSON(out)

    @strawberry.field
    def owner_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self._read.owner_id)) if self._read.owner_id else None

    @strawberry.field(name="assignedToUserId", description="assigned_to_user_id, in camelCase.")
    def assigned_to_user_id_camel(self) -> strawberry.ID | None:
        assignee = self._read.assignee_id
        return strawberry.ID(str(assignee)) if assignee else None


@strawberry.type(name="ItemsConnection")
class ItemsConnection(Connection):
    nodes: list[Item]


@strawberry.input(name="ItemFiltersInput")
class ItemFiltersInput:
    search: str | None = None
    owner_ids: list[strawberry.ID] | None = None
    assigned_to_user_ids: list[strawberry.ID] | None = None
    unassigned: bool | None = None
    wfm_workflow_ids: list[strawberry.ID] | None = None
    wfm_step_ids: list[strawberry.ID] | None = None
    wfm_status_ids: list[strawberry.ID] | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    field_ranges: list[FieldRangeInput] | None = strawberry.field(
        default=None, description="Built-in number, amount and date fields by key."
    )
    custom_field_filters: list[CustomFieldFilterInput] | None = None


@strawberry.input(name="ItemSortInput")
class ItemSortInput:
    field: str = strawberry.field(description="name, created_at, updated_at or a field key.")
    direction: SortDirection = SortDirection.ASC


def _item_filter(given: ItemFiltersInput | None, search: str | None) -> CardFilter:
    f = given or ItemFiltersInput()
    return CardFilter(
        search=f.search or search,
        owner_ids=ids(f.owner_ids, "ownerIds"),
        assignee_ids=ids(f.assigned_to_user_ids, "assignedToUserIds"),
        unassigned=bool(f.unassigned),
        workflow_ids=ids(f.wfm_workflow_ids, "wfmWorkflowIds"),
        step_ids=ids(f.wfm_step_ids, "wfmStepIds"),
        status_ids=ids(f.wfm_status_ids, "wfmStatusIds"),
        ranges=(
            *between("created_at", f.created_from, f.created_to),
            *field_ranges(f.field_ranges),
        ),
        custom=custom(f.custom_field_filters),
    )


@strawberry.type(name="WFMEntityKind")
class WFMEntityKind:
    _read: strawberry.Private[kinds.KindRead]

    @strawberry.field
    def id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self._read.id)) if self._read.id else None

    @strawberry.field
    def key(self) -> str:
        return self._read.key

    @strawberry.field
    def name(self) -> str:
        return self._read.name

    @strawberry.field
    def plural_name(self) -> str:
        return self._read.plural_name

    @strawberry.field
    def entity_type(self) -> str:
        return self._read.entity_type

    @strawberry.field
    def built_in(self) -> bool:
        return self._read.built_in

    @strawberry.field
    def is_archived(self) -> bool:
        return self._read.is_archived

    @strawberry.field
    def board_path(self) -> str:
        return self._read.board_path

    @strawberry.field
    def project_type(self) -> WFMProjectType | None:
        type_id = self._read.project_type_id
        found = definitions.project_types().get(type_id) if type_id else None
        return WFMProjectType(_read=found) if found else None


@strawberry.input(name="CreateWFMEntityKindInput")
class CreateWFMEntityKindInput:
    name: str
    plural_name: str | None = None
    key: str | None = None
    wfm_project_type_id: strawberry.ID


@strawberry.input(name="UpdateWFMEntityKindInput")
class UpdateWFMEntityKindInput:
    name: str | None = strawberry.UNSET
    plural_name: str | None = strawberry.UNSET
    is_archived: bool | None = strawberry.UNSET


@strawberry.input(name="ItemInput")
class ItemInput:
    name: str
    values: JSON | None = None
    assigned_to_user_id: strawberry.ID | None = None
    owner_id: strawberry.ID | None = None
    wfm_project_type_id: strawberry.ID | None = None


@strawberry.input(name="ItemUpdateInput")
class ItemUpdateInput:
    name: str | None = strawberry.UNSET
    values: JSON | None = strawberry.UNSET
    assigned_to_user_id: strawberry.ID | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.UNSET


def _item_values(service: Service, input: object) -> dict[str, Any]:
    values = given(input, {"assigned_to_user_id": "assignee_id"})
    fields = _split(service, values.pop("values", None))
    return {**values, **fields}


@strawberry.type
class ItemQueries:
    @strawberry.field(name="wfmEntityKinds", description="Built-in kinds first, then admins'.")
    def wfm_entity_kinds(
        self, info: GqlInfo, include_archived: bool = False
    ) -> list[WFMEntityKind]:
        found = kinds.get_all(actor_of(info), include_archived=include_archived)
        return [WFMEntityKind(_read=kind) for kind in found]

    @strawberry.field(description="A kind's cards the actor may see (newest first unless sorted).")
    def items(
        self,
        info: GqlInfo,
        kind: str,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        search: str | None = None,
        filters: ItemFiltersInput | None = None,
        sort: ItemSortInput | None = None,
    ) -> ItemsConnection:
        service = _service(kind)
        paging = {"first": first, "after": after, "last": last, "before": before}
        parts = connection_parts(info, service, _item_filter(filters, search), sort, paging)
        nodes = [Item(_read=card, _service=service) for card in parts["_page"].nodes]
        return ItemsConnection(nodes=nodes, **parts)

    @strawberry.field
    def item(self, info: GqlInfo, id: strawberry.ID) -> Item | None:
        try:
            service, entity_id = _card_service(info, id)
        except NotFound:
            return None
        found = service.get_by_id(actor_of(info), entity_id)
        return Item(_read=found, _service=service) if found else None


@strawberry.type
class ItemMutations:
    @strawberry.mutation(name="createWFMEntityKind")
    def create_wfm_entity_kind(
        self, info: GqlInfo, input: CreateWFMEntityKindInput
    ) -> WFMEntityKind:
        data = parse(kinds.KindCreate, given(input, {"wfm_project_type_id": "project_type_id"}))
        return WFMEntityKind(_read=kinds.create(actor_of(info), data))

    @strawberry.mutation(name="updateWFMEntityKind")
    def update_wfm_entity_kind(
        self, info: GqlInfo, key: str, input: UpdateWFMEntityKindInput
    ) -> WFMEntityKind:
        data = parse(kinds.KindUpdate, given(input))
        return WFMEntityKind(_read=kinds.update(actor_of(info), key[:100], data))

    @strawberry.mutation
    def create_item(self, info: GqlInfo, kind: str, input: ItemInput) -> Item:
        service = _service(kind)
        values = {k: v for k, v in _item_values(service, input).items() if v is not None}
        made = service.create(actor_of(info), parse(service.kind.create_model, values))
        return Item(_read=made, _service=service)

    @strawberry.mutation
    def update_item(self, info: GqlInfo, id: strawberry.ID, input: ItemUpdateInput) -> Item:
        service, entity_id = _card_service(info, id)
        data = parse(service.kind.update_model, _item_values(service, input))
        return Item(_read=service.update(actor_of(info), entity_id, data), _service=service)

    @strawberry.mutation(description="True, or the refusal as an error with its code.")
    def delete_item(self, info: GqlInfo, id: strawberry.ID) -> bool:
        service, entity_id = _card_service(info, id)
        service.delete(actor_of(info), entity_id)
        return True

    @strawberry.mutation(name="updateItemWFMProgress")
    def update_item_wfm_progress(
        self,
        info: GqlInfo,
        item_id: strawberry.ID,
        target_wfm_workflow_step_id: strawberry.ID,
        values: JSON | None = None,
        comment: str | None = None,
        override: bool | None = False,
    ) -> Item:
        service, entity_id = _card_service(info, item_id)
        split = _split(service, values)
        custom = {PREFIX + k: v for k, v in split.pop("custom_fields", {}).items()}
        request = MoveRequest(
            values={**split, **custom} or None, comment=comment, override=bool(override)
        )
        step = id_of(target_wfm_workflow_step_id, "step")
        moved = service.move(actor_of(info), entity_id, step, request=request)
        return Item(_read=moved, _service=service)
