"""The workflow graph as an inline SVG: steps left to right in order, transitions as arcs
(forward above the row, backward below)."""

from __future__ import annotations

from html import escape

from wfm_app.engine.schemas import WorkflowGraph

NODE_WIDTH, NODE_HEIGHT, GAP, MARGIN = 130, 44, 40, 20


def workflow_svg(graph: WorkflowGraph) -> str:
    if not graph.steps:
        return ""
    steps = list(graph.steps)
    index = {step.id: i for i, step in enumerate(steps)}
    max_span = max(
        (abs(index[t.to_step_id] - index[t.from_step_id]) for t in graph.transitions), default=1
    )
    arc_room = 24 + 18 * max_span
    width = MARGIN * 2 + len(steps) * NODE_WIDTH + (len(steps) - 1) * GAP
    top = MARGIN + arc_room
    height = top + NODE_HEIGHT + arc_room + MARGIN

    def centre(i: int) -> float:
        return MARGIN + i * (NODE_WIDTH + GAP) + NODE_WIDTH / 2

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="system-ui, sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#64748B"/></marker></defs>',
    ]
    for transition in graph.transitions:
        a, b = index[transition.from_step_id], index[transition.to_step_id]
        forward = b > a
        lift = 24 + 18 * (abs(b - a) - 1)
        y = top if forward else top + NODE_HEIGHT
        control = y - lift * 2 if forward else y + lift * 2
        x1, x2 = centre(a) + (8 if forward else -8), centre(b) - (8 if forward else -8)
        parts.append(
            f'<path d="M{x1},{y} Q{(x1 + x2) / 2},{control} {x2},{y}" fill="none" '
            f'stroke="{"#475569" if forward else "#94A3B8"}" stroke-width="1.5" '
            f'marker-end="url(#arrow)"><title>{escape(transition.name or "")}</title></path>'
        )
    for i, step in enumerate(steps):
        x = MARGIN + i * (NODE_WIDTH + GAP)
        color = step.status.color or "#CBD5E1"
        border = 3 if step.is_initial_step or step.is_final_step else 1
        parts.append(
            f'<rect x="{x}" y="{top}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="8" '
            f'fill="{color}33" stroke="{color}" stroke-width="{border}"/>'
            f'<text x="{x + NODE_WIDTH / 2}" y="{top + NODE_HEIGHT / 2 + 4}" text-anchor="middle" '
            f'fill="#0F172A">{escape(step.display_name[:18])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def describe(graph: WorkflowGraph) -> str:
    """The same graph in words, for the figure's accessible name."""
    names = {step.id: step.display_name for step in graph.steps}
    moves = "; ".join(
        f"{names[t.from_step_id]} to {names[t.to_step_id]}" for t in graph.transitions
    )
    return f"Workflow diagram: steps {', '.join(names.values())}. Transitions: {moves or 'none'}."
