"""Reading a workflow graph for problems an admin should hear about, in words."""

from __future__ import annotations

import uuid
from collections import deque

from wfm_app.engine.schemas import WorkflowGraph


def reachable_from(graph: WorkflowGraph, start: uuid.UUID) -> set[uuid.UUID]:
    seen = {start}
    queue = deque([start])
    while queue:
        for transition in graph.allowed_from(queue.popleft()):
            if transition.to_step_id not in seen:
                seen.add(transition.to_step_id)
                queue.append(transition.to_step_id)
    return seen


def workflow_warnings(graph: WorkflowGraph) -> list[str]:
    """Sentences naming each structural problem; empty when the workflow is sound."""
    if not graph.steps:
        return ["This workflow has no steps yet: add at least an initial and a final step."]
    warnings: list[str] = []
    initial = [step for step in graph.steps if step.is_initial_step]
    if not initial:
        warnings.append("No step is marked initial, so no new work can start in this workflow.")
    if len(initial) > 1:
        names = ", ".join(f'"{step.display_name}"' for step in initial)
        warnings.append(f"More than one step is marked initial ({names}); mark only one.")
    if len(initial) == 1:
        reached = reachable_from(graph, initial[0].id)
        for step in graph.steps:
            if step.id not in reached:
                warnings.append(
                    f'"{step.display_name}" cannot be reached from the initial step '
                    f'"{initial[0].display_name}".'
                )
    for step in graph.steps:
        way_out = graph.allowed_from(step.id)
        if not step.is_final_step and not way_out:
            warnings.append(
                f'"{step.display_name}" is not final but has no way out: work there would be stuck.'
            )
        if step.is_final_step and way_out:
            warnings.append(f'"{step.display_name}" is final but has outgoing transitions.')
    return warnings
