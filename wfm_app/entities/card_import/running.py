"""The dry run and the import itself, both reading the file as a stream in batches.

The dry run prepares every row as the import would and lists each row that would fail
and why. The import then writes either every row in one transaction (a row refused at
write time undoes them all), or, by choice, only the valid rows, a committed batch at a
time; either way the job says which happened. Progress (rows done of total) is saved
after each batch, beside the import's own transaction on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from sqlmodel import Session

from wfm_app.auth.actor import Actor
from wfm_app.db import get_engine, separate_unit_of_work, unit_of_work
from wfm_app.entities.base import EntityService
from wfm_app.entities.card_import import jobs, rows, writer
from wfm_app.entities.card_import.jobs import ImportJob
from wfm_app.entities.card_import.rows import Card, Plan
from wfm_app.errors import Conflict, ValidationFailed, WfmError
from wfm_app.sqltypes import utc_now

Service = EntityService[Any, Any, Any]


class _Refused(Exception):
    """A row refused while importing every row: the whole import is undone."""


def _prepared(
    plan: Plan, batch: list[tuple[int, dict[str, str]]], seen: dict[str, int], tally: writer.Tally
) -> list[Card]:
    cards = []
    for line, row in batch:
        card = rows.prepare(plan, line, row)
        if isinstance(card, list):
            tally.problems.append((line, " ".join(card)))
            continue
        if card.external_id:
            first = seen.setdefault(card.external_id, line)
            if first != line:
                tally.problems.append(
                    (line, f"External id {card.external_id} is on line {first} too.")
                )
                continue
        cards.append(card)
    return cards


def check(
    actor: Actor | None,
    service: Service,
    job_id: uuid.UUID,
    *,
    preset: str,
    mapping: Mapping[str, str],
    step_names: Mapping[str, str],
    workflow_id: uuid.UUID | None = None,
) -> ImportJob:
    """The dry run: every row that would fail and why; how many would be new cards and
    how many would update cards imported before. Nothing is written but the findings."""
    job = jobs.get(actor, job_id)
    if job.state == jobs.RUNNING:
        raise Conflict("This import is running; wait for it to finish.")
    plan = rows.plan(actor, service, preset, mapping, step_names, workflow_id)
    tally, seen, updates = writer.Tally(), dict[str, int](), 0
    for batch in jobs.batches(Path(job.stored_path)):
        cards = _prepared(plan, batch, seen, tally)
        with unit_of_work() as uow:
            updates += len(writer.known(uow.session, plan, cards))
    failed = len(tally.problems)
    valid = job.total - failed
    message = (
        f"{valid:,} of {job.total:,} rows can be imported ({valid - updates:,} new, "
        f"{updates:,} updating cards imported before); {failed:,} cannot."
    )
    jobs.save(
        job_id,
        preset=preset,
        mapping=dict(plan.mapping),
        step_names=dict(step_names),
        workflow_id=workflow_id,
        state=jobs.CHECKED,
        done=0,
        failed=failed,
        problems=[list(p) for p in tally.problems[: jobs.KEPT_PROBLEMS]],
        message=message,
    )
    return jobs.get(actor, job_id)


def _write(
    session: Session, plan: Plan, cards: list[Card], job: ImportJob, tally: writer.Tally
) -> None:
    known = writer.known(session, plan, cards)
    fresh = [card for card in cards if card.external_id not in known]
    writer.insert_new(session, plan, fresh, job.file_name, utc_now())
    tally.created += len(fresh)
    for card in cards:
        if card.external_id in known:
            reason = writer.update_known(plan, card, known[card.external_id])
            if reason:
                tally.problems.append((card.line, reason))
            else:
                tally.updated += 1


def run(actor: Actor | None, service: Service, job_id: uuid.UUID, *, only_valid: bool) -> ImportJob:
    """Import the checked file: every row (all or nothing) or only the valid rows."""
    job = jobs.get(actor, job_id)
    if job.state != jobs.CHECKED:
        message = "Run the dry run first (the import writes what it checked)."
        raise ValidationFailed(message, {"state": message})
    if job.failed and not only_valid:
        message = (
            f"{job.failed:,} rows cannot be imported, so nothing was: correct them, or "
            "import only the valid rows."
        )
        raise ValidationFailed(message, {"only_valid": message})
    plan = rows.plan(actor, service, job.preset, job.mapping, job.step_names, job.workflow_id)
    jobs.save(job_id, state=jobs.RUNNING, only_valid=only_valid, done=0, problems=[])
    tally, seen, done = writer.Tally(), dict[str, int](), 0
    beside = get_engine().dialect.name == "postgresql"
    try:
        with nullcontext() if only_valid else unit_of_work():
            for batch in jobs.batches(Path(job.stored_path)):
                with unit_of_work() as uow:  # its own commit when only valid rows go in
                    _write(uow.session, plan, _prepared(plan, batch, seen, tally), job, tally)
                if tally.problems and not only_valid:
                    raise _Refused
                done += len(batch)
                if only_valid or beside:
                    with _progress_transaction(only_valid):
                        jobs.save(job_id, done=done)
    except (_Refused, WfmError) as refused:
        line, reason = tally.problems[0] if tally.problems else (0, str(refused))
        message = f"Nothing was imported: line {line}: {reason}"
        jobs.save(job_id, state=jobs.FAILED, message=message, finished_at=utc_now())
        return jobs.get(actor, job_id)
    message = f"Imported {_rows(tally.created, 'new card')}, updated {tally.updated:,}."
    if tally.problems:
        message += f" {_rows(len(tally.problems), 'row')} left out, each with its reason."
    jobs.save(
        job_id,
        state=jobs.DONE,
        done=done,
        created=tally.created,
        updated=tally.updated,
        failed=len(tally.problems),
        problems=[list(p) for p in tally.problems[: jobs.KEPT_PROBLEMS]],
        message=message,
        finished_at=utc_now(),
    )
    return jobs.get(actor, job_id)


def _progress_transaction(only_valid: bool) -> AbstractContextManager[Any]:
    return nullcontext() if only_valid else separate_unit_of_work()


def _rows(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
