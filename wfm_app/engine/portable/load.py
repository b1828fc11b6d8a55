"""``wfm import``: make the database's definitions match a file, matched by name, through
the same service functions the admin pages use, all in one transaction.

What the file names is created or updated; within a workflow the file is the whole truth
(steps, transitions and rules it leaves out are removed), but statuses, workflows,
project types and custom fields it does not mention are left alone. A file that would
remove a step cards are on, or change a custom field's type, is refused as a whole with
every reason. ``dry_run`` does it all and rolls back: the report says what would change.
Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from wfm_app.auth.actor import Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import (
    custom_fields,
    definitions,
    kinds,
    project_types,
    statuses,
    workflows,
)
from wfm_app.engine.access import require_definitions_manager
from wfm_app.engine.custom_fields import CustomFieldCreate, CustomFieldUpdate
from wfm_app.engine.inputs import parse
from wfm_app.engine.models import WfmProject
from wfm_app.engine.portable.document import DefinitionsDoc, WorkflowDoc
from wfm_app.engine.portable.workflow_parts import WorkflowParts
from wfm_app.engine.schemas import (
    ProjectTypeCreate,
    ProjectTypeUpdate,
    StatusCreate,
    StatusUpdate,
    WorkflowCreate,
    WorkflowUpdate,
)
from wfm_app.errors import ValidationFailed


@dataclass
class ImportReport:
    changes: list[str] = field(default_factory=list)  # one sentence per change
    applied: bool = False


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back."""


def import_definitions(actor: Actor | None, data: Any, *, dry_run: bool = False) -> ImportReport:
    actor = require_definitions_manager(actor)
    if not isinstance(data, dict):
        raise ValidationFailed(
            "The file is not a definitions document.", {"file": "Not a mapping."}
        )
    document = parse(DefinitionsDoc, data)
    report = ImportReport()
    try:
        with unit_of_work() as uow:
            _Importer(actor, uow.session, report).run(document)
            if dry_run:
                raise _DryRun
    except _DryRun:
        definitions.invalidate()
        return report
    report.applied = True
    return report


class _Importer:
    def __init__(self, actor: Actor, session: Session, report: ImportReport) -> None:
        self.actor, self.session, self.report = actor, session, report

    def said(self, sentence: str) -> None:
        self.report.changes.append(sentence)

    def run(self, document: DefinitionsDoc) -> None:
        self._check_live_cards(document)
        self._statuses(document)
        parts = [self._workflow(workflow) for workflow in document.workflows]
        # Branches may run another workflow of the file, and rules name branches.
        for part in parts:
            part.branches()
        for part in parts:
            part.rules()
        self._project_types(document)
        self._kinds(document)
        self._custom_fields(document)

    # ---- refusals first: nothing changes when the file would break live cards -------

    def _check_live_cards(self, document: DefinitionsDoc) -> None:
        problems = []
        for doc in document.workflows:
            found = workflows.get_by_name(self.actor, doc.name)
            if found is None:
                continue
            graph = definitions.load_graph(self.session, found.id)
            kept = {step.status for step in doc.steps}
            for step in graph.steps:
                if step.status.name in kept:
                    continue
                on_step = col(WfmProject.current_step_id) == step.id
                cards = self.session.execute(select(func.count()).where(on_step)).scalar_one()
                if cards:
                    problems.append(
                        f'workflow "{doc.name}" would lose step "{step.status.name}", '
                        f"which {cards} card{'s' if cards != 1 else ''} are on"
                    )
        for doc_field in document.custom_fields:
            known = {
                f.key: f
                for f in custom_fields.get_all(
                    self.actor, doc_field.entity_type, include_inactive=True
                )
            }
            old = known.get(doc_field.key)
            if old is not None and old.field_type != doc_field.type:
                problems.append(
                    f'custom field "{doc_field.key}" of {doc_field.entity_type} is a '
                    f"{old.field_type} field; a file cannot make it {doc_field.type}"
                )
        if problems:
            raise ValidationFailed(
                "This file would break live cards, so nothing was imported: "
                + "; ".join(problems)
                + ".",
                {"file": "; ".join(problems)},
            )

    # ---- statuses -------------------------------------------------------------------

    def _statuses(self, document: DefinitionsDoc) -> None:
        for doc in document.statuses:
            found = statuses.get_by_name(self.actor, doc.name)
            if found is None:
                made = statuses.create(
                    self.actor,
                    StatusCreate(name=doc.name, description=doc.description, color=doc.color),
                )
                if doc.archived:
                    statuses.update(self.actor, made.id, StatusUpdate(is_archived=True))
                self.said(f'status "{doc.name}" created')
            elif (found.description, found.color, found.is_archived) != (
                doc.description,
                doc.color,
                doc.archived,
            ):
                statuses.update(
                    self.actor,
                    found.id,
                    StatusUpdate(
                        description=doc.description, color=doc.color, is_archived=doc.archived
                    ),
                )
                self.said(f'status "{doc.name}" updated')

    # ---- workflows ------------------------------------------------------------------

    def _workflow(self, doc: WorkflowDoc) -> WorkflowParts:
        found = workflows.get_by_name(self.actor, doc.name)
        if found is None:
            found = workflows.create(
                self.actor, WorkflowCreate(name=doc.name, description=doc.description)
            )
            self.said(f'workflow "{doc.name}" created')
        known = (found.description, found.is_archived, found.undo_restores_step)
        if known != (doc.description, doc.archived, doc.undo_restores_step):
            workflows.update(
                self.actor,
                found.id,
                WorkflowUpdate(
                    description=doc.description,
                    is_archived=doc.archived,
                    undo_restores_step=doc.undo_restores_step,
                ),
            )
            self.said(f'workflow "{doc.name}" updated')
        parts = WorkflowParts(self.actor, self.session, found.id, doc, self.said)
        parts.steps()
        parts.transitions()
        return parts

    # ---- project types and custom fields ------------------------------------------------

    def _project_types(self, document: DefinitionsDoc) -> None:
        for doc in document.project_types:
            workflow = (
                workflows.get_by_name(self.actor, doc.default_workflow)
                if doc.default_workflow
                else None
            )
            workflow_id = workflow.id if workflow else None
            found = project_types.get_by_name(self.actor, doc.name)
            if found is None:
                made = project_types.create(
                    self.actor,
                    ProjectTypeCreate(
                        name=doc.name,
                        description=doc.description,
                        default_workflow_id=workflow_id,
                        icon_name=doc.icon,
                    ),
                )
                if doc.archived:
                    project_types.update(self.actor, made.id, ProjectTypeUpdate(is_archived=True))
                self.said(f'project type "{doc.name}" created')
            elif (
                found.description,
                found.default_workflow_id,
                found.icon_name,
                found.is_archived,
            ) != (
                doc.description,
                workflow_id,
                doc.icon,
                doc.archived,
            ):
                project_types.update(
                    self.actor,
                    found.id,
                    ProjectTypeUpdate(
                        description=doc.description,
                        default_workflow_id=workflow_id,
                        icon_name=doc.icon,
                        is_archived=doc.archived,
                    ),
                )
                self.said(f'project type "{doc.name}" updated')

    def _kinds(self, document: DefinitionsDoc) -> None:
        """By key: made, renamed, archived or restored; a kind's project type is fixed."""
        have = {k.key: k for k in kinds.get_all(self.actor, include_archived=True)}
        for doc in document.kinds:
            project_type = project_types.get_by_name(self.actor, doc.project_type)
            found = have.get(doc.key)
            if found is None:
                kinds.create(
                    self.actor,
                    kinds.KindCreate(
                        name=doc.name,
                        plural_name=doc.plural_name,
                        key=doc.key,
                        project_type_id=project_type.id if project_type else None,
                    ),
                )
                if doc.archived:
                    kinds.update(self.actor, doc.key, kinds.KindUpdate(is_archived=True))
                self.said(f'kind "{doc.key}" created')
                continue
            if found.built_in or found.project_type_id != (project_type and project_type.id):
                message = f'Kind "{doc.key}" rides on another project type here: it cannot move.'
                raise ValidationFailed(message, {"file": message})
            if (found.name, found.plural_name, found.is_archived) != (
                doc.name,
                doc.plural_name,
                doc.archived,
            ):
                kinds.update(
                    self.actor,
                    doc.key,
                    kinds.KindUpdate(
                        name=doc.name, plural_name=doc.plural_name, is_archived=doc.archived
                    ),
                )
                self.said(f'kind "{doc.key}" updated')

    def _custom_fields(self, document: DefinitionsDoc) -> None:
        for doc in document.custom_fields:
            known = {
                f.key: f
                for f in custom_fields.get_all(self.actor, doc.entity_type, include_inactive=True)
            }
            found = known.get(doc.key)
            if found is None:
                made = custom_fields.create(
                    self.actor,
                    CustomFieldCreate(
                        entity_type=doc.entity_type,
                        key=doc.key,
                        label=doc.label,
                        field_type=doc.type,
                        required=doc.required,
                        options=doc.options,
                        help=doc.help,
                        display_order=doc.order,
                        predicts_win=doc.predicts_win,
                    ),
                )
                if not doc.active:
                    custom_fields.set_active(self.actor, made.id, False)
                self.said(f'custom field "{doc.key}" of {doc.entity_type} created')
                continue
            if (
                found.label,
                found.required,
                list(found.options) or None,
                found.help,
                found.display_order,
                found.predicts_win,
            ) != (
                doc.label,
                doc.required,
                doc.options,
                doc.help,
                doc.order,
                doc.predicts_win,
            ):
                custom_fields.update(
                    self.actor,
                    found.id,
                    CustomFieldUpdate(
                        label=doc.label,
                        required=doc.required,
                        options=doc.options,
                        help=doc.help,
                        display_order=doc.order,
                        predicts_win=doc.predicts_win,
                    ),
                )
                self.said(f'custom field "{doc.key}" of {doc.entity_type} updated')
            if found.active != doc.active:
                custom_fields.set_active(self.actor, found.id, doc.active)
                now = "reactivated" if doc.active else "deactivated"
                self.said(f'custom field "{doc.key}" of {doc.entity_type} {now}')
