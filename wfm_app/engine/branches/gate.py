"""Which moves out of a step wait on which branches, and whether they may go.

A branch gates the moves to its ``to_step_ids`` or, by default, every move to a later
step that is not a LOST outcome (moving on; going back or losing never waits). For one
move, every gating ``all_approved`` branch must be approved and, if some gating branch
is ``any_approved``, at least one of those must be."""

from __future__ import annotations

import uuid

from wfm_app.engine import step_settings
from wfm_app.engine.schemas import BranchRead, StepRead, WorkflowGraph

STATES = ("pending", "approved", "rejected")


def gates(branch: BranchRead, graph: WorkflowGraph, target: StepRead) -> bool:
    if branch.to_step_ids is not None:
        return target.id in branch.to_step_ids
    here = graph.step(branch.step_id)
    return (
        here is not None
        and target.step_order > here.step_order
        and not step_settings.of(target).is_lost
    )


def gating(graph: WorkflowGraph, from_step_id: uuid.UUID, target: StepRead) -> list[BranchRead]:
    """The branches a move from ``from_step_id`` to ``target`` waits on (usually none)."""
    return [b for b in graph.branches_on(from_step_id) if gates(b, graph, target)]


def unmet(branches: list[BranchRead], states: dict[uuid.UUID, str]) -> list[BranchRead]:
    """Those whose approval the move still needs (a branch with no instance is pending)."""
    approved = {b.id for b in branches if states.get(b.id) == "approved"}
    missing = [b for b in branches if b.mode == "all_approved" and b.id not in approved]
    either = [b for b in branches if b.mode == "any_approved"]
    if either and not any(b.id in approved for b in either):
        missing += either
    return missing


def sentence(missing: list[BranchRead], states: dict[uuid.UUID, str], target: StepRead) -> str:
    named = ", ".join(f'"{b.name}" ({states.get(b.id, "pending")})' for b in missing)
    if all(b.mode == "any_approved" for b in missing) and len(missing) > 1:
        return f'It cannot go to "{target.display_name}" until one of these is approved: {named}.'
    return f'It cannot go to "{target.display_name}" until these are approved: {named}.'
