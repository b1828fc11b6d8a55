"""What the analytics page shows, as plain values: one table per chart (the chart draws
from the same rows, a screen reader reads the table) and the CSV of each."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from wfm_app.csvfile import to_csv
from wfm_app.engine import durations
from wfm_app.engine.analytics import Analytics
from wfm_app.engine.analytics.forecast import Forecast
from wfm_app.ui import routes
from wfm_app.ui.words import counted

PALETTE = ("#3e63dd", "#12a594", "#e5484d", "#f76b15", "#8e4ec6", "#ffc53d", "#0090ff")


@dataclasses.dataclass
class MatrixCell:
    count: str  # "" for none
    backwards: bool
    label: str  # "3 moves from Qualification to Prospecting (backwards)"


@dataclasses.dataclass
class MatrixRow:
    step: str
    cells: list[MatrixCell]


@dataclasses.dataclass
class AnalyticsView:
    """Everything the page holds for one workflow, range and owner."""

    time_in_step: list[dict[str, Any]]
    funnel: list[dict[str, Any]]
    flow: list[dict[str, Any]]  # {"day": ..., "<step name>": count, ...}
    flow_series: list[dict[str, str]]  # {"key": step name, "color": ...}
    throughput: list[dict[str, Any]]
    cycle: list[dict[str, Any]]
    cycle_summary: str
    aging: list[dict[str, str]]
    open_cards: int
    step_names: list[str]
    matrix: list[MatrixRow]
    bottlenecks: list[str]  # "Proposal: 85th percentile 9.0 days, up from 4.5."
    compared_with: str  # "the previous 90 days (2026-06-06 to 2026-09-03)"
    forecast_lines: list[str]  # the forecast in sentences (or why there is none)
    csv: dict[str, str]  # chart key -> CSV text


def _age(hours: float) -> str:
    return durations.in_words(hours * 3600)


def build(report: Analytics, ahead: Forecast) -> AnalyticsView:
    graph = report.scope.graph
    name = {step.id: step.display_name for step in graph.steps}
    times = [
        {
            "step": name[t.step_id],
            "count": t.count,
            "median": round(t.median_hours, 1),
            "p85": round(t.p85_hours, 1),
            "mean": round(t.mean_hours, 1),
            "unit": "business hours" if t.business_hours else "hours",
        }
        for t in report.time_in_step
    ]
    funnel = [
        {
            "step": name[f.step_id],
            "entered": f.entered,
            "reached_next": f.reached_next,
            "reached_won": f.reached_won,
            "next_share": f"{100 * f.reached_next / f.entered:.0f}%" if f.entered else "",
            "won_share": f"{100 * f.reached_won / f.entered:.0f}%" if f.entered else "",
        }
        for f in report.funnel
    ]
    flow = [
        {"day": day.day.isoformat(), **{name[s]: n for s, n in day.counts}}
        for day in report.cumulative_flow
    ]
    series = [
        {"key": step.display_name, "color": PALETTE[i % len(PALETTE)]}
        for i, step in enumerate(graph.steps)
    ]
    weeks = [{"week": w.week_start.isoformat(), "finished": w.finished} for w in report.throughput]
    cycle = report.cycle_time
    buckets = [{"bucket": label, "cards": n} for label, n in cycle.buckets]
    summary = (
        f"{counted(cycle.count, 'card')} finished; cycle time median {_age(cycle.p50_hours)}, "
        f"85th percentile {_age(cycle.p85_hours or 0)}."
        if cycle.p50_hours is not None
        else "No card reached a final step in this range."
    )
    aging = [
        {
            "name": card.name,
            "step": name.get(card.step_id, ""),
            "age": _age(card.hours_in_step),
            "hours": f"{card.hours_in_step:.1f}",
            "href": routes.card_link(card.entity_type, card.entity_id),
        }
        for card in report.aging
    ]
    counts = {(t.from_step_id, t.to_step_id): t for t in report.transitions}
    order = [step.id for step in graph.steps]
    matrix = [
        MatrixRow(
            name[a],
            [
                MatrixCell(
                    str(counts[(a, b)].count) if (a, b) in counts else "",
                    (a, b) in counts and counts[(a, b)].backwards,
                    f"{counts[(a, b)].count if (a, b) in counts else 0} moves from {name[a]} "
                    f"to {name[b]}" + (" (backwards)" if order.index(b) < order.index(a) else ""),
                )
                for b in order
            ],
        )
        for a in order
    ]
    csvs = {
        "time_in_step": to_csv(
            ["step", "stays", "median_hours", "p85_hours", "mean_hours"],
            [
                [name[t.step_id], t.count, t.median_hours, t.p85_hours, t.mean_hours]
                for t in report.time_in_step
            ],
        ),
        "funnel": to_csv(
            ["step", "entered", "reached_next", "reached_won"],
            [[name[f.step_id], f.entered, f.reached_next, f.reached_won] for f in report.funnel],
        ),
        "cumulative_flow": to_csv(
            ["day", *[step.display_name for step in graph.steps]],
            [[d.day.isoformat(), *[n for _s, n in d.counts]] for d in report.cumulative_flow],
        ),
        "throughput": to_csv(
            ["week_start", "finished"],
            [[w.week_start.isoformat(), w.finished] for w in report.throughput],
        ),
        "cycle_time": to_csv(["bucket", "cards"], [[label, n] for label, n in cycle.buckets]),
        "aging": to_csv(
            ["card", "step", "hours_in_step", "entered_step_at"],
            [
                [c.name, name.get(c.step_id, ""), c.hours_in_step, c.step_entered_at.isoformat()]
                for c in report.aging
            ],
        ),
        "transitions": to_csv(
            ["from_step", "to_step", "moves", "backwards"],
            [
                [name[t.from_step_id], name[t.to_step_id], t.count, t.backwards]
                for t in report.transitions
                if t.from_step_id in name and t.to_step_id in name
            ],
        ),
    }
    return AnalyticsView(
        time_in_step=times,
        funnel=funnel,
        flow=flow,
        flow_series=series,
        throughput=weeks,
        cycle=buckets,
        cycle_summary=summary,
        aging=aging,
        open_cards=report.open_cards,
        step_names=[step.display_name for step in graph.steps],
        matrix=matrix,
        bottlenecks=[b.sentence for b in report.bottlenecks],
        compared_with=_previous(report),
        forecast_lines=forecast_lines(ahead),
        csv=csvs,
    )


def _previous(report: Analytics) -> str:
    scope = report.scope
    length = scope.end - scope.start
    first, last = scope.start - length, scope.start - timedelta(days=1)
    days = round(length.total_seconds() / 86400)
    return f"the previous {days} days ({first.date().isoformat()} to {last.date().isoformat()})"


def forecast_lines(ahead: Forecast) -> list[str]:
    """The forecast as the page says it."""
    used = (
        f"From {ahead.window_start} to {ahead.window_end}: {ahead.finished_in_window} "
        "card(s) reached a final step; 10,000 trials drew from those days."
    )
    if ahead.note:
        return [ahead.note]
    dates = ", ".join(f"{p} % by {d or 'not within three years'}" for p, d in ahead.done_by)
    first = (
        f"The {ahead.cards} open card(s) done: {dates}."
        if ahead.cards
        else "No card is open: nothing to finish."
    )
    lines = [first, used]
    if ahead.by_date is not None:
        counts = ", ".join(f"at least {n} ({p} % sure)" for p, n in ahead.done_by_date)
        lines.insert(1, f"Done by {ahead.by_date}: {counts}.")
    return lines
