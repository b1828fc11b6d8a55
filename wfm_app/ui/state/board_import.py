"""A board's "Import": upload a CSV file, map its columns (a preset proposes), a dry run
that lists the rows that would fail and why, then the import off the event loop with a
progress bar that a reload picks up again (the job is in the database:
entities/card_import). A thin adapter: every rule is the engine's."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.entities.card_import import jobs, presets, rows, running, source
from wfm_app.entities.card_import.jobs import ImportJob
from wfm_app.errors import WfmError
from wfm_app.settings import settings
from wfm_app.ui.state.adapters import as_uuid
from wfm_app.ui.state.board_part import BoardPart

IGNORE = "-"  # the mapping select's "Ignore this column" (an empty value reads as unset)
SHOWN_PROBLEMS = 50
POLL_SECONDS = 0.5


class BoardImportMixin(BoardPart, mixin=True):
    can_import: bool = False
    import_open: bool = False
    import_phase: str = "upload"  # upload | map | checking | checked | running | done | failed
    import_job: str = ""
    import_file: str = ""
    import_preset: str = ""
    import_presets: list[dict[str, str]] = [
        {"value": p.key, "label": p.label} for p in presets.PRESETS.values()
    ]
    import_mapping: list[dict[str, str]] = []  # column, sample, target
    import_targets: list[dict[str, str]] = []
    import_steps_text: str = ""
    import_message: str = ""
    import_problems: list[str] = []
    import_failed: int = 0
    import_total: int = 0
    import_done: int = 0
    import_only_valid: bool = False
    import_error: str = ""

    def _load_import(self, actor: Actor) -> Any:
        """On a board's load: may this person import, and is an import of theirs running
        (a reload while it runs shows its progress again)?"""
        self.can_import = jobs.may_import(actor)
        if not self.can_import:
            return None
        job = jobs.latest(actor, self._description().entity_type)
        if job is None or job.state != jobs.RUNNING:
            return None
        self._show_job(job)
        self.import_open = True
        return type(self).follow_import

    def _show_job(self, job: ImportJob) -> None:
        self.import_job, self.import_file = str(job.id), job.file_name
        self.import_phase = {jobs.NEW: "map"}.get(job.state, job.state)
        self.import_preset = job.preset
        self.import_total, self.import_done, self.import_failed = job.total, job.done, job.failed
        self.import_message = job.message
        self.import_problems = [f"Line {line}: {reason}" for line, reason in job.problems][
            :SHOWN_PROBLEMS
        ]
        if job.failed > SHOWN_PROBLEMS:
            self.import_problems.append(f"… and {job.failed - SHOWN_PROBLEMS:,} more.")
        samples = dict(zip(job.columns, job.preview[0] if job.preview else [], strict=False))
        self.import_mapping = [
            {"column": c, "sample": samples.get(c, ""), "target": job.mapping.get(c, IGNORE)}
            for c in job.columns
        ]

    @rx.event
    def set_import_open(self, value: bool) -> None:
        self.import_open = value  # closing a running import leaves it running
        if value and self.import_phase not in ("running", "checking"):
            self.import_phase, self.import_error, self.import_job = "upload", "", ""

    @rx.event
    async def receive_import(self, files: list[rx.UploadFile]) -> None:
        if not files:
            self.import_error = "Choose a CSV file first."
            return
        upload = files[0]
        actor, service = self._actor(), self._service()
        settings.import_dir.mkdir(parents=True, exist_ok=True)
        stored = settings.import_dir / f"{uuid.uuid4().hex}.csv"

        def keep() -> ImportJob:
            source.check_size(upload.size or 0)
            with stored.open("wb") as out:
                shutil.copyfileobj(upload.file, out, 1 << 20)
            return jobs.start(actor, service, stored, upload.name or "upload.csv")

        try:
            job = await asyncio.to_thread(keep)
        except WfmError as refused:
            stored.unlink(missing_ok=True)
            self.import_error = refused.message
            return
        self.import_error = ""
        self.import_targets = [{"value": IGNORE, "label": "Ignore this column"}] + [
            {"value": key, "label": label} for key, label in rows.targets(service).items()
        ]
        self._show_job(job)

    @rx.event
    def set_import_target(self, column: str, target: str) -> None:
        self.import_mapping = [
            row | {"target": target} if row["column"] == column else row
            for row in self.import_mapping
        ]

    @rx.event
    def set_import_phase(self, value: str) -> None:
        if value == "map" and self.import_phase == "checked":  # back to change the mapping
            self.import_phase = value

    @rx.event
    def set_import_preset(self, value: str) -> None:
        self.import_preset = value

    @rx.event
    def set_import_steps_text(self, value: str) -> None:
        self.import_steps_text = value[:2000]

    @rx.event
    def set_import_only_valid(self, value: str) -> None:
        self.import_only_valid = value == "valid"

    @rx.event(background=True)
    async def check_import(self) -> None:
        async with self:
            actor, service, job_id = self._actor(), self._service(), as_uuid(self.import_job)
            mapping = {r["column"]: r["target"] for r in self.import_mapping}
            mapping = {c: t for c, t in mapping.items() if t != IGNORE}
            preset, step_names = self.import_preset, presets.pairs(self.import_steps_text)
            self.import_phase, self.import_error = "checking", ""
        if job_id is None:
            return
        try:
            job = await asyncio.to_thread(
                lambda: running.check(
                    actor, service, job_id, preset=preset, mapping=mapping, step_names=step_names
                )
            )
        except WfmError as refused:
            async with self:
                self.import_phase, self.import_error = "map", refused.message
            return
        async with self:
            self._show_job(job)

    @rx.event(background=True)
    async def start_import(self) -> AsyncIterator[Any]:
        async with self:
            actor, service, job_id = self._actor(), self._service(), as_uuid(self.import_job)
            only_valid = self.import_only_valid
            self.import_phase, self.import_error, self.import_done = "running", "", 0
        if job_id is None:
            return
        work = asyncio.create_task(
            asyncio.to_thread(lambda: running.run(actor, service, job_id, only_valid=only_valid))
        )
        while not work.done():
            await asyncio.sleep(POLL_SECONDS)
            seen = await asyncio.to_thread(jobs.get, actor, job_id)
            async with self:
                self.import_done = seen.done
        try:
            job = work.result()
        except WfmError as refused:
            async with self:
                self.import_phase, self.import_error = "checked", refused.message
            return
        if job.state in (jobs.DONE, jobs.FAILED):  # the upload's copy is no longer needed
            Path(job.stored_path).unlink(missing_ok=True)
        async with self:
            self._show_job(job)
            self._load_board()
        yield rx.toast.success(job.message) if job.state == jobs.DONE else None

    @rx.event(background=True)
    async def follow_import(self) -> None:
        """A reloaded page following an import another request runs."""
        while True:
            async with self:
                actor, job_id = self._actor(), as_uuid(self.import_job)
            if job_id is None:
                return
            job = await asyncio.to_thread(jobs.get, actor, job_id)
            async with self:
                self._show_job(job)
                if job.state != jobs.RUNNING:
                    self._load_board()
                    return
            await asyncio.sleep(POLL_SECONDS)
