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


def workflow_problems(graph: WorkflowGraph) -> list[tuple[str, bool]]:
    """Each structural problem as (sentence, blocks): ``blocks`` when work could not start,
    reach a step or leave one (publishing a version refuses those); a final step with a way
    out is only worth a warning."""
    if not graph.steps:
        return [("This workflow has no steps yet: add at least an initial and a final step.", True)]
    problems: list[tuple[str, bool]] = []
    initial = [step for step in graph.steps if step.is_initial_step]
    if not initial:
        sentence = "No step is marked initial, so no new work can start in this workflow."
        problems.append((sentence, True))
    if len(initial) > 1:
        names = ", ".join(f'"{step.display_name}"' for step in initial)
        problems.append((f"More than one step is marked initial ({names}); mark only one.", True))
    if len(initial) == 1:
        reached = reachable_from(graph, initial[0].id)
        for step in graph.steps:
            if step.id not in reached:
                sentence = (
                    f'"{step.display_name}" cannot be reached from the initial step '
                    f'"{initial[0].display_name}".'
                )
                problems.append((sentence, True))
    for step in graph.steps:
        way_out = graph.allowed_from(step.id)
        if not step.is_final_step and not way_out:
            sentence = (
                f'"{step.display_name}" is not final but has no way out: work there would be stuck.'
            )
            problems.append((sentence, True))
        if step.is_final_step and way_out:
            problems.append(
                (f'"{step.display_name}" is final but has outgoing transitions.', False)
            )
    return problems


def workflow_warnings(graph: WorkflowGraph) -> list[str]:
    """Sentences naming each structural problem; empty when the workflow is sound."""
    return [sentence for sentence, _blocks in workflow_problems(graph)]


def version_changes(
    draft: WorkflowGraph, live: WorkflowGraph, cards: dict[uuid.UUID, int]
) -> list[str]:
    """What publishing ``draft`` changes against ``live``, in words: steps added, removed
    and renamed (a step is its status: the same status in both is the same step),
    transitions added and removed, and the cards that stay on the live version until
    migrated (``cards``: per live step)."""
    old = {step.status.id: step for step in live.steps}
    new = {step.status.id: step for step in draft.steps}
    said = [f'Step "{new[s].display_name}" added.' for s in new if s not in old]
    said += [f'Step "{old[s].display_name}" removed.' for s in old if s not in new]
    said += [
        f'Step "{old[s].display_name}" renamed "{new[s].display_name}".'
        for s in new
        if s in old and new[s].display_name != old[s].display_name
    ]

    def edges(graph: WorkflowGraph) -> dict[tuple[uuid.UUID, uuid.UUID], str]:
        """Transitions by their ends' statuses, in the order of the steps they leave."""
        status = {step.id: step.status.id for step in graph.steps}
        name = {step.id: step.display_name for step in graph.steps}
        order = {step.id: step.step_order for step in graph.steps}
        ordered = sorted(
            (t for t in graph.transitions if t.from_step_id in status and t.to_step_id in status),
            key=lambda t: (order[t.from_step_id], order[t.to_step_id]),
        )
        return {
            (status[t.from_step_id], status[t.to_step_id]): (
                f"{name[t.from_step_id]} → {name[t.to_step_id]}"
            )
            for t in ordered
        }

    before, after = edges(live), edges(draft)
    said += [f'Transition "{after[e]}" added.' for e in after if e not in before]
    said += [f'Transition "{before[e]}" removed.' for e in before if e not in after]
    staying = sum(cards.values())
    if staying:
        cards_stay = "1 card stays" if staying == 1 else f"{staying} cards stay"
        them = "it" if staying == 1 else "them"
        said.append(
            f"{cards_stay} on the current version until you migrate {them} (Migrate cards)."
        )
    return said or ["Nothing differs from the live version."]
