"""The checks on a workflow version before it is published: what blocks publishing, what
an admin accepts, and what publishing changes, in words."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from wfm_app.engine import analysis, rules
from wfm_app.engine.schemas import WorkflowGraph


@dataclass(frozen=True)
class Lint:
    errors: list[str] = field(default_factory=list)  # block publishing
    warnings: list[str] = field(default_factory=list)  # shown; may be accepted
    changes: list[str] = field(default_factory=list)  # what publishing changes, in words


def lint(graph: WorkflowGraph, live: WorkflowGraph, cards: dict[uuid.UUID, int]) -> Lint:
    """The editor's checks on a draft, sorted into what blocks publishing and what is a
    warning, and what publishing changes; ``cards``: per step of the live version."""
    problems = analysis.workflow_problems(graph)
    names = {step.id: step.display_name for step in graph.steps}
    errors = [sentence for sentence, blocks in problems if blocks]
    errors += rules.warnings(graph.id, list(graph.transitions), names)
    warnings = [sentence for sentence, blocks in problems if not blocks]
    statuses = {step.status.id for step in graph.steps}
    for step in live.steps:
        waiting = cards.get(step.id, 0)
        if waiting and step.status.id not in statuses:
            warnings.append(
                f'{waiting} card{"s" if waiting != 1 else ""} on "{step.display_name}" will '
                "have no step to be migrated to."
            )
    return Lint(errors, warnings, analysis.version_changes(graph, live, cards))
