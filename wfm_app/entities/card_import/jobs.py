"""An import as a job a person can leave and come back to: the uploaded file, its mapping,
the dry run's findings and the progress of the import (rows done of total), kept in
``wfm_imports`` so a page reload, another server or `wfm import-cards` read the same."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel, col, select

from wfm_app.auth.actor import ADMIN, UPDATE_ANY_PROJECT, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine.access import require_permission
from wfm_app.entities.base import EntityService
from wfm_app.entities.card_import import presets, source
from wfm_app.entities.card_import.rows import targets
from wfm_app.errors import NotFound
from wfm_app.sqltypes import JsonDocument, UtcDateTime, timestamp_field, utc_now
from wfm_app.tenancy import OrgOwned, org_field

NEW, CHECKED, RUNNING, DONE, FAILED = "new", "checked", "running", "done", "failed"
KEPT_PROBLEMS = 500  # listed; all are counted
BATCH_ROWS = 500
# A running import saves its progress every batch (about a second); one silent this long
# died with its process (a restart, a deploy) and is reported as stopped.
STALE_AFTER = timedelta(minutes=10)


class ImportJob(SQLModel, OrgOwned, table=True):
    __tablename__ = "wfm_imports"
    __table_args__ = (Index("idx_imports_person", "created_by_user_id", "created_at"),)

    org_id: uuid.UUID = org_field()
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entity_type: str = Field(sa_type=Text)
    file_name: str = Field(sa_type=Text)
    stored_path: str = Field(sa_type=Text)  # on the server that took the upload
    columns: list[str] = Field(default_factory=list, sa_type=JsonDocument)
    preview: list[list[str]] = Field(default_factory=list, sa_type=JsonDocument)
    preset: str = Field(sa_type=Text)
    mapping: dict[str, str] = Field(default_factory=dict, sa_type=JsonDocument)
    step_names: dict[str, str] = Field(default_factory=dict, sa_type=JsonDocument)
    workflow_id: uuid.UUID | None = None
    state: str = Field(default=NEW, sa_type=Text)
    only_valid: bool = False
    total: int = 0
    done: int = 0
    created: int = 0
    updated: int = 0
    failed: int = 0
    problems: list[list[Any]] = Field(default_factory=list, sa_type=JsonDocument)
    message: str = Field(default="", sa_type=Text)
    created_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL"
    )
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


def may_import(actor: Actor) -> bool:
    """Importing sets other people's cards: for those who change everyone's."""
    return UPDATE_ANY_PROJECT in actor.permissions


def batches(path: Path) -> Iterator[list[tuple[int, dict[str, str]]]]:
    batch: list[tuple[int, dict[str, str]]] = []
    for row in source.rows(path):
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def start(
    actor: Actor | None, service: EntityService[Any, Any, Any], path: Path, name: str
) -> ImportJob:
    """A job for an uploaded file: its columns, first rows, size, and the mapping its
    preset (guessed from the columns) proposes."""
    actor = require_permission(actor, UPDATE_ANY_PROJECT, f"import {service.kind.noun}s")
    source.check_size(path.stat().st_size)
    seen = source.preview(path)
    preset = presets.guess(seen.columns)
    custom = {
        label: key.removeprefix("custom.")
        for key, label in targets(service).items()
        if key.startswith("custom.")
    }
    mapping = presets.proposed_mapping(preset, seen.columns, service.kind.description, custom)
    job = ImportJob(
        entity_type=service.kind.description.entity_type,
        file_name=name[:200],
        stored_path=str(path),
        columns=seen.columns,
        preview=seen.rows,
        preset=preset.key,
        mapping=mapping,
        total=source.count_rows(path),
        created_by_user_id=actor.user_id,
    )
    with unit_of_work() as uow:
        uow.session.add(job)
        uow.session.flush()
        return ImportJob.model_validate(job.model_dump())


def get(actor: Actor | None, job_id: uuid.UUID) -> ImportJob:
    """One's own import (an admin's, anyone's in the organization)."""
    actor = require_permission(actor, UPDATE_ANY_PROJECT, "see imports")
    with unit_of_work() as uow:
        job = uow.session.get(ImportJob, job_id)
        if job is None or (job.created_by_user_id != actor.user_id and ADMIN not in actor.roles):
            raise NotFound(f"Import {job_id} does not exist.")
        return _read(job)


def latest(actor: Actor | None, entity_type: str) -> ImportJob | None:
    """The person's newest import of this kind (a reloaded page picks it up)."""
    actor = require_permission(actor, UPDATE_ANY_PROJECT, "see imports")
    with unit_of_work() as uow:
        job = uow.session.exec(
            select(ImportJob)
            .where(
                ImportJob.created_by_user_id == actor.user_id,
                ImportJob.entity_type == entity_type,
            )
            .order_by(col(ImportJob.created_at).desc())
            .limit(1)
        ).first()
        return None if job is None else _read(job)


def _read(job: ImportJob) -> ImportJob:
    """The job as it is read (in the caller's transaction): one whose process died
    mid-import is marked stopped, saying what was kept and how to go on."""
    if job.state == RUNNING and job.updated_at < utc_now() - STALE_AFTER:
        kept = (
            f"the first {job.done:,} rows are in"
            if job.only_valid and job.done
            else "nothing was kept"
        )
        job.state, job.finished_at = FAILED, utc_now()
        job.message = (
            f"This import stopped when its server did ({kept}). Run the dry run again to go "
            "on: cards imported before are updated, not copied."
        )
    return ImportJob.model_validate(job.model_dump())


def save(job_id: uuid.UUID, **changes: Any) -> None:
    with unit_of_work() as uow:
        job = uow.session.get(ImportJob, job_id)
        if job is None:
            raise NotFound(f"Import {job_id} does not exist.")
        for key, value in changes.items():
            setattr(job, key, value)
        job.updated_at = utc_now()
        uow.session.add(job)
