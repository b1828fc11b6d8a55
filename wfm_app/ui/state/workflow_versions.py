"""The workflow editor's "Versions": "New draft" (edit a copy while the live version
serves), "Publish" (lint first; warnings must be accepted), and "Migrate cards" from an
older version, with the dry run shown before "Apply"."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.engine import card_migration, definitions, versions
from wfm_app.errors import WfmError
from wfm_app.ui import routes
from wfm_app.ui.state.adapters import as_uuid, attempt, page_id
from wfm_app.ui.state.page_parts import PageParts

NO_TARGET = "none"  # the mapping select's value for "stays where it is"


class WorkflowVersionsMixin(PageParts, mixin=True):
    if TYPE_CHECKING:  # what the editor (state/admin_workflows.py) provides
        workflow_id: str

        def _actor(self) -> Actor | None: ...
        def _reload(self) -> None: ...

    version_rows: list[dict[str, str]] = []  # id, name, version, state, cards, link
    version_state: str = ""
    can_draft: bool = False
    publish_errors: list[str] = []
    publish_warnings: list[str] = []
    publish_accept: bool = False
    publish_open: bool = False  # "Publish this draft?": what changes, then Publish
    publish_changes: list[str] = []
    # "Migrate cards"
    migrate_open: bool = False
    migrate_from: str = ""
    migrate_from_name: str = ""
    migrate_rows: list[dict[str, str]] = []  # from_id, from_name, cards, to_id
    migrate_report: list[str] = []
    migrate_checked: bool = False
    migrate_working: bool = False
    migrate_error: str = ""

    def _reload_versions(self, actor: Actor | None, workflow_id: uuid.UUID) -> None:
        family = versions.get_all(actor, workflow_id)
        this = next(v for v in family if v.id == workflow_id)
        self.version_state = this.state
        self.can_draft = this.state == versions.LIVE and not any(
            v.state == versions.DRAFT for v in family
        )
        self.version_rows = [
            {
                "id": str(v.id),
                "name": v.name,
                "version": str(v.version),
                "state": v.state,
                "cards": str(v.cards),
                "link": routes.workflow_editor(str(v.id)),
                "migratable": "yes"
                if this.state == versions.LIVE and v.state == versions.SUPERSEDED and v.cards
                else "",
            }
            for v in family
        ]

    @rx.event
    def new_draft(self) -> Any:
        actor, workflow = self._actor(), page_id(self.workflow_id)
        made, error, _ = attempt(lambda: versions.create_draft(actor, workflow))
        if made is None:
            return rx.toast.error(error)
        return [
            rx.toast.success(f'"{made.name}" created.'),
            rx.redirect(routes.workflow_editor(str(made.id))),
        ]

    @rx.event
    def set_publish_accept(self, value: bool) -> None:
        self.publish_accept = value

    @rx.event
    def review_publish(self) -> Any:
        """Ask first: what publishing changes (steps, transitions, cards), what blocks it."""
        actor, draft = self._actor(), page_id(self.workflow_id)
        found, error, _ = attempt(lambda: versions.check(actor, draft))
        if found is None:
            return rx.toast.error(error)
        self.publish_errors, self.publish_warnings = found.errors, found.warnings
        self.publish_changes, self.publish_accept, self.publish_open = found.changes, False, True
        return None

    @rx.event
    def set_publish_open(self, value: bool) -> None:
        self.publish_open = value

    @rx.event
    def publish(self) -> Any:
        """From "Publish this draft?" (the service lints again: a change made meanwhile
        by someone else is refused with its sentence)."""
        actor, draft = self._actor(), page_id(self.workflow_id)
        published, error, _ = attempt(
            lambda: versions.publish(actor, draft, accept_warnings=self.publish_accept)
        )
        if published is None:
            return rx.toast.error(error)
        version, _lint = published
        self.publish_warnings, self.publish_accept, self.publish_open = [], False, False
        self._reload()
        return rx.toast.success(f'Published: "{version.name}" is live (version {version.version}).')

    @rx.event
    def open_migration(self, from_id: str) -> None:
        actor, source, target = self._actor(), as_uuid(from_id), as_uuid(self.workflow_id)
        if source is None or target is None:
            return
        report, self.migrate_error, _ = attempt(
            lambda: card_migration.preview(actor, source, target)
        )
        if report is None:
            return
        old = definitions.graph(source)
        names = {step.id: step.display_name for step in old.steps}
        self.migrate_from, self.migrate_from_name = from_id, old.workflow.name
        self.migrate_rows = [
            {
                "from_id": str(m.from_step_id),
                "from_name": names[m.from_step_id],
                "cards": str(m.cards),
                "to_id": str(m.to_step_id) if m.to_step_id else NO_TARGET,
            }
            for m in report.moves
        ]
        self.migrate_report, self.migrate_checked, self.migrate_open = [], False, True

    @rx.event
    def set_migrate_open(self, value: bool) -> None:
        self.migrate_open = value

    @rx.event
    def set_mapping(self, from_id: str, to_id: str) -> None:
        self.migrate_rows = [
            {**row, "to_id": to_id} if row["from_id"] == from_id else row
            for row in self.migrate_rows
        ]
        self.migrate_checked = False

    def _mapping(self) -> dict[uuid.UUID, uuid.UUID | None]:
        return {
            uuid.UUID(row["from_id"]): None
            if row["to_id"] == NO_TARGET
            else uuid.UUID(row["to_id"])
            for row in self.migrate_rows
        }

    @rx.event
    def dry_run_migration(self) -> None:
        actor, source, target = self._actor(), page_id(self.migrate_from), page_id(self.workflow_id)
        report, self.migrate_error, _ = attempt(
            lambda: card_migration.preview(actor, source, target, self._mapping())
        )
        if report is None:
            return
        old, new = (
            definitions.graph(report.from_workflow_id),
            definitions.graph(report.to_workflow_id),
        )
        lines = []
        for move in report.moves:
            if not move.cards:
                continue
            origin = old.step(move.from_step_id)
            goal = new.step(move.to_step_id) if move.to_step_id else None
            where = f'to "{goal.display_name}"' if goal else "nowhere: they stay on the old version"
            lines.append(f'{move.cards} from "{origin.display_name if origin else "?"}" {where}')
        lines += [f"Over a limit: {sentence}" for sentence in report.over_limit]
        lines += [f"Missing fields: {sentence}" for sentence in report.unmet]
        self.migrate_report = lines or ["No cards to migrate."]
        self.migrate_checked = not report.over_limit

    @rx.event(background=True)
    async def apply_migration(self) -> AsyncIterator[Any]:
        async with self:
            actor, source, target = (
                self._actor(),
                page_id(self.migrate_from),
                page_id(self.workflow_id),
            )
            mapping, self.migrate_working = self._mapping(), True
        try:
            moved = await asyncio.to_thread(card_migration.apply, actor, source, target, mapping)
            error = ""
        except WfmError as refused:
            moved, error = 0, refused.message
        async with self:
            self.migrate_working, self.migrate_error = False, error
            if not error:
                self.migrate_open = False
                self._reload()
        if not error:
            yield rx.toast.success(f"{moved} cards migrated.")
