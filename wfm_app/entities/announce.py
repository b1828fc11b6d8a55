"""Announcing a card's change (engine/changes.py) with the read that answers it.

On PostgreSQL the ``pg_notify`` rides in that same SELECT, so telling every open board
costs no extra round trip; the payload is built by the server from the row as the
transaction leaves it. On SQLite the change is handed over after commit.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import String, Table, bindparam, case, func, literal
from sqlmodel import Session

from wfm_app.engine import changes
from wfm_app.engine.models import WfmProject
from wfm_app.hot_statements import HotStatement
from wfm_app.sqltypes import table_of

_projects: Table = table_of(WfmProject)


class Announcer:
    def __init__(self, entity_type: str, table: Table, select_one: Any) -> None:
        self.entity_type = entity_type
        current = func.cast(_projects.c.current_step_id, String)
        owner = func.cast(table.c.user_id, String)
        assignee = func.cast(table.c.assigned_to_user_id, String)
        op = bindparam("op", type_=String)
        payload = func.json_build_object(
            "op",
            op,
            "entity_type",
            literal(entity_type, String),
            "entity_id",
            func.cast(table.c.id, String),
            "workflow_id",
            func.cast(_projects.c.workflow_id, String),
            "owner_id",
            owner,
            "previous_owner_id",
            func.coalesce(bindparam("owner_before", type_=String), owner),
            "from_step_id",
            func.coalesce(bindparam("from_step", type_=String), current),
            "to_step_id",
            case((op == "deleted", None), else_=current),
            "assignee_id",
            assignee,
            "previous_assignee_id",
            func.coalesce(bindparam("assignee_before", type_=String), assignee),
            "org_id",
            func.cast(table.c.org_id, String),
        )
        self._select_one = select_one
        self._announcing = HotStatement(
            select_one.add_columns(
                func.pg_notify(changes.CHANNEL, func.cast(payload, String)).label("announced")
            )
        )

    def fetch(
        self,
        session: Session,
        entity_id: uuid.UUID,
        op: str,
        *,
        owner_before: uuid.UUID | None = None,
        from_step: uuid.UUID | None = None,
        assignee_before: str | None = None,
    ) -> Any:
        """The card's row (None if it does not exist), its change announced."""
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            return self._announcing.first(
                session,
                {
                    "entity_id": entity_id,
                    "op": op,
                    "owner_before": str(owner_before) if owner_before else None,
                    "from_step": str(from_step) if from_step else None,
                    "assignee_before": assignee_before,
                },
            )
        row = connection.execute(self._select_one, {"entity_id": entity_id}).first()
        if row is not None:
            found = row._mapping
            self.announce(
                session,
                op,
                entity_id,
                found["workflow_id"],
                found["user_id"],
                found["current_step_id"],
                owner_before=owner_before,
                from_step=from_step,
                assignee=found["assigned_to_user_id"],
                assignee_before=assignee_before,
            )
        return row

    def announce(
        self,
        session: Session,
        op: str,
        entity_id: uuid.UUID,
        workflow_id: uuid.UUID,
        owner_id: uuid.UUID | None,
        step_id: uuid.UUID | None,
        *,
        owner_before: uuid.UUID | None = None,
        from_step: uuid.UUID | None = None,
        assignee: uuid.UUID | None = None,
        assignee_before: str | None = None,
    ) -> None:
        """The same, for a card already in hand (its own statement on PostgreSQL)."""
        changes.announce(
            session,
            changes.change(
                op,
                self.entity_type,
                entity_id,
                workflow_id,
                owner_id,
                previous_owner_id=owner_before,
                from_step_id=from_step if from_step is not None else step_id,
                to_step_id=None if op == "deleted" else step_id,
                assignee_id=assignee,
                previous_assignee_id=assignee_before,
            ),
        )
