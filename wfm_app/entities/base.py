"""One service for every entity kind (``EntityKind``, entities/kind.py): create, get,
list, update, delete, move, board and history, each one transaction, with the engine's
access rules, custom fields and rules on moves."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Generic

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlmodel import Session

from wfm_app.auth.actor import READ_PROJECTS, UPDATE_PROJECTS, Actor
from wfm_app.auth.models import User
from wfm_app.db import unit_of_work
from wfm_app.engine import (
    access,
    changes,
    custom_values,
    definitions,
    field_changes,
    ownership,
    project_moves,
    projects,
    registry,
)
from wfm_app.engine.access import require_permission
from wfm_app.engine.automation import events, runner
from wfm_app.engine.branches import reading as branch_reading
from wfm_app.engine.models import WfmProject
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.engine.win_chance.learning import WinModel
from wfm_app.entities import chances, checks
from wfm_app.entities.announce import Announcer
from wfm_app.entities.automation import EntityHandler
from wfm_app.entities.board import EntityBoard
from wfm_app.entities.comments import EntityComments
from wfm_app.entities.filtering import EntityFilters
from wfm_app.entities.history import EntityHistory
from wfm_app.entities.kind import CreateT, EntityKind, ReadT, UpdateT, WfmPosition
from wfm_app.entities.listing import EntityLists
from wfm_app.entities.moving import EntityMoves
from wfm_app.errors import NotFound, ValidationFailed
from wfm_app.hot_statements import HotStatement, Prepared
from wfm_app.observability import operations
from wfm_app.sqltypes import table_of, utc_now

_projects: Table = table_of(WfmProject)
_users: Table = table_of(User)
_assignees = _users.alias("assignees")


class EntityService(
    EntityFilters[ReadT],  # first: the others' stubs of _conditions must not hide it
    EntityBoard[ReadT],
    EntityLists[ReadT],
    EntityHistory,
    EntityComments,
    EntityMoves[ReadT],
    Generic[ReadT, CreateT, UpdateT],
):
    def __init__(self, kind: EntityKind[ReadT, CreateT, UpdateT], *, built_in: bool = True) -> None:
        """``built_in``: a kind described in code, registered with the engine once (an
        admin's kind, entities/items.py, is found through the registry's source)."""
        self.kind = kind
        self.handler = EntityHandler(self)
        if built_in:
            registry.register(kind.description)
            ownership.register(kind.table, kind.description.entity_type)
            events.register_handler(self.handler)
        table = kind.table
        # Built once: see engine/projects.py on hot-path statements.
        self._selected = self._build_select()
        self._insert = insert(table)
        self._select_one = self._select().where(table.c.id == bindparam("entity_id"))
        self._announcer = Announcer(kind.description.entity_type, table, self._select_one)
        # The whole record with its project locked: a move with conditions checks them
        # against this very read, with no second round trip.
        self._lock_one = HotStatement(self._select_one.with_for_update(of=_projects))
        self._read_one = HotStatement(self._select_one)
        self._prepared = Prepared()

    # ---- reading -----------------------------------------------------------------------

    def _select(self) -> Any:
        """A card with its project and people's names (one immutable statement, narrowed)."""
        return self._selected

    def _build_select(self) -> Any:
        table = self.kind.table
        return self.kind.scoped(
            select(
                table,
                _projects.c.project_type_id,
                _projects.c.workflow_id,
                _projects.c.current_step_id,
                _projects.c.is_active,
                _projects.c.step_entered_at,
                _projects.c.completed_at,
                _projects.c.created_by_user_id.label("project_created_by"),
                _projects.c.updated_at.label("project_updated_at"),
                _users.c.display_name.label("owner_name"),
                _assignees.c.display_name.label("assignee_name"),
            )
            .join(_projects, _projects.c.id == table.c.wfm_project_id)
            .outerjoin(_users, _users.c.id == table.c.user_id)
            .outerjoin(_assignees, _assignees.c.id == table.c.assigned_to_user_id)
        )

    def _read(self, row: Mapping[Any, Any], graph: WorkflowGraph, model: WinModel | None) -> ReadT:
        step = graph.step(row["current_step_id"]) if row["current_step_id"] else None
        position = WfmPosition(
            wfm_project_id=row["wfm_project_id"],
            project_type_id=row["project_type_id"],
            workflow_id=row["workflow_id"],
            step=step,
            is_active=row["is_active"],
            step_entered_at=row["step_entered_at"],
            completed_at=row["completed_at"],
            **chances.of_card(
                self.kind.probability_key,
                graph,
                model,
                step,
                row["step_entered_at"],
                self.kind.description.entity_type,
                row["custom_field_values"],
            ),
            created_by_user_id=row["project_created_by"],
        )
        return self.kind.to_read(row, position)

    def _read_rows(
        self, session: Session, rows: Sequence[Any], *, with_branches: bool = True
    ) -> list[ReadT]:
        """Read values of the rows; cards on a step with parallel branches get their
        branches' states in one more query (none when no card is on such a step), unless
        the reader has no use for them (``with_branches``: the API reads a card's branches
        through its own loader)."""
        graphs: dict[uuid.UUID, tuple[WorkflowGraph, WinModel | None]] = {}
        out = []
        gated: dict[uuid.UUID, WfmPosition] = {}
        for row in rows:
            mapping = row if isinstance(row, Mapping) else row._mapping
            workflow_id = mapping["workflow_id"]
            if workflow_id not in graphs:
                graph = definitions.graph(workflow_id)
                graphs[workflow_id] = graph, chances.model_of(graph)
            graph, model = graphs[workflow_id]
            read = self._read(mapping, graph, model)
            if with_branches and graph.branches_on(mapping["current_step_id"]):
                gated[mapping["wfm_project_id"]] = read.wfm  # type: ignore[attr-defined]
            out.append(read)
        if gated:
            found = branch_reading.instances_of(session, list(gated))
            for project_id, position in gated.items():
                position.branches = tuple((i.branch.name, i.state) for i in found[project_id])
        return out

    def _visible(self, query: Any, actor: Actor) -> Any:
        table = self.kind.table
        return access.visible_only(query, actor, table.c.user_id, table.c.assigned_to_user_id)

    def _visible_to(self, query: Any, everyones: bool) -> Any:
        """``_visible`` in a statement built once (access.visible_to)."""
        table = self.kind.table
        return access.visible_to(query, everyones, table.c.user_id, table.c.assigned_to_user_id)

    def _fetch(
        self,
        session: Session,
        entity_id: uuid.UUID,
        announce: str | None = None,
        **announced: Any,
    ) -> ReadT:
        """The entity, read back; ``announce``: and its change (created, updated, moved,
        deleted) told to open boards in the same statement (entities/announce.py)."""
        if announce is not None:
            row = self._announcer.fetch(session, entity_id, announce, **announced)
        else:
            row = self._read_one.first(session, {"entity_id": entity_id})
        if row is None:
            raise NotFound(f"{self.kind.noun.capitalize()} {entity_id} does not exist.")
        return self._read_rows(session, [row])[0]

    def read_by_project(self, session: Session, project_id: uuid.UUID) -> ReadT | None:
        """The entity riding on a project, if it is of this kind (no access check: for
        the engine's automation, inside its caller's transaction)."""
        query = self._select().where(self.kind.table.c.wfm_project_id == project_id)
        row = session.execute(query).first()
        return self._read_rows(session, [row])[0] if row else None

    def get_by_id(self, actor: Actor | None, entity_id: uuid.UUID) -> ReadT | None:
        """The entity, or None when it does not exist or the actor may not see it."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        with unit_of_work() as uow:
            query = self._visible(self._select(), actor)
            row = uow.session.execute(query.where(self.kind.table.c.id == entity_id)).first()
            return self._read_rows(uow.session, [row])[0] if row else None

    # ---- writing -----------------------------------------------------------------------

    def _owned_for_update(
        self, session: Session, actor: Actor, entity_id: uuid.UUID
    ) -> tuple[Mapping[str, Any], project_moves.LockedProject]:
        """The entity's row as _select reads it, its project locked; access checked."""
        mapping = self._lock_one.first(session, {"entity_id": entity_id})
        what = f"{self.kind.noun.capitalize()} {entity_id}"
        if mapping is None:
            raise NotFound(f"{what} does not exist.")
        access.check_may_change(
            actor, mapping["user_id"], what, self.kind.noun, mapping["assigned_to_user_id"]
        )
        locked = project_moves.LockedProject(
            mapping["wfm_project_id"],
            mapping["workflow_id"],
            mapping["current_step_id"],
            mapping["is_active"],
            mapping["step_entered_at"],
        )
        return mapping, locked

    def create(
        self, actor: Actor | None, data: CreateT, *, step_id: uuid.UUID | None = None
    ) -> ReadT:
        """The entity, its WFM project and the link: on the initial step of its project
        type's workflow, or on the open ``step_id`` of it (a card added to a column)."""
        with self._operation(operations.CREATE_PROJECT, actor) as op:
            created = self._create(actor, data, step_id)
            op.entity_id = created.id  # type: ignore[attr-defined]
            return created

    def _operation(
        self, name: str, actor: Actor | None, entity_id: uuid.UUID | None = None
    ) -> AbstractContextManager[operations.Operation]:
        return operations.operation(
            name, self.kind.description.entity_type, actor.user_id if actor else None, entity_id
        )

    def _create(self, actor: Actor | None, data: CreateT, step_id: uuid.UUID | None) -> ReadT:
        actor = require_permission(actor, UPDATE_PROJECTS, f"create {self.kind.noun}s")
        name: str = data.name  # type: ignore[attr-defined]
        type_id: uuid.UUID | None = data.wfm_project_type_id  # type: ignore[attr-defined]
        owner_id = checks.owner_for_new(self.kind.description, actor, data.owner_id)  # type: ignore[attr-defined]
        assignee_id = checks.assignee(self.kind.description, actor, data.assignee_id)  # type: ignore[attr-defined]
        if type_id is None:
            type_id = self.default_project_type_id()
        checks.project_type_fits(self.kind.description, type_id)
        entity_type = self.kind.description.entity_type
        given: dict[str, Any] | None = data.custom_fields  # type: ignore[attr-defined]
        with unit_of_work() as uow:
            custom = custom_values.clean_values(entity_type, given, creating=True)
            project_id = projects.start(
                uow.session,
                actor,
                project_type_id=type_id,
                name=f"WFM for {self.kind.noun.capitalize()}: {name}",
                step_id=step_id,
            )
            entity_id = uuid.uuid4()
            now = utc_now()
            uow.session.connection().execute(
                self._insert,
                {
                    "id": entity_id,
                    "name": name,
                    "user_id": owner_id,
                    "assigned_to_user_id": assignee_id,
                    "assigned_at": now if assignee_id else None,
                    "wfm_project_id": project_id,
                    "created_at": now,
                    "updated_at": now,
                    "custom_field_values": custom,
                    **self.kind.create_values(data),
                },
            )
            workflow_id = definitions.project_types()[type_id].default_workflow_id
            if workflow_id is not None:
                runner.created(uow.session, actor, project_id, workflow_id)
            return self._fetch(uow.session, entity_id, "created")

    def update(self, actor: Actor | None, entity_id: uuid.UUID, data: UpdateT) -> ReadT:
        with self._operation(operations.UPDATE_ENTITY, actor, entity_id):
            return self._update(actor, entity_id, data)

    def _update(self, actor: Actor | None, entity_id: uuid.UUID, data: UpdateT) -> ReadT:
        actor = require_permission(actor, UPDATE_PROJECTS, f"change {self.kind.noun}s")
        columns = self._changes(actor, data)
        with unit_of_work() as uow:
            row, locked = self._owned_for_update(uow.session, actor, entity_id)
            return self._write(
                uow.session,
                actor,
                entity_id,
                locked.id,
                columns,
                row["custom_field_values"],
                row["user_id"],
                row["assigned_to_user_id"],
            )

    def update_held(self, actor: Actor, held: Any, data: UpdateT) -> ReadT:
        """Update a card whose project the caller's transaction already holds locked (the
        card's ``read`` in hand): automation's changes inside a move. Skips re-reading it."""
        columns = self._changes(actor, data)
        with unit_of_work() as uow:
            return self._write(
                uow.session,
                actor,
                held.id,
                held.wfm.wfm_project_id,
                columns,
                held.custom_fields,
                held.owner_id,
                held.assignee_id,
            )

    def _changes(self, actor: Actor, data: UpdateT) -> dict[str, Any]:
        """The columns to set; refuses clearing a required field or giving work away."""
        columns = data.model_dump(exclude_unset=True)
        required = {
            key: f"{key.replace('_', ' ').capitalize()} is required."
            for key, value in columns.items()
            if value is None and key in self.kind.table.c and not self.kind.table.c[key].nullable
        }
        if required:
            names = ", ".join(key.replace("_", " ") for key in required)
            raise ValidationFailed(f"Please fill in the required fields: {names}.", required)
        if "assignee_id" in columns:
            columns["assigned_to_user_id"] = checks.assignee(
                self.kind.description, actor, columns.pop("assignee_id")
            )
            columns["assigned_at"] = utc_now() if columns["assigned_to_user_id"] else None
        return columns

    def _write(
        self,
        session: Session,
        actor: Actor,
        entity_id: uuid.UUID,
        project_id: uuid.UUID,
        columns: dict[str, Any],
        current_custom: dict[str, Any] | None,
        owner_before: uuid.UUID | None,
        assignee_before: uuid.UUID | None,
    ) -> ReadT:
        if "owner_id" in columns:
            columns["user_id"] = checks.new_owner(
                self.kind.description, actor, owner_before, columns.pop("owner_id")
            )
        given = columns.pop("custom_fields", None)
        if given is not None:
            columns["custom_field_values"] = custom_values.clean_values(
                self.kind.description.entity_type, given, current=current_custom, creating=False
            )
        if columns:
            field_changes.record_edit(
                session, actor, self.kind.table, entity_id, project_id, columns
            )
            session.execute(
                update(self.kind.table)
                .where(self.kind.table.c.id == entity_id)
                .values(**columns, updated_at=utc_now())
            )
        if "name" in columns:
            session.execute(
                update(_projects)
                .where(_projects.c.id == project_id)
                .values(name=f"WFM for {self.kind.noun.capitalize()}: {columns['name']}")
            )
        return self._fetch(
            session,
            entity_id,
            "updated",
            owner_before=owner_before,
            assignee_before=changes.before(assignee_before),
        )

    def delete(self, actor: Actor | None, entity_id: uuid.UUID) -> None:
        """Delete the entity and its WFM project (history goes with it)."""
        with self._operation(operations.DELETE_ENTITY, actor, entity_id):
            self._delete(actor, entity_id)

    def _delete(self, actor: Actor | None, entity_id: uuid.UUID) -> None:
        actor = require_permission(actor, UPDATE_PROJECTS, f"delete {self.kind.noun}s")
        with unit_of_work() as uow:
            row, locked = self._owned_for_update(uow.session, actor, entity_id)
            access.check_may_delete(
                actor, row["user_id"], "", self.kind.noun, row["assigned_to_user_id"]
            )
            self._fetch(uow.session, entity_id, "deleted")  # told to boards if this commits
            uow.session.execute(delete(self.kind.table).where(self.kind.table.c.id == entity_id))
            uow.session.execute(delete(_projects).where(_projects.c.id == locked.id))
