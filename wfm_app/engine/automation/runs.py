"""What automation did to cards, as the card detail shows it under each move."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, select
from sqlmodel import Session

from wfm_app.engine.automation.models import AutomationRun
from wfm_app.sqltypes import table_of

_runs: Table = table_of(AutomationRun)


@dataclass(frozen=True, slots=True)
class RunRead:
    id: uuid.UUID
    rule_name: str
    history_id: uuid.UUID | None  # the move that set it off; None: creation or a timer
    trigger_event: str
    result: str  # done | skipped | stopped | failed
    detail: str
    created_at: datetime

    @property
    def sentence(self) -> str:
        trigger = self.trigger_event.replace("_", " ")
        return f'Rule "{self.rule_name}" ({trigger}), {self.result}: {self.detail}'


def of_projects(
    session: Session, project_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[RunRead]]:
    """Each project's runs, oldest first, in one query."""
    found: dict[uuid.UUID, list[RunRead]] = {project_id: [] for project_id in project_ids}
    if not found:
        return found
    rows = session.execute(
        select(_runs)
        .where(_runs.c.wfm_project_id.in_(list(found)))
        .order_by(_runs.c.created_at, _runs.c.id)
    ).all()
    for row in rows:
        found[row.wfm_project_id].append(
            RunRead(
                id=row.id,
                rule_name=row.rule_name,
                history_id=row.history_id,
                trigger_event=row.trigger_event,
                result=row.result,
                detail=row.detail,
                created_at=row.created_at,
            )
        )
    return found
