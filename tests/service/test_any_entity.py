"""Issue 10: the engine serves an entity kind it has never heard of. This test makes one
up (a "widget" table of its own, its description, a workflow) and shows create, move,
board, custom fields and access work for it with no change to engine code."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import JSON, Column, DateTime, MetaData, Table, Text, Uuid

from wfm_app import db, entities
from wfm_app.engine import (
    custom_fields,
    definitions,
    ownership,
    project_types,
    registry,
    statuses,
    steps,
    transitions,
    workflows,
)
from wfm_app.engine.automation import events
from wfm_app.engine.custom_fields import CustomFieldCreate
from wfm_app.engine.inputs import Name
from wfm_app.engine.registry import EntityDescription, FieldSpec, MetadataKey
from wfm_app.engine.schemas import (
    ProjectTypeCreate,
    StatusCreate,
    StepCreate,
    StepUpdate,
    TransitionCreate,
    WorkflowCreate,
)
from wfm_app.entities import deals
from wfm_app.entities.base import EntityService
from wfm_app.entities.kind import EntityInput, EntityKind, WfmPosition
from wfm_app.errors import InvalidTransition, NotFound, ValidationFailed
from wfm_app.tenancy import current_org_id
from wfm_app.ui import routes

_metadata = MetaData()  # not SQLModel's: the app's schema and migrations never see it
WIDGETS = Table(
    "test_widgets",
    _metadata,
    # every card belongs to an organization: the column makes it a tenant table
    Column("org_id", Uuid, nullable=False, default=current_org_id),
    Column("id", Uuid, primary_key=True),
    Column("name", Text, nullable=False),
    Column("colour", Text),
    Column("user_id", Uuid),  # its own MetaData knows no users table: no foreign keys
    Column("assigned_to_user_id", Uuid),
    Column("assigned_at", DateTime(timezone=True)),
    Column("wfm_project_id", Uuid),
    Column("custom_field_values", JSON, nullable=False, default=dict),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


class WidgetCreate(EntityInput):
    name: Name
    colour: str | None = None
    wfm_project_type_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


class WidgetUpdate(EntityInput):
    name: Name | None = None
    colour: str | None = None
    owner_id: uuid.UUID | None = None


@dataclass(slots=True)
class WidgetRead:
    id: uuid.UUID
    name: str
    colour: str | None
    owner_id: uuid.UUID | None
    owner_name: str | None
    assignee_id: uuid.UUID | None
    assignee_name: str | None
    wfm: WfmPosition
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime


def _read(row: Any, wfm: WfmPosition) -> WidgetRead:
    return WidgetRead(
        row["id"],
        row["name"],
        row["colour"],
        row["user_id"],
        row["owner_name"],
        row["assigned_to_user_id"],
        row["assignee_name"],
        wfm,
        row["custom_field_values"] or {},
        row["created_at"],
        row["updated_at"],
    )


DESCRIPTION = EntityDescription(
    entity_type="WIDGET",
    noun="widget",
    plural_label="Widgets",
    fields=(FieldSpec("name", "Name", required=True), FieldSpec("colour", "Colour")),
    project_types=("Widget Making",),
    metadata_keys=(MetadataKey("widget_quality", "Quality", 1, 5, integer=True),),
)


@pytest.fixture
def widgets(
    seeded, monkeypatch: pytest.MonkeyPatch
) -> Iterator[EntityService[WidgetRead, WidgetCreate, WidgetUpdate]]:
    # The kind registers itself as a built-in module does; copies of the registries take
    # it, and the originals come back when the test ends.
    monkeypatch.setattr(registry, "_DESCRIPTIONS", dict(registry._DESCRIPTIONS))
    monkeypatch.setattr(events, "_handlers", list(events._handlers))
    monkeypatch.setattr(ownership, "_owned_tables", list(ownership._owned_tables))
    WIDGETS.create(db.get_engine())
    service = EntityService(
        EntityKind(
            description=DESCRIPTION,
            table=WIDGETS,
            create_model=WidgetCreate,
            update_model=WidgetUpdate,
            to_read=_read,
            create_values=lambda data: {"colour": data.colour},
        )
    )
    admin = seeded.admin
    flow = workflows.create(admin, WorkflowCreate(name="Widget Line"))
    made = []
    for order, name in enumerate(["Cut", "Polish", "Shipped"], start=1):
        status = statuses.create(admin, StatusCreate(name=f"Widget {name}"))
        made.append(
            steps.create_step(
                admin,
                StepCreate(
                    workflow_id=flow.id,
                    status_id=status.id,
                    step_order=order,
                    is_initial_step=order == 1,
                    is_final_step=order == 3,
                    metadata={"name": name},
                ),
            )
        )
    for source, target in ((0, 1), (1, 2)):
        transitions.create_transition(
            admin,
            TransitionCreate(
                workflow_id=flow.id, from_step_id=made[source].id, to_step_id=made[target].id
            ),
        )
    project_types.create(
        admin, ProjectTypeCreate(name="Widget Making", default_workflow_id=flow.id)
    )
    # Its registry line (entities.BUILT_IN) is what gives it a board at /boards/widget.
    monkeypatch.setattr(entities, "BUILT_IN", (*entities.BUILT_IN, service))
    yield service
    WIDGETS.drop(db.get_engine())


def test_an_unknown_entity_kind_rides_on_the_engine(seeded, widgets):
    alice, bob, admin = seeded.alice, seeded.bob, seeded.admin
    graph_steps = {s.display_name: s for s in registry_graph(widgets, alice).steps}

    made = widgets.create(alice, WidgetCreate(name="Sprocket", colour="red"))
    assert made.wfm.step_name == "Cut" and made.colour == "red"
    moved = widgets.move(alice, made.id, graph_steps["Polish"].id)
    assert moved.wfm.step_name == "Polish"
    with pytest.raises(InvalidTransition):
        widgets.move(alice, made.id, graph_steps["Cut"].id)
    assert [h.to_step_id for h in widgets.history(alice, made.id)] == [graph_steps["Polish"].id]

    board = widgets.board(alice)
    assert [c.step.display_name for c in board.columns] == ["Cut", "Polish", "Shipped"]
    assert [card.name for card in board.columns[1].cards] == ["Sprocket"]

    custom_fields.create(
        admin,
        CustomFieldCreate(entity_type="WIDGET", label="Batch", field_type="NUMBER", required=True),
    )
    with pytest.raises(ValidationFailed, match="Batch is required"):
        widgets.create(alice, WidgetCreate(name="No batch"))
    batched = widgets.create(alice, WidgetCreate(name="Gear", custom_fields={"batch": "7"}))
    assert batched.custom_fields == {"batch": 7.0}

    # access: bob sees nothing of alice's widgets, and may not touch them
    assert widgets.get_all(bob) == [] and widgets.get_by_id(bob, made.id) is None
    with pytest.raises(NotFound):
        widgets.move(bob, made.id, graph_steps["Shipped"].id)
    # its step metadata key is checked by the engine, which never names it
    with pytest.raises(ValidationFailed, match="Quality must be a whole number from 1 to 5"):
        steps.update_step(admin, graph_steps["Cut"].id, _metadata_update({"widget_quality": 9}))
    # and a deal cannot ride on the widgets' project type
    widget_type = project_types.get_by_name(admin, "Widget Making")
    with pytest.raises(ValidationFailed, match="meant for widgets"):
        deals.service.create(alice, deals.DealCreate(name="D", wfm_project_type_id=widget_type.id))
    # its board is /boards/widget, in the header's navigation, served by its own service
    assert DESCRIPTION.board_path == "/boards/widget"
    assert entities.service_by_key("widget") is widgets
    assert {"label": "Widgets", "href": "/boards/widget"} in routes.boards()
    assert routes.card_link("WIDGET", made.id) == f"/boards/widget/{made.id}"


def registry_graph(service: EntityService[Any, Any, Any], actor: Any) -> Any:
    return definitions.graph(service.default_workflow_id(actor))


def _metadata_update(metadata: dict[str, Any]) -> StepUpdate:
    return StepUpdate(metadata=metadata)
