"""Migrating cards between workflow versions over GraphQL (admins): the dry run and the
apply, each one call of engine/card_migration.py. A version is a workflow (its id)."""

from __future__ import annotations

import uuid

import strawberry

from wfm_app.api.graphql.common import actor_of, id_of
from wfm_app.api.graphql.types import GqlInfo, WFMWorkflowStep, _step
from wfm_app.engine import card_migration
from wfm_app.errors import ValidationFailed

MAX_MAPPING = 500


@strawberry.input(name="WFMStepMappingInput")
class WFMStepMappingInput:
    from_step_id: strawberry.ID
    to_step_id: strawberry.ID | None = strawberry.field(
        default=None, description="None: the cards on that step stay where they are."
    )


@strawberry.type(name="WFMMigrationStepMove")
class WFMMigrationStepMove:
    from_step: WFMWorkflowStep | None
    to_step: WFMWorkflowStep | None
    cards: int


@strawberry.type(name="WFMMigrationPreview")
class WFMMigrationPreview:
    from_version_id: strawberry.ID
    to_version_id: strawberry.ID
    cards: int
    without_target: int
    over_limit: list[str]
    unmet_conditions: list[str]  # cards that would miss their new step's field rules
    moves: list[WFMMigrationStepMove]


def _mapping(items: list[WFMStepMappingInput] | None) -> dict[uuid.UUID, uuid.UUID | None]:
    if items is not None and len(items) > MAX_MAPPING:
        message = f"A mapping has at most {MAX_MAPPING} steps."
        raise ValidationFailed(message, {"mapping": message})
    return {
        id_of(item.from_step_id, "step"): id_of(item.to_step_id, "step")
        if item.to_step_id
        else None
        for item in items or []
    }


@strawberry.type
class MigrationQueries:
    @strawberry.field(name="previewWFMWorkflowMigration")
    def preview_wfm_workflow_migration(
        self,
        info: GqlInfo,
        from_version_id: strawberry.ID,
        to_version_id: strawberry.ID,
        mapping: list[WFMStepMappingInput] | None = None,
    ) -> WFMMigrationPreview:
        report = card_migration.preview(
            actor_of(info),
            id_of(from_version_id, "workflow version"),
            id_of(to_version_id, "workflow version"),
            _mapping(mapping),
        )
        return WFMMigrationPreview(
            from_version_id=strawberry.ID(str(report.from_workflow_id)),
            to_version_id=strawberry.ID(str(report.to_workflow_id)),
            cards=report.cards,
            without_target=report.without_target,
            over_limit=report.over_limit,
            unmet_conditions=report.unmet,
            moves=[
                WFMMigrationStepMove(
                    from_step=_step(report.from_workflow_id, move.from_step_id),
                    to_step=_step(report.to_workflow_id, move.to_step_id),
                    cards=move.cards,
                )
                for move in report.moves
            ],
        )


@strawberry.type
class MigrationMutations:
    @strawberry.mutation(
        name="applyWFMWorkflowMigration",
        description="Moves the mapped cards in batches; returns how many moved. Safe to run again.",
    )
    def apply_wfm_workflow_migration(
        self,
        info: GqlInfo,
        from_version_id: strawberry.ID,
        to_version_id: strawberry.ID,
        mapping: list[WFMStepMappingInput] | None = None,
    ) -> int:
        return card_migration.apply(
            actor_of(info),
            id_of(from_version_id, "workflow version"),
            id_of(to_version_id, "workflow version"),
            _mapping(mapping),
        )
