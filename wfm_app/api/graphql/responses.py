"""What the spec's delete and definition mutations answer: success and a sentence."""

from __future__ import annotations

import strawberry


@strawberry.type(name="WFMStatusMutationResponse")
class WFMStatusMutationResponse:
    success: bool
    message: str | None = None


@strawberry.type(name="WFMWorkflowStepMutationResponse")
class WFMWorkflowStepMutationResponse:
    success: bool
    message: str | None = None
    step_id: strawberry.ID | None = None


@strawberry.type(name="WFMWorkflowTransitionMutationResponse")
class WFMWorkflowTransitionMutationResponse:
    success: bool
    message: str | None = None
    transition_id: strawberry.ID | None = None


@strawberry.type(name="DeleteResponse")
class DeleteResponse:
    success: bool
    message: str | None = None
